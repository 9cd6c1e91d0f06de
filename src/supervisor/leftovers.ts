// The zombie/orphan check run after every stop: anything of ours still alive, any
// defunct child of ours, any listener left on a contract port. `judgeLeftovers` is pure
// over the raw evidence that `gatherLeftoverEvidence` collects; `concernedProcesses` is
// the part of the process table that evidence needs to keep (the rest is only counted).
import type { PortListener, ProcessInfo } from '../platform/platform.ts';
import type { Leftover, UnprovenProcess } from '../telemetry/fleet-snapshot.ts';
import { writeFileAtomic } from '../fs/atomic-write.ts';
import { knownProcesses, recordedGroups } from './known-processes.ts';
import { groupRows, proveOwnership, type KnownOwner, type OwnershipProof, type ServiceCgroup, type ServiceGroup } from './ownership.ts';
import { cgroupMembers, fleetCgroups } from './service-cgroup.ts';
import { toKnown } from './process-identity.ts';
import { descendantsOf } from './process-tree.ts';
import type { SupervisorContext } from './supervisor-context.ts';
import { findTagged } from './tagged-processes.ts';
import { commandLineText } from '../platform/command-line-text.ts';

export interface LeftoverEvidence {
  table: ProcessInfo[];
  /** pid → service name, for processes carrying this fleet's tag. */
  tagged: Map<number, string | null>;
  /** Identities of everything we ever started or saw under a service. */
  known: KnownOwner[];
  /** The process group and session evident created for each service it has a pid file of. */
  groups: ServiceGroup[];
  /** The fleet's cgroups and their members (absent in records written before they were kept). */
  cgroups?: ServiceCgroup[];
  /** Why the host gives no cgroup proof (null: it does; absent in records written before). */
  cgroupsUnavailable?: string | null;
  listeners: PortListener[];
  /** Contract port → service. */
  ports: Map<number, string>;
  /** Root pids of services that are meant to be running now (their trees are not leftovers). */
  runningRoots: number[];
  /** Names of those services: a process of theirs that left the tree is still theirs, not a leftover. */
  runningServices: string[];
  /** The console's own pid: its unreaped children count as defunct leftovers. */
  consolePid: number;
}

export function judgeLeftovers(evidence: LeftoverEvidence): Leftover[] {
  const byPid = new Map(evidence.table.map((p) => [p.pid, p]));
  const running = new Set<number>();
  for (const root of evidence.runningRoots) {
    running.add(root);
    for (const d of descendantsOf(root, evidence.table)) running.add(d.pid);
  }
  const owned = proveOwnership(evidence);
  const oursService = new Map<number, string | null>([...owned].map(([pid, o]) => [pid, o.service]));
  const proofOf = (pid: number): OwnershipProof | null => owned.get(pid)?.proof ?? null;
  const runningService = new Set(evidence.runningServices);
  for (const [pid, service] of oursService) if (service !== null && runningService.has(service)) running.add(pid);

  const leftovers: Leftover[] = [];
  const command = (p: ProcessInfo | undefined) => (p && p.argv.length > 0 ? commandLineText(p.argv) : '');
  for (const p of evidence.table) {
    if (running.has(p.pid) || p.pid === evidence.consolePid) continue;
    if (p.state === 'Z') {
      // Defunct: exited, waiting for its parent to collect it. Ours to report when the
      // parent is ours (it is not reaping) or is this console; an orphan handed to init
      // (or a subreaper) is theirs to collect.
      if (running.has(p.ppid)) continue;
      if (oursService.has(p.ppid) || p.ppid === evidence.consolePid) {
        leftovers.push({
          kind: 'defunct',
          service: oursService.get(p.pid) ?? oursService.get(p.ppid) ?? null,
          pid: p.pid,
          ppid: p.ppid,
          command: command(p) || '(defunct)',
          port: null,
          // A defunct process cannot be killed; ending its parent (ours) lets init collect it.
          ours: oursService.has(p.ppid),
          proof: proofOf(p.ppid),
        });
      }
      continue;
    }
    if (oursService.has(p.pid)) {
      leftovers.push({ kind: 'orphan', service: oursService.get(p.pid) ?? null, pid: p.pid, ppid: p.ppid, command: command(p), port: null, ours: true, proof: proofOf(p.pid) });
    }
  }
  for (const listener of evidence.listeners) {
    if (listener.pid !== null && running.has(listener.pid)) continue;
    // An orphan of ours that still holds a contract port is one leftover, with its port.
    const orphan = leftovers.find((l) => l.kind === 'orphan' && l.pid === listener.pid && l.port === null);
    if (orphan) {
      orphan.port = listener.port;
      continue;
    }
    const holder = listener.pid === null ? undefined : byPid.get(listener.pid);
    const ours = listener.pid !== null && oursService.has(listener.pid);
    const service = evidence.ports.get(listener.port) ?? null;
    leftovers.push({
      kind: 'listener',
      service,
      pid: listener.pid,
      ppid: holder?.ppid ?? null,
      command: command(holder),
      port: listener.port,
      ours,
      proof: listener.pid === null ? null : proofOf(listener.pid),
      ...(!ours && holder ? { unproven: whyUnproven(evidence, holder, service) } : {}),
    });
  }
  return leftovers;
}

