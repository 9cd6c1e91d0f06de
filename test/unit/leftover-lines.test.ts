// Leftovers as plain lines and JSON, the same for `down` and `zombies`.
import { describe, expect, it } from 'vitest';
import { describeEscapee, describeLeftover, describeOutlived, leftoverJson } from '../../cli/leftover-lines.ts';
import type { Leftover } from '../../src/telemetry/fleet-snapshot.ts';

const orphan: Leftover = { kind: 'orphan', service: 'api', pid: 500, ppid: 1, command: 'python3 worker.py', port: null, ours: true, proof: { kind: 'tag' } };

describe('describeLeftover', () => {
  it('describes an orphan of ours', () => {
    expect(describeLeftover(orphan)).toBe('orphan process of api: pid 500 ppid 1 python3 worker.py [ours: by the fleet tag in its environment]');
  });

  it('describes a defunct process', () => {
    expect(describeLeftover({ ...orphan, kind: 'defunct', pid: 501, ppid: 500, command: '(defunct)' })).toBe(
      'defunct process of api: pid 501 ppid 500 (defunct) [ours: its parent is ours, by the fleet tag in its environment]',
    );
  });

  it('describes a listener not proven ours, naming the port and the service that declares it', () => {
    expect(
      describeLeftover({ kind: 'listener', service: 'web', pid: 950, ppid: 1, command: 'python3 -m http.server 7001', port: 7001, ours: false, proof: null }),
    ).toBe('listener on port 7001 of web: pid 950 ppid 1 python3 -m http.server 7001 [not proven ours: left alone]');
  });

  it('says when a listener not proven ours started and why no proof holds, and keeps it in the JSON', () => {
    const unproven = { started_at: '2026-05-02T10:14:03.210Z', why: ['no cgroup on this host: Windows has no cgroups', 'no fleet tag in its environment'] };
    const listener: Leftover = { kind: 'listener', service: 'web', pid: 950, ppid: 1, command: 'node escapee.js', port: 7001, ours: false, proof: null, unproven };
    expect(describeLeftover(listener)).toBe(
      'listener on port 7001 of web: pid 950 ppid 1 node escapee.js [not proven ours (started 2026-05-02T10:14:03.210Z; no cgroup on this host: Windows has no cgroups; no fleet tag in its environment): left alone]',
    );
    expect(leftoverJson(listener).unproven).toEqual(unproven);
  });

  it('names the service cgroup that proved it ours', () => {
    expect(describeLeftover({ ...orphan, proof: { kind: 'cgroup', path: '/evident-3f0a/api' } })).toBe(
      "orphan process of api: pid 500 ppid 1 python3 worker.py [ours: by its service's cgroup /evident-3f0a/api]",
    );
  });

  it("names the service's job object on Windows", () => {
    expect(describeLeftover({ ...orphan, proof: { kind: 'cgroup', path: 'Local\\evident-3f0a-api' } })).toBe(
      "orphan process of api: pid 500 ppid 1 python3 worker.py [ours: by its service's job object Local\\evident-3f0a-api]",
    );
  });

  it('marks what is unknown: holder, parent, command and service', () => {
    expect(describeLeftover({ kind: 'listener', service: null, pid: null, ppid: null, command: '', port: 7002, ours: false, proof: null })).toBe(
      'listener on port 7002: pid ? ppid ? (command unknown) [not proven ours: left alone]',
    );
  });
});

describe('describeLeftover: the proof that made it ours', () => {
  it('names a recorded identity, and the group or session with its leader', () => {
    expect(describeLeftover({ ...orphan, proof: { kind: 'recorded' } })).toBe('orphan process of api: pid 500 ppid 1 python3 worker.py [ours: by its recorded pid and start time]');
    expect(describeLeftover({ ...orphan, command: 'nginx: worker process', port: 7001, proof: { kind: 'group', pgid: 8397, leader: 'gone' } })).toBe(
      "orphan process of api: pid 500 ppid 1 nginx: worker process holding port 7001 [ours: by its service's process group 8397, whose leader is gone]",
    );
    expect(describeLeftover({ ...orphan, proof: { kind: 'session', sid: 8397, leader: 'recorded' } })).toBe(
      "orphan process of api: pid 500 ppid 1 python3 worker.py [ours: by its service's session 8397, led by the recorded process]",
    );
  });
});

describe('leftoverJson', () => {
  it('has exactly the leftover fields', () => {
    const listener: Leftover = { kind: 'listener', service: 'web', pid: null, ppid: null, command: '', port: 7001, ours: false, proof: null };
    expect(leftoverJson(listener)).toEqual({ kind: 'listener', service: 'web', pid: null, ppid: null, command: '', port: 7001, ours: false, proof: null });
    expect(Object.keys(leftoverJson(orphan))).toEqual(['kind', 'service', 'pid', 'ppid', 'command', 'port', 'ours', 'proof']);
    expect(JSON.stringify(leftoverJson({ ...orphan, extra: 'x' } as Leftover))).not.toContain('extra');
  });
});

describe('describeEscapee', () => {
  const escapee = {
    service: 'leaky',
    pid: 4242,
    ppid: 4240,
    pgid: 4242,
    sid: 4242,
    left: 'session' as const,
    command: 'python3 escapee.py',
    port: null,
    service_group: { pgid: 4238, sid: 4238 },
    killed: false,
  };

  it('names the process, its group and session, and the ones it left', () => {
    expect(describeEscapee(escapee)).toBe(
      "escaped process of leaky: pid 4242 ppid 4240 pgid 4242 sid 4242 python3 escapee.py [left the service's session (pgid 4238 sid 4238); ended with the stop]",
    );
  });

  it('says when it held a contract port and had to be killed', () => {
    expect(describeEscapee({ ...escapee, left: 'group', port: 7001, killed: true })).toBe(
      "escaped process of leaky: pid 4242 ppid 4240 pgid 4242 sid 4242 python3 escapee.py holding port 7001 [left the service's process group (pgid 4238 sid 4238); ignored the stop: killed]",
    );
  });
});

describe('describeOutlived', () => {
  it('describes an orphan killed after its service had ended', () => {
    expect(describeOutlived({ kind: 'orphan', service: 'forker', pid: 600, ppid: 1, command: 'node worker.js', port: null, killed_after_ms: 1004 })).toBe(
      'orphan process of forker: pid 600 ppid 1 node worker.js [outlived its service; killed after 1004 ms]',
    );
  });
});
