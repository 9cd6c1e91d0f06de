// Stops one service and its whole process tree: a graceful request first (the contract's
// stop_signal, sent once to each process: see Platform.requestStop), then a kill after
// the service's stop timeout. Only processes proven ours are ever signalled: the service
// itself by its recorded identity, the rest by a proof of ownership.ts (the service's
// cgroup, recorded descendants, its group or session, our tag). At the kill the whole
// cgroup is killed too (even what a member forks meanwhile), and an empty cgroup is removed.
// What the stop saw is on its `stopped` event: how the service's own process ended (when
// this process is its parent and so can see it) and every member found outside the
// service's process group or session (an escapee), with its port if it held one.
import type { ResolvedService } from '../contract/contract.ts';
import { DEFAULT_STOP_SIGNAL } from '../contract/service-signals.ts';
import type { ProcessInfo } from '../platform/platform.ts';
import { leftServiceGroup, type ProcessGroup } from '../platform/process-groups.ts';
import { removePidFile, type KnownProcess, type PidRecord } from './pid-file.ts';
import { proveOwnership, serviceGroupOf, type ServiceCgroup } from './ownership.ts';
import type { FleetCgroup } from '../platform/service-cgroups.ts';
import { cgroupMembers, removeWhenEmpty } from './service-cgroup.ts';
import { checkIdentity, toKnown } from './process-identity.ts';
import { descendantsOf } from './process-tree.ts';
import { emitNow, type SupervisorContext } from './supervisor-context.ts';
import type { EscapedProcess } from './supervisor-event.ts';
import { findTagged } from './tagged-processes.ts';
import { commandLineText } from '../platform/command-line-text.ts';

export interface StopOutcome {
  service: string;
  /** True when everything ended before the kill. */
  graceful: boolean;
  /** Pids that had to be killed. */
  killed: number[];
  /** Still alive after the kill (should never happen; reported as leftovers). */
  survivors: number[];
  durationMs: number;
  /** Every process seen as part of the service, for the leftover check that follows. */
  everSeen: KnownProcess[];
  /** How the service's own process ended, or null when this process could not see it. */
  exit: ServiceExit | null;
  /** Members found outside the service's process group or session. */
  escaped: EscapedProcess[];
}

export interface ServiceExit {
  code: number | null;
  signal: string | null;
}

const POLL_MS = 5;
const RESCAN_MS = 100;
const KILL_GRACE_MS = 2000;
/** How long to wait, once the service's process is gone, for Node to hand over its exit status. */
const EXIT_WAIT_MS = 1000;

