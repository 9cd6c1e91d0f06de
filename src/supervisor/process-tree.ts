// Pure: the descendants of a root pid in a process table snapshot.
import type { ProcessInfo } from '../platform/platform.ts';

export function descendantsOf(rootPid: number, table: readonly ProcessInfo[]): ProcessInfo[] {
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
    for (const child of children.get(pid) ?? []) {
      if (visited.has(child.pid)) continue;
      visited.add(child.pid);
      result.push(child);
      queue.push(child.pid);
    }
  }
  return result;
}
