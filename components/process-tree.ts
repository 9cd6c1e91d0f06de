// A service's processes in tree order: each parent followed by its children, depth first.
import type { TreeProcess } from '../src/telemetry/fleet-snapshot.ts';

export interface TreeRow {
  readonly process: TreeProcess;
  /** 0 for a process whose parent is not in the list. */
  readonly depth: number;
}

/** Parents before children, siblings by pid; every process exactly once, even if ppids form a loop. */
export function orderTree(processes: readonly TreeProcess[]): TreeRow[] {
  const pids = new Set(processes.map((p) => p.pid));
  const children = new Map<number, TreeProcess[]>();
  for (const p of processes) {
    const list = children.get(p.ppid) ?? [];
    list.push(p);
    children.set(p.ppid, list);
  }
  for (const list of children.values()) list.sort((a, b) => a.pid - b.pid);

  const rows: TreeRow[] = [];
  const seen = new Set<number>();
  const visit = (p: TreeProcess, depth: number): void => {
    if (seen.has(p.pid)) return;
    seen.add(p.pid);
    rows.push({ process: p, depth });
    for (const child of children.get(p.pid) ?? []) visit(child, depth + 1);
  };
  const byPid = [...processes].sort((a, b) => a.pid - b.pid);
  for (const p of byPid) if (!pids.has(p.ppid) || p.ppid === p.pid) visit(p, 0);
  // Whatever is left sits on a ppid loop: show it at the top level rather than drop it.
  for (const p of byPid) visit(p, 0);
  return rows;
}