/**
 * Why no proof holds for `p`, which holds `service`'s port, one reason a proof: what an
 * operator needs to decide about a process evident leaves alone (one that scrubbed its
 * environment and left its session, on a host without cgroups, reads `no cgroup on this
 * host: …; outside its service's process group and session; no fleet tag in its
 * environment; never seen under a service`).
 */
function whyUnproven(evidence: LeftoverEvidence, p: ProcessInfo, service: string | null): UnprovenProcess {
  const why: string[] = [];
  if (evidence.cgroupsUnavailable) why.push(`no cgroup on this host: ${evidence.cgroupsUnavailable}`);
  else if (evidence.cgroupsUnavailable === null) why.push(evidence.cgroups?.some((c) => c.service === service) ? "not in its service's cgroup" : 'no cgroup of its service on record');
  const group = evidence.groups.find((g) => g.service === service);
  why.push(group ? `outside its service's process group ${group.pgid ?? '?'} and session ${group.sid ?? '?'}` : 'no process group or session of its service on record');
  why.push('no fleet tag in its environment');
  why.push('never seen under a service');
  return { started_at: new Date(p.startedAtMs).toISOString(), why };
}

/**
 * The rows of the table the check is about, in table order: every process ours by a
 * proof (ownership.ts), every member of a recorded group or session and the holder of its
 * id, the running services' roots, and everything below any of them; the holders of contract ports;
 * evident's own process and its defunct (unreaped) children. Nothing else can change
 * what `judgeLeftovers` finds — it reports only processes ours by a proof, defunct
 * children of those or of evident, and listeners (whose holder row it reads), and it
 * spares running trees — so judging these rows gives exactly what judging the whole
 * table gives. The rest of the host's processes are none of evident's business: a
 * recorded check keeps only how many there were.
 */
export function concernedProcesses(evidence: LeftoverEvidence): ProcessInfo[] {
  const { table, consolePid } = evidence;
  const byPid = new Map(table.map((p) => [p.pid, p]));
  const children = new Map<number, number[]>();
  for (const p of table) {
    if (p.pid === p.ppid) continue;
    const list = children.get(p.ppid) ?? [];
    list.push(p.pid);
    children.set(p.ppid, list);
  }
  const keep = new Set<number>();
  const queue: number[] = [];
  const add = (pid: number) => {
    if (!byPid.has(pid) || keep.has(pid)) return;
    keep.add(pid);
    queue.push(pid);
  };
  for (const pid of proveOwnership(evidence).keys()) add(pid);
  // What the group proof looked at (members of recorded groups, the holders of their ids),
  // so a re-judgement finds the same leaders and the same foreign members.
  for (const p of groupRows(table, evidence.groups)) add(p.pid);
  for (const pid of evidence.runningRoots) add(pid);
  // Everything below what is ours or running (a defunct child of ours among it).
  while (queue.length > 0) for (const child of children.get(queue.shift() as number) ?? []) add(child);
  for (const listener of evidence.listeners) if (listener.pid !== null && byPid.has(listener.pid)) keep.add(listener.pid);
  if (byPid.has(consolePid)) keep.add(consolePid);
  for (const p of table) if (p.state === 'Z' && p.ppid === consolePid) keep.add(p.pid);
  return table.filter((p) => keep.has(p.pid));
}

export async function gatherLeftoverEvidence(
  context: SupervisorContext,
  options: { everSeen?: KnownOwner[]; runningRoots?: number[]; runningServices?: string[] } = {},
): Promise<LeftoverEvidence> {
  const { platform, contract } = context;
  let table = await platform.listProcesses();
  // Node collects its own children's exit status by itself, a moment after they end:
  // give it that moment rather than report our own child as defunct.
  const settleBy = performance.now() + 1000;
  while (table.some((p) => p.state === 'Z' && p.ppid === process.pid) && performance.now() < settleBy) {
    await new Promise((r) => setTimeout(r, 20));
    table = await platform.listProcesses();
  }
  const cgroups = await cgroupMembers(context, await fleetCgroups(context));
  const tagged = await findTagged(context, table);
  const ports = new Map(contract.services.map((s) => [s.port, s.name]));
  return {
    table,
    tagged,
    known: [...knownProcesses(context.paths), ...(options.everSeen ?? [])],
    groups: recordedGroups(context.paths),
    cgroups,
    cgroupsUnavailable: platform.cgroups.unavailable,
    listeners: await platform.listeners([...ports.keys()]),
    ports,
    runningRoots: options.runningRoots ?? [],
    runningServices: options.runningServices ?? [],
    consolePid: process.pid,
  };
}

/** Keeps the identities of what was found, so a later `evident zombies --reap` may act on it. */
export function recordLeftovers(context: SupervisorContext, leftovers: Leftover[], evidence: LeftoverEvidence): void {
  const byPid = new Map(evidence.table.map((p) => [p.pid, p]));
  const processes: KnownOwner[] = [];
  for (const l of leftovers) {
    const seen = l.pid === null ? undefined : byPid.get(l.pid);
    if (l.ours && seen && l.kind !== 'defunct') processes.push({ service: l.service ?? '', known: toKnown(seen) });
  }
  writeFileAtomic(context.paths.leftovers, `${JSON.stringify({ checked_at: new Date().toISOString(), leftovers, processes }, null, 2)}\n`);
}
