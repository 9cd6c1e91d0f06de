// Leftovers as plain lines and JSON, the same for `down` and `zombies`.
import { describe, expect, it } from 'vitest';
import { describeEscapee, describeLeftover, describeOutlived, leftoverJson } from '../../cli/leftover-lines.ts';
import type { Leftover } from '../../src/telemetry/fleet-snapshot.ts';

const orphan: Leftover = { kind: 'orphan', service: 'api', pid: 500, ppid: 1, command: 'python3 worker.py', port: null, ours: true };

describe('describeLeftover', () => {
  it('describes an orphan of ours', () => {
    expect(describeLeftover(orphan)).toBe('orphan process of api: pid 500 ppid 1 python3 worker.py [ours]');
  });

  it('describes a defunct process', () => {
    expect(describeLeftover({ ...orphan, kind: 'defunct', pid: 501, ppid: 500, command: '(defunct)' })).toBe(
      'defunct process of api: pid 501 ppid 500 (defunct) [ours]',
    );
  });

  it('describes a listener not proven ours, naming the port and the service that declares it', () => {
    expect(
      describeLeftover({ kind: 'listener', service: 'web', pid: 950, ppid: 1, command: 'python3 -m http.server 7001', port: 7001, ours: false }),
    ).toBe('listener on port 7001 of web: pid 950 ppid 1 python3 -m http.server 7001 [not proven ours: left alone]');
  });

  it('marks what is unknown: holder, parent, command and service', () => {
    expect(describeLeftover({ kind: 'listener', service: null, pid: null, ppid: null, command: '', port: 7002, ours: false })).toBe(
      'listener on port 7002: pid ? ppid ? (command unknown) [not proven ours: left alone]',
    );
  });
});

describe('leftoverJson', () => {
  it('has exactly the leftover fields', () => {
    const listener: Leftover = { kind: 'listener', service: 'web', pid: null, ppid: null, command: '', port: 7001, ours: false };
    expect(leftoverJson(listener)).toEqual({ kind: 'listener', service: 'web', pid: null, ppid: null, command: '', port: 7001, ours: false });
    expect(Object.keys(leftoverJson(orphan))).toEqual(['kind', 'service', 'pid', 'ppid', 'command', 'port', 'ours']);
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
