// Programs that daemonize themselves (fork, the parent exits 0, the child serves) are
// followed, as systemd guesses a forking service's main pid: when a service's process
// exits cleanly and exactly one process carrying this service's tag survives it (with
// anything it started below it), that process becomes the service's process. It must
// have started after the service did: a tagged orphan of an earlier run is a leftover,
// never a successor. Anything else is an exit. A service declared `daemonizes` is never
// guessed: its pid file names its daemon (daemon-from-pid-file.ts).
import type { ProcessInfo } from '../platform/platform.ts';
import type { PidRecord } from './pid-file.ts';
import { toKnown } from './process-identity.ts';
import type { SupervisorContext } from './supervisor-context.ts';
import { findTagged } from './tagged-processes.ts';

/** The daemon `record`'s process left behind, if there is exactly one. */
export async function findForkedSuccessor(context: SupervisorContext, record: PidRecord): Promise<ProcessInfo | null> {
  const table = await context.platform.listProcesses();
  return chooseSuccessor(record, table, await findTagged(context, table));
}

/** Pure: the one top-most process of the service's tag, other than its own, that started after it; else null. */
export function chooseSuccessor(record: PidRecord, table: readonly ProcessInfo[], tagged: ReadonlyMap<number, string | null>): ProcessInfo | null {
  const candidates = table.filter((p) => p.pid !== record.pid && p.state !== 'Z' && tagged.get(p.pid) === record.service);
  const pids = new Set(candidates.map((p) => p.pid));
  // Top-most first, then by age: a child an old orphan started just now is still the orphan's.
  const startedAtMs = Date.parse(record.started_at);
  const leaders = candidates.filter((p) => !pids.has(p.ppid) && p.startedAtMs >= startedAtMs);
  return leaders.length === 1 ? (leaders[0] as ProcessInfo) : null;
}

/** The service's record, now naming the successor as its process. */
export function followedRecord(record: PidRecord, successor: ProcessInfo): PidRecord {
  return { ...record, ...toKnown(successor), pgid: successor.pgid, sid: successor.sid, started_at: new Date(successor.startedAtMs).toISOString() };
}
