// Which defunct processes a running service has yet to collect: every one below the
// service's own process (its child or a child of a process below it), none elsewhere.
import { describe, expect, it } from 'vitest';
import { reapedWhen, unreapedChildren } from '../../src/supervisor/unreaped-children.ts';
import { processInfo } from './process-info.ts';

describe('unreapedChildren', () => {
  const table = [
    processInfo(1, 0, { argv: ['/sbin/init'] }),
    processInfo(700, 1, { argv: ['python3', 'api.py'] }),
    processInfo(701, 700, { state: 'Z', argv: [] }),
    processInfo(702, 700, { argv: ['python3', 'worker.py'] }),
    processInfo(703, 702, { state: 'Z', argv: ['sleep', '0'] }),
    processInfo(800, 1, { argv: ['other'] }),
    processInfo(801, 800, { state: 'Z', argv: [] }),
    processInfo(900, 1, { state: 'Z', argv: [] }),
  ];

  it('finds the defunct children anywhere in a running service tree, with the parent that has to collect each', () => {
    expect(unreapedChildren(table, [{ service: 'api', pid: 700 }])).toEqual([
      { service: 'api', pid: 701, ppid: 700, command: null },
      { service: 'api', pid: 703, ppid: 702, command: 'sleep 0' },
    ]);
  });

  it('finds none outside the running trees, and none when the service process is itself the defunct one', () => {
    expect(unreapedChildren(table, [])).toEqual([]);
    expect(unreapedChildren(table, [{ service: 'gone', pid: 900 }])).toEqual([]);
  });

  it('says what it takes for one to go', () => {
    expect(reapedWhen({ service: 'api', ppid: 702 })).toBe('reaped when api (pid 702) waits for it or exits');
  });
});
