// The descendants of a root in a process table snapshot.
import { describe, expect, it } from 'vitest';
import { descendantsOf } from '../../src/supervisor/process-tree.ts';
import { processInfo } from './process-info.ts';

const pids = (list: { pid: number }[]) => list.map((p) => p.pid).sort((a, b) => a - b);

describe('descendantsOf', () => {
  it('finds children, grandchildren and deeper, and nothing else', () => {
    const table = [
      processInfo(1, 0),
      processInfo(100, 1), // root
      processInfo(101, 100),
      processInfo(102, 100),
      processInfo(110, 101),
      processInfo(111, 110),
      processInfo(200, 1), // a sibling of the root
      processInfo(201, 200),
    ];
    expect(pids(descendantsOf(100, table))).toEqual([101, 102, 110, 111]);
    expect(pids(descendantsOf(200, table))).toEqual([201]);
    expect(pids(descendantsOf(111, table))).toEqual([]);
  });

  it('finds descendants listed before their parents', () => {
    const table = [processInfo(12, 11), processInfo(11, 10), processInfo(10, 1)];
    expect(pids(descendantsOf(10, table))).toEqual([11, 12]);
  });

  it('never includes the root, even when the data makes it its own descendant', () => {
    const table = [processInfo(100, 102), processInfo(101, 100), processInfo(102, 101)];
    expect(pids(descendantsOf(100, table))).toEqual([101, 102]);
    expect(pids(descendantsOf(100, [processInfo(100, 100)]))).toEqual([]);
  });

  it('terminates on a cycle in the ppid data below the root', () => {
    // 101 and 102 name each other as parent; 103 is a child of the root as well.
    const table = [processInfo(100, 1), processInfo(101, 102), processInfo(102, 101), processInfo(103, 100), processInfo(104, 103)];
    expect(pids(descendantsOf(100, table))).toEqual([103, 104]);
    expect(pids(descendantsOf(101, table))).toEqual([102]);
  });

  it('reports each descendant once when pids repeat in the table', () => {
    const table = [processInfo(101, 100), processInfo(101, 100), processInfo(102, 101)];
    expect(pids(descendantsOf(100, table))).toEqual([101, 102]);
  });

  it('gives nothing for a root absent from the table', () => {
    expect(descendantsOf(999, [processInfo(1, 0), processInfo(2, 1)])).toEqual([]);
  });

  it('takes no process created before the one its ppid names for its child (a pid reused on Windows)', () => {
    const at = (ms: number) => ({ startedAtMs: 1_700_000_000_000 + ms });
    const table = [
      processInfo(500, 1, at(2000)), // the service, started on a pid an ended process had
      processInfo(501, 500, at(1000)), // that process's orphan: older than the service
      processInfo(502, 501, at(1500)), // and the orphan's child
      processInfo(503, 500, at(2000)), // created in the service's own millisecond: its child
      processInfo(504, 503, at(2600)),
    ];
    expect(pids(descendantsOf(500, table))).toEqual([503, 504]);
  });

  it('keeps the children of a root that is no longer in the table (nothing to compare them with)', () => {
    expect(pids(descendantsOf(600, [processInfo(601, 600), processInfo(602, 601)]))).toEqual([601, 602]);
  });
});
