// Readiness is confirmed by who holds the port. A probe only says that something answered
// on the service's port; a foreign process that took the port while the service started
// would answer it too. So at the first passing probe after a start, where the probe
// targets the service's own port on this host, the listener on that port must be held by
// a process of the service's tree: its own process (a followed daemon's, for a service
// that daemonizes), anything below it (nginx's workers hold the master's socket too), or a
// process proven the service's by ownership.ts (its cgroup, its group or session, a
// recorded descendant, its tag). A foreign holder fails the start, named. Where the platform cannot
// see a socket's owner (another user's process, an OS that does not say), the holder is
// "unknown": said, recorded, and not a failure. `judgePortHolder` is pure; `checkPortHolder`
// reads the listeners and the process table.
import type { ResolvedService } from '../contract/contract.ts';
import { DEFAULT_PROBE_HOST } from '../contract/probe-host.ts';
import { commandLineText } from '../platform/command-line-text.ts';
import type { PortListener, ProcessInfo } from '../platform/platform.ts';
import { proveOwnership, serviceGroupOf, type Owned } from './ownership.ts';
import type { PidRecord } from './pid-file.ts';
import { descendantsOf } from './process-tree.ts';
import type { SupervisorContext } from './supervisor-context.ts';
import { cgroupMembers } from './service-cgroup.ts';
import { findTagged } from './tagged-processes.ts';

export type PortHolderVerdict =
  /** Every holder that can be seen is of the service's tree. */
  | { status: 'service'; pids: number[] }
  /** Held (also) by processes outside the service's tree: they may have answered the probe. */
  | { status: 'foreign'; holders: { pid: number; command: string }[] }
  /** No holder can be seen: not a failure, said as such. */
  | { status: 'unknown'; why: string };

/** Hosts whose listeners are this machine's, so their holders can be read here. */
const LOCAL_HOSTS = new Set(['localhost', '::1', '0:0:0:0:0:0:0:1', '0.0.0.0', '::']);

/** Whether the service's probe asks its own contract port on this host: only then does that port's holder tell who answered. */
export function probesOwnPort(service: ResolvedService): boolean {
  const probe = service.health;
  if (probe.kind !== 'http' && probe.kind !== 'tcp') return false;
  if ((probe.port ?? service.port) !== service.port) return false;
  const host = (probe.host ?? DEFAULT_PROBE_HOST).toLowerCase();
  return LOCAL_HOSTS.has(host) || /^127\.\d+\.\d+\.\d+$/.test(host);
}

export interface PortHolderEvidence {
  service: string;
  port: number;
  /** The service's own process (for a daemonizing service, the daemon followed). */
  rootPid: number;
  listeners: readonly PortListener[];
  table: readonly ProcessInfo[];
  /** What ownership.ts proves of the table from the service's own record. */
  owned: ReadonlyMap<number, Owned>;
}

export function judgePortHolder(evidence: PortHolderEvidence): PortHolderVerdict {
  const { service, port, rootPid, table, owned } = evidence;
  const listeners = evidence.listeners.filter((l) => l.port === port);
  if (listeners.length === 0) return { status: 'unknown', why: `no listening socket on port ${port} can be seen here` };
  const seen = [...new Set(listeners.flatMap((l) => (l.pid === null ? [] : [l.pid])))];
  if (seen.length === 0) return { status: 'unknown', why: `the owner of the socket on port ${port} cannot be seen (another user's process, or the OS does not say)` };
  const tree = new Set([rootPid, ...descendantsOf(rootPid, table).map((p) => p.pid)]);
  for (const [pid, o] of owned) if (o.service === service) tree.add(pid);
  const byPid = new Map(table.map((p) => [p.pid, p]));
  const foreign = seen.filter((pid) => !tree.has(pid));
  if (foreign.length > 0) {
    return { status: 'foreign', holders: foreign.map((pid) => ({ pid, command: commandLineText(byPid.get(pid)?.argv ?? []) })) };
  }
  return { status: 'service', pids: seen };
}

/** `port 7020 is held by pid 1234 (python3 -m http.server), not by api-gateway's process tree` */
export function describeForeignHolder(service: string, port: number, holders: readonly { pid: number; command: string }[]): string {
  const named = holders.map((h) => `pid ${h.pid} (${h.command || 'command unknown'})`).join(', ');
  return `port ${port} is held by ${named}, not by ${service}'s process tree`;
}

/** The verdict on the service's port right now, or null when its probe does not ask that port here. */
export async function checkPortHolder(context: SupervisorContext, service: ResolvedService, record: PidRecord): Promise<PortHolderVerdict | null> {
  if (!probesOwnPort(service)) return null;
  const listeners = await context.platform.listeners([service.port]);
  const table = await context.platform.listProcesses();
  const holders = new Set(listeners.flatMap((l) => (l.pid === null ? [] : [l.pid])));
  // Only this service's own record proves anything here: another service's process holding
  // this port is as foreign to this service as any other program.
  const cgroup = record.cgroup ? [{ service: service.name, path: record.cgroup }] : [];
  const owned = proveOwnership({
    table,
    tagged: await findTagged(context, table.filter((p) => holders.has(p.pid))),
    known: [record, ...record.descendants].map((known) => ({ service: service.name, known })),
    groups: [serviceGroupOf(record)],
    cgroups: await cgroupMembers(context, cgroup),
  });
  return judgePortHolder({ service: service.name, port: service.port, rootPid: record.pid, listeners, table, owned });
}
