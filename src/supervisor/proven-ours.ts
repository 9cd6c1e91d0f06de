// Which of some processes are ours right now, and by which proof (ownership.ts): a fresh
// process table, the members of the fleet's cgroups, what state/ records (pid files, the
// last check's leftovers) and the fleet tag of the processes asked about. What the reap checks right before its signal, and
// what a port holder is said to be.
import type { ProcessInfo } from '../platform/platform.ts';
import { knownProcesses, recordedGroups } from './known-processes.ts';
import { proveOwnership, type Owned } from './ownership.ts';
import { cgroupMembers, fleetCgroups } from './service-cgroup.ts';
import type { SupervisorContext } from './supervisor-context.ts';
import { findTagged } from './tagged-processes.ts';

export async function provenOurs(context: SupervisorContext, pids: readonly number[]): Promise<Map<number, Owned & { info: ProcessInfo }>> {
  const wanted = new Set(pids);
  if (wanted.size === 0) return new Map();
  const table = await context.platform.listProcesses();
  const asked = table.filter((p) => wanted.has(p.pid));
  const owned = proveOwnership({
    table,
    tagged: await findTagged(context, asked),
    known: knownProcesses(context.paths),
    groups: recordedGroups(context.paths),
    cgroups: await cgroupMembers(context, await fleetCgroups(context)),
  });
  const result = new Map<number, Owned & { info: ProcessInfo }>();
  for (const info of asked) {
    const proof = owned.get(info.pid);
    if (proof) result.set(info.pid, { ...proof, info });
  }
  return result;
}
