// Programs that daemonize themselves (fork, the parent exits 0, the child serves) are
// followed, as systemd guesses a forking service's main pid: when a service's process
// exits cleanly and exactly one process carrying this service's tag survives it (with
// anything it started below it), that process becomes the service's process. Anything
// else is an exit.
import type { ProcessInfo } from '../platform/platform.ts';
import type { PidRecord } from './pid-file.ts';
import { toKnown } from './process-identity.ts';
import type { SupervisorContext } from './supervisor-context.ts';
import { findTagged } from './tagged-processes.ts';

export async function findForkedSuccessor(context: SupervisorContext, service: string, exitedPid: number): Promise<ProcessInfo | null> {
  const table = await context.platform.listProcesses();
  const tagged = await findTagged(context, table);
  const candidates = table.filter((p) => p.pid !== exitedPid && p.state !== 'Z' && tagged.get(p.pid) === service);
  const pids = new Set(candidates.map((p) => p.pid));
  const leaders = candidates.filter((p) => !pids.has(p.ppid));
  return leaders.length === 1 ? (leaders[0] as ProcessInfo) : null;
}

/** The service's record, now naming the successor as its process. */
export function followedRecord(record: PidRecord, successor: ProcessInfo): PidRecord {
  return { ...record, ...toKnown(successor), pgid: successor.pgid, sid: successor.sid, started_at: new Date(successor.startedAtMs).toISOString() };
}
