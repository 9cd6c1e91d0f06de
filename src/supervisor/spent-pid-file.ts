// A service's pid file is the proof that what is left of it is ours: its process group and
// session, the descendants it was seen to start. So it outlives the service's own process
// while anything it proves ours is alive (nginx's workers after their master was killed),
// and only the process that controls the fleet removes it, once nothing is left — never a
// read-only command — and the service's cgroup with it when that is empty.
import type { ProcessInfo } from '../platform/platform.ts';
import { proveOwnership, serviceGroupOf } from './ownership.ts';
import { listPidFiles, readPidFile, removePidFile, type PidRecord } from './pid-file.ts';
import { checkIdentity } from './process-identity.ts';
import { removeIfUnused } from './service-cgroup.ts';
import type { SupervisorContext } from './supervisor-context.ts';

/** Pure: the live processes the record alone proves the service's (its process, descendants, group, session). */
export function remainsOf(record: PidRecord, table: readonly ProcessInfo[]): ProcessInfo[] {
  const owned = proveOwnership({
    table,
    tagged: new Map(),
    known: [record, ...record.descendants].map((known) => ({ service: record.service, known })),
    groups: [serviceGroupOf(record)],
  });
  return table.filter((p) => p.state !== 'Z' && owned.has(p.pid));
}

/**
 * Removes the service's pid file when it still names `record` and nothing it proves ours
 * is alive; returns what remains (the file is kept then).
 */
export async function dropIfSpent(context: SupervisorContext, record: PidRecord, table?: readonly ProcessInfo[]): Promise<ProcessInfo[]> {
  const remains = remainsOf(record, table ?? (await context.platform.listProcesses()));
  if (remains.length > 0) return remains;
  const onDisk = readPidFile(context.paths.pids, record.service);
  // Started again meanwhile: that pid file is the new process's.
  if (onDisk.kind === 'ok' && (onDisk.record.pid !== record.pid || onDisk.record.start_token !== record.start_token)) return [];
  removePidFile(context.paths.pids, record.service);
  // Its cgroup goes with it once nothing is in it (an escapee still in it keeps it, found by its name).
  if (record.cgroup) await removeIfUnused(context, record.cgroup);
  return [];
}

/** After a reap: every pid file whose service's process is gone and of which nothing is left is removed. */
export async function dropSpentPidFiles(context: SupervisorContext): Promise<void> {
  const table = await context.platform.listProcesses();
  for (const service of listPidFiles(context.paths.pids)) {
    const read = readPidFile(context.paths.pids, service);
    if (read.kind !== 'ok') continue;
    const record = { ...read.record, service };
    const root = table.find((p) => p.pid === record.pid) ?? null;
    if (checkIdentity(record, root).same) continue;
    await dropIfSpent(context, record, table);
  }
}