export async function stopService(
  context: SupervisorContext,
  service: Pick<ResolvedService, 'name' | 'stop_timeout_s'> & { stop_signal?: ResolvedService['stop_signal'] },
  record: PidRecord,
  options: {
    tagged?: Map<number, string | null>;
    /** The exit of the service's process, when this process started it (its parent sees it). */
    exited?: Promise<ServiceExit>;
  } = {},
): Promise<StopOutcome> {
  const { platform } = context;
  const started = performance.now();
  const everSeen = new Map<number, KnownProcess>();
  for (const d of record.descendants) everSeen.set(d.pid, d);

  const table = await platform.listProcesses();
  const rootSeen = table.find((p) => p.pid === record.pid) ?? null;
  const rootCheck = checkIdentity(record, rootSeen);
  const root = rootCheck.same ? rootSeen : null;
  if (!rootCheck.same && rootSeen && rootSeen.state !== 'Z') {
    emitNow(context, { type: 'refused-signal', service: service.name, pid: record.pid, reason: rootCheck.reason });
  }
  everSeen.set(record.pid, record);
  // The group and session the service's members belong in: its own process's (it leads
  // both), or what its pid file recorded when that process has already gone.
  const group: ProcessGroup = root ? { pgid: root.pgid, sid: root.sid } : { pgid: record.pgid, sid: record.sid ?? null };
  const escaped = new Map<number, EscapedProcess>();
  /** Why the service's own process never got the stop request, once it is known. */
  let requestFailed: string | null = null;

  const tagged = options.tagged ?? (await findTagged(context, table));
  const cgroupPaths = await serviceCgroupPaths(context, service.name, record);
  const cgroups = await cgroupMembers(context, cgroupPaths);
  const members = findMembers(service.name, record, root, table, tagged, cgroups, everSeen);
  await noteEscapes(context, group, members, escaped);
  if (!root && members.length === 0) {
    removePidFile(context.paths.pids, service.name);
    return done(true, [], [], true);
  }

  // The contract's stop_signal, once per process (a contract cached before the field existed has none: SIGTERM).
  const signal = service.stop_signal ?? DEFAULT_STOP_SIGNAL;
  const delivery = await platform.requestStop(root, members, signal);
  const undelivered = new Set(delivery.undelivered.map((u) => u.pid));
  emitNow(context, {
    type: 'stop',
    service: service.name,
    pid: root?.pid ?? null,
    signalled: [...(root ? [root.pid] : []), ...members.map((m) => m.pid)].filter((pid) => !undelivered.has(pid)),
    signal,
    group: delivery.group,
    ...(delivery.undelivered.length > 0 ? { undelivered: delivery.undelivered } : {}),
  });
  // The service's own process never got the request: waiting stop_timeout_s for a
  // shutdown nobody asked for would only make the force look like a slow service.
  if (root !== null) requestFailed = delivery.undelivered.find((u) => u.pid === root.pid)?.reason ?? null;

  // Who existed once the signal was out: a child found later that is not among them was
  // born during the shutdown and never got it (unless it left the group, it has had none).
  const presentAtSignal = new Set((await platform.listProcesses()).map((p) => p.pid));
  const targets = new Map<number, ProcessInfo>(members.map((m) => [m.pid, m]));
  if (root) targets.set(root.pid, root);
  const deadline = requestFailed !== null ? started : started + service.stop_timeout_s * 1000;
  let lastScan = performance.now();
  while (performance.now() < deadline) {
    await pruneGone(context, targets);
    if (targets.size === 0) break;
    // A service may start children while it shuts down: look for new ones now and then.
    if (performance.now() - lastScan >= RESCAN_MS && root) {
      lastScan = performance.now();
      const newTable = await platform.listProcesses();
      const inCgroup = new Set((await cgroupMembers(context, cgroupPaths)).flatMap((c) => c.members.map((m) => `${m.pid}/${m.start_token}`)));
      const fresh: ProcessInfo[] = [];
      const born = [...descendantsOf(root.pid, newTable), ...newTable.filter((p) => inCgroup.has(`${p.pid}/${p.startToken}`))];
      for (const child of born) {
        if (!targets.has(child.pid) && child.state !== 'Z') {
          targets.set(child.pid, child);
          everSeen.set(child.pid, toKnown(child));
          fresh.push(child);
        }
      }
      await noteEscapes(context, group, fresh, escaped);
      // Children born during shutdown get the graceful signal too, once: a group signal sent
      // before they existed never reached them, and one outside the group never gets it.
      const unsignalled = fresh.filter((child) => !presentAtSignal.has(child.pid) || delivery.group === null || child.pgid !== delivery.group);
      if (unsignalled.length > 0) {
        await platform.requestStop(null, unsignalled, signal);
        emitNow(context, { type: 'stop', service: service.name, pid: null, signalled: unsignalled.map((c) => c.pid), signal, group: null });
      }
    }
    await sleep(POLL_MS);
  }
  if (targets.size === 0) {
    removePidFile(context.paths.pids, service.name);
    return done(true, [], []);
  }

  const killed = [...targets.keys()];
  const rootAlive = root && targets.has(root.pid) ? root : null;
  await platform.forceKill(rootAlive, [...targets.values()].filter((t) => t.pid !== rootAlive?.pid));
  // Everything in the service's cgroup is proven ours: one kill ends it all, forks included.
  for (const cgroup of cgroupPaths) await platform.cgroups.killAll(cgroup.path);
  emitNow(context, {
    type: 'kill',
    service: service.name,
    pids: killed,
    afterMs: Math.round(performance.now() - started),
    root: root?.pid ?? null,
    processes: [...targets.values()].map((t) => ({ pid: t.pid, ppid: t.ppid, command: commandLineText(t.argv) })),
  });
  const killDeadline = performance.now() + KILL_GRACE_MS;
  while (targets.size > 0 && performance.now() < killDeadline) {
    await sleep(POLL_MS);
    await pruneGone(context, targets);
  }
  removePidFile(context.paths.pids, service.name);
  return done(false, killed, [...targets.keys()]);

  async function done(graceful: boolean, killedPids: number[], survivors: number[], alreadyEnded = false): Promise<StopOutcome> {
    // The parent sees how its child ended: wait (briefly) for Node to collect it, which
    // also keeps the leftover check from seeing our own child as defunct.
    const exit = options.exited ? await within(options.exited, EXIT_WAIT_MS) : null;
    const durationMs = Math.round(performance.now() - started);
    // Gone with the stop (a survivor keeps it, for the leftover check and a reap).
    for (const cgroup of cgroupPaths) await removeWhenEmpty(context, cgroup.path);
    const escapees = [...escaped.values()];
    emitNow(context, {
      type: 'stopped',
      service: service.name,
      graceful,
      durationMs,
      exit_code: exit?.code ?? null,
      exit_signal: exit?.signal ?? null,
      exit_observed: exit !== null,
      ...(alreadyEnded ? { already_ended: true } : {}),
      ...(requestFailed !== null ? { graceful_request_failed: requestFailed } : {}),
      group,
      escaped: escapees,
    });
    return { service: service.name, graceful, killed: killedPids, survivors, durationMs, everSeen: [...everSeen.values()], exit, escaped: escapees };
  }
}

