import { describe, expect, it } from 'vitest';
import type { TreeProcess } from '../../src/telemetry/fleet-snapshot.ts';
import { orderTree } from '../../components/process-tree.ts';

const proc = (pid: number, ppid: number): TreeProcess => ({ pid, ppid, command: `p${pid}`, cpuPercent: 0, rssBytes: 0, state: 'S' });

describe('orderTree', () => {
  it('puts children under their parent, depth first, siblings by pid', () => {
    const rows = orderTree([proc(30, 10), proc(10, 1), proc(20, 10), proc(40, 20), proc(50, 1)]);
    expect(rows.map((r) => [r.process.pid, r.depth])).toEqual([
      [10, 0],
      [20, 1],
      [40, 2],
      [30, 1],
      [50, 0],
    ]);
  });

  it('lists every process once even when parents loop', () => {
    const rows = orderTree([proc(1, 2), proc(2, 1), proc(3, 3), proc(9, 100)]);
    expect(rows.map((r) => r.process.pid).sort((a, b) => a - b)).toEqual([1, 2, 3, 9]);
  });

  it('handles an empty tree', () => {
    expect(orderTree([])).toEqual([]);
  });
});
