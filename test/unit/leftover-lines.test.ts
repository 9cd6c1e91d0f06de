// Leftovers as plain lines and JSON, the same for `down` and `zombies`.
import { describe, expect, it } from 'vitest';
import { describeLeftover, leftoverJson } from '../../src/cli/leftover-lines.ts';
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