/** The service's cgroups: the one its pid file records, and one of its name (an earlier run's, with something left in it). */
async function serviceCgroupPaths(context: SupervisorContext, service: string, record: PidRecord): Promise<FleetCgroup[]> {
  const byName = (await context.platform.cgroups.fleetCgroups(context.paths.fleetTag, [service])).filter((c) => c.service === service);
  const recorded = record.cgroup ? [{ service, path: record.cgroup }] : [];
  return [...recorded, ...byName.filter((c) => c.path !== record.cgroup)];
}

/** Everything of the service's still alive: its tree now, and what is proven its own (ownership.ts: its cgroup, recorded descendants, its group or session, its tag). */
function findMembers(
  service: string,
  record: PidRecord,
  root: ProcessInfo | null,
  table: ProcessInfo[],
  tagged: Map<number, string | null>,
  cgroups: ServiceCgroup[],
  everSeen: Map<number, KnownProcess>,
): ProcessInfo[] {
  const members = new Map<number, ProcessInfo>();
  if (root) for (const child of descendantsOf(root.pid, table)) if (child.state !== 'Z') members.set(child.pid, child);
  const owned = proveOwnership({
    table,
    tagged,
    known: record.descendants.map((known) => ({ service, known })),
    groups: [serviceGroupOf({ ...record, service })],
    cgroups,
  });
  for (const candidate of table) {
    if (members.has(candidate.pid) || candidate.pid === record.pid || candidate.state === 'Z') continue;
    if (owned.get(candidate.pid)?.service === service) members.set(candidate.pid, candidate);
  }
  for (const member of members.values()) everSeen.set(member.pid, toKnown(member));
  return [...members.values()];
}

/** Adds the members that left the service's group or session, with the contract port each holds. */
async function noteEscapes(context: SupervisorContext, group: ProcessGroup, members: readonly ProcessInfo[], escaped: Map<number, EscapedProcess>): Promise<void> {
  const found = members.flatMap((m) => {
    const left = escaped.has(m.pid) ? null : leftServiceGroup(group, m);
    return left === null ? [] : [{ member: m, left }];
  });
  if (found.length === 0) return;
  const listeners = await context.platform.listeners(context.contract.services.map((s) => s.port));
  for (const { member, left } of found) {
    escaped.set(member.pid, {
      pid: member.pid,
      ppid: member.ppid,
      pgid: member.pgid,
      sid: member.sid,
      left,
      command: commandLineText(member.argv),
      port: listeners.find((l) => l.pid === member.pid)?.port ?? null,
    });
  }
}

/** Drops targets that have ended (gone, defunct, or the pid now belongs to someone else). */
async function pruneGone(context: SupervisorContext, targets: Map<number, ProcessInfo>): Promise<void> {
  const now = new Map((await context.platform.readProcesses([...targets.keys()])).map((p) => [p.pid, p]));
  for (const [pid, target] of targets) {
    const seen = now.get(pid);
    if (!seen || seen.state === 'Z' || seen.startToken !== target.startToken) targets.delete(pid);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** The promise's value, or null when it takes longer than `ms`. */
function within<T>(promise: Promise<T>, ms: number): Promise<T | null> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), ms)));
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
