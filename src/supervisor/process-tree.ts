// Pure: the descendants of a root pid in a process table snapshot. A process counts as a
// child of the process its ppid names only if it was not created before that process:
// Windows never reparents an orphan and reuses pids soon, so an orphan's ppid can name a
// newer, unrelated process (a service, even); on Linux an orphan is reparented at once,
// so the rule never excludes anything there.
import type { ProcessInfo } from '../platform/platform.ts';

export function descendantsOf(rootPid: number, table: readonly ProcessInfo[]): ProcessInfo[] {
  const byPid = new Map(table.map((p) => [p.pid, p]));
  const children = new Map<number, ProcessInfo[]>();
  for (const p of table) {
    if (p.pid === rootPid) continue;
    const list = children.get(p.ppid) ?? [];
    list.push(p);
    children.set(p.ppid, list);
  }
  const result: ProcessInfo[] = [];
  const queue = [rootPid];
  const visited = new Set<number>([rootPid]);
  while (queue.length > 0) {
    const pid = queue.shift() as number;
    const parent = byPid.get(pid);
    for (const child of children.get(pid) ?? []) {
      if (visited.has(child.pid)) continue;
      if (parent !== undefined && !bornAfter(child, parent)) continue;
      visited.add(child.pid);
      result.push(child);
      queue.push(child.pid);
    }
  }
  return result;
}

/** True when `child` was created no earlier than `parent`: the only way it can be its child. */
export function bornAfter(child: ProcessInfo, parent: ProcessInfo): boolean {
  return child.startedAtMs >= parent.startedAtMs;
}
