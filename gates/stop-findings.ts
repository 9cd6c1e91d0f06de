// What a stop left to answer for, from its supervisor records alone: the one judge of a
// stop that `evident down` (over its events), the shutdown check (`down --record`) and
// every Gate 1 cycle share, so the three never disagree about the same stop.
//
// From `supervisor.stopped`, `supervisor.kill` and the last `supervisor.leftover-check`:
// - forced kills: a service still alive at its stop timeout, killed;
// - unclean exits: a service's own process ended with a non-zero code or by a signal
//   (death by an unhandled SIGTERM is not a clean exit: none of its shutdown code ran);
//   a SIGKILL that evident's own kill sent is the forced kill, not counted twice. An exit
//   evident could not see (it is not the parent) is reported, never counted as non-zero;
// - escapees: members of a service found at its stop outside the service's process
//   group or session, re-decided here from the recorded groups (`leftServiceGroup`),
//   whether they then obeyed the stop or had to be killed;
// - leftovers: the leftover check re-judged from the process table it recorded, and any
//   process killed after its service's own process had ended (it outlived its service);
// - the leftover check itself: a table that cannot be real (empty, or without the evident
//   process that ran the check) makes it incomplete, never clean.
// Each finding beyond what the criteria allow is a reason; what they allow is said in
// `allowed`, so a pass that needed an allowance says so. Pure: records in, findings out.
import { leftServiceGroup, type ProcessGroup } from '../src/platform/process-groups.ts';
import type { LeftoverEvidenceJson } from '../src/supervisor/leftover-evidence-json.ts';
import type { EscapedProcess } from '../src/supervisor/supervisor-event.ts';
import { recordedLeftovers, type RecordedLeftover } from './recorded-leftovers.ts';

/** A journal record as far as this judge reads it (`supervisorRecord(event)` gives one). */
export interface StopRecord {
  type: string;
  payload: Record<string, unknown>;
}

export interface StopCriteria {
  /** Processes or listeners left behind allowed (the hardening bar is 0). */
  max_leftovers: number;
  /** Services that may need a kill after their stop timeout; null: any number. */
  max_forced_kills: number | null;
  /** Whether a service's own process may end other than by exit 0 on stop. */
  allow_unclean_exits: boolean;
  /** Whether a member may have left its service's process group or session. */
  allow_escaped_processes: boolean;
}

/** The plan's bar: nothing left, no kill, exit 0, nobody outside its group. */
export const STRICT_STOP_CRITERIA: StopCriteria = { max_leftovers: 0, max_forced_kills: 0, allow_unclean_exits: false, allow_escaped_processes: false };

export interface StoppedService {
  service: string;
  graceful: boolean;
  duration_ms: number;
  exit_code: number | null;
  exit_signal: string | null;
  exit_observed: boolean;
}

export interface ForcedKill {
  service: string;
  pids: number[];
  /** The service's own process, or null when it had ended before the kill. */
  root: number | null;
  after_ms: number | null;
  processes: { pid: number; ppid: number; command: string }[];
}

export interface UncleanExit {
  service: string;
  exit_code: number | null;
  exit_signal: string | null;
}

export interface StopEscapee extends EscapedProcess {
  service: string;
  /** The group and session the service's members belong in. */
  service_group: ProcessGroup;
  /** Killed at the stop timeout (it ignored the graceful stop), or ended with the stop. */
  killed: boolean;
}

export interface StopLeftover extends RecordedLeftover {
  /** Set for a process killed after its service's own process had ended: it outlived its service. */
  killed_after_ms?: number | null;
}

export interface LeftoverCheckState {
  status: 'clean' | 'found' | 'incomplete';
  /** What it found, re-judged from its record. */
  found: number;
  /** The whole process table's size when it ran, and how much of it is recorded. */
  processes_total: number;
  processes_recorded: number;
  others_count: number;
  /** Why it is incomplete, or null. */
  problem: string | null;
}

export interface StopFindings {
  stopped: StoppedService[];
  forced_kills: ForcedKill[];
  unclean_exits: UncleanExit[];
  /** Services whose exit evident could not see (not its parent): reported, not counted. */
  exits_not_observed: string[];
  escaped_processes: StopEscapee[];
  leftovers: StopLeftover[];
  /** Pids of processes left behind (listeners are not zombies). */
  zombie_pids: number[];
  /** The last leftover check, or null when none ran. */
  leftover_check: LeftoverCheckState | null;
  /** Findings beyond what the criteria allow: the stop fails on any. */
  reasons: string[];
  /** Findings the criteria allowed, said out loud. */
  allowed: string[];
}

/** Stop criteria from a run's recorded criteria (unknown shape), each missing one from `defaults`. */
export function readStopCriteria(raw: Record<string, unknown>, defaults: StopCriteria): StopCriteria {
  const count = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : undefined);
  return {
    max_leftovers: count(raw.max_leftovers) ?? defaults.max_leftovers,
    max_forced_kills: raw.max_forced_kills === null ? null : (count(raw.max_forced_kills) ?? defaults.max_forced_kills),
    allow_unclean_exits: typeof raw.allow_unclean_exits === 'boolean' ? raw.allow_unclean_exits : defaults.allow_unclean_exits,
    allow_escaped_processes: typeof raw.allow_escaped_processes === 'boolean' ? raw.allow_escaped_processes : defaults.allow_escaped_processes,
  };
}

export function judgeStopFindings(records: readonly StopRecord[], criteria: StopCriteria = STRICT_STOP_CRITERIA): StopFindings {
  const of = (type: string) => records.filter((r) => r.type === type).map((r) => r.payload);

  const stopped: StoppedService[] = of('supervisor.stopped').map((p) => ({
    service: String(p.service),
    graceful: p.graceful === true,
    duration_ms: numberOr(p.durationMs, 0),
    exit_code: numberOrNull(p.exit_code),
    exit_signal: typeof p.exit_signal === 'string' ? p.exit_signal : null,
    exit_observed: p.exit_observed === true,
  }));
  const kills: ForcedKill[] = of('supervisor.kill').map((p) => ({
    service: String(p.service),
    pids: Array.isArray(p.pids) ? (p.pids as number[]) : [],
    root: numberOrNull(p.root),
    after_ms: numberOrNull(p.afterMs),
    processes: Array.isArray(p.processes) ? (p.processes as ForcedKill['processes']) : [],
  }));
  const rootKilled = (service: string) => kills.some((k) => k.service === service && k.root !== null && k.pids.includes(k.root));

  const uncleanExits: UncleanExit[] = stopped
    .filter((s) => s.exit_observed && (s.exit_signal !== null ? !(s.exit_signal === 'SIGKILL' && rootKilled(s.service)) : s.exit_code !== 0))
    .map((s) => ({ service: s.service, exit_code: s.exit_code, exit_signal: s.exit_signal }));
  const exitsNotObserved = stopped.filter((s) => !s.exit_observed).map((s) => s.service);

  const killedPids = new Set(kills.flatMap((k) => k.pids));
  const escaped: StopEscapee[] = of('supervisor.stopped').flatMap((p) => {
    const group = asGroup(p.group);
    const list = Array.isArray(p.escaped) ? (p.escaped as EscapedProcess[]) : [];
    return list.flatMap((e) => {
      const left = leftServiceGroup(group, { pgid: numberOrNull(e.pgid), sid: numberOrNull(e.sid) });
      return left === null ? [] : [{ ...e, left, service: String(p.service), service_group: group, killed: killedPids.has(e.pid) }];
    });
  });

  const checkRecord = records.filter((r) => r.type === 'supervisor.leftover-check').at(-1);
  const found = recordedLeftovers(checkRecord);
  // Killed at the stop timeout after the service's own process had ended: it outlived
  // its service, an orphan the service left, even though evident then killed it. (When
  // the service's own process had to be killed too, nothing outlived it.)
  const outlived: StopLeftover[] = kills.flatMap((k) => {
    if (k.processes.some((p) => p.pid === k.root)) return [];
    return k.processes.filter((p) => p.pid !== k.root).map((p) => ({ kind: 'orphan', service: k.service, pid: p.pid, ppid: p.ppid, command: p.command, port: null, killed_after_ms: k.after_ms }));
  });
  const leftovers: StopLeftover[] = [...outlived, ...found.filter((l) => l.pid === null || !outlived.some((o) => o.pid === l.pid))];
  const leftoverCheck = checkRecord ? checkState(checkRecord.payload, found.length) : null;

  const reasons: string[] = [];
  const allowed: string[] = [];
  if (leftoverCheck?.problem) reasons.push(`the leftover check is incomplete: ${leftoverCheck.problem}`);
  if (leftovers.length > 0) {
    const described = `${leftovers.length} left behind after the stop: ${leftovers.map(describeLeftover).join('; ')}`;
    if (leftovers.length > criteria.max_leftovers) reasons.push(described);
    else allowed.push(`${described} (max_leftovers ${criteria.max_leftovers})`);
  }
  for (const e of escaped) (criteria.allow_escaped_processes ? allowed : reasons).push(`${describeEscape(e)}${criteria.allow_escaped_processes ? ' (allow_escaped_processes)' : ''}`);
  if (kills.length > 0) {
    const over = criteria.max_forced_kills !== null && kills.length > criteria.max_forced_kills;
    for (const k of kills) (over ? reasons : allowed).push(`${describeKill(k)}${over ? '' : ` (max_forced_kills ${criteria.max_forced_kills ?? 'any'})`}`);
  }
  for (const u of uncleanExits) (criteria.allow_unclean_exits ? allowed : reasons).push(`${describeUncleanExit(u)}${criteria.allow_unclean_exits ? ' (allow_unclean_exits)' : ''}`);

  return {
    stopped,
    forced_kills: kills,
    unclean_exits: uncleanExits,
    exits_not_observed: exitsNotObserved,
    escaped_processes: escaped,
    leftovers,
    zombie_pids: leftovers.filter((l) => l.kind !== 'listener' && l.pid !== null).map((l) => l.pid as number),
    leftover_check: leftoverCheck,
    reasons,
    allowed,
  };
}

/** The leftover check as recorded: what it found, how much of the table it kept, and whether that table can be real. */
function checkState(payload: Record<string, unknown>, found: number): LeftoverCheckState {
  const evidence = (payload.evidence ?? {}) as Partial<LeftoverEvidenceJson>;
  const table = Array.isArray(evidence.table) ? evidence.table : [];
  const consolePid = numberOrNull(evidence.console_pid);
  let problem: string | null = null;
  if (table.length === 0) problem = 'its process table is empty: a check that saw no process at all (not even evident) cannot be real';
  else if (consolePid === null || !table.some((p) => p.pid === consolePid)) {
    problem = `its process table does not hold evident's own process (pid ${consolePid ?? '?'}) that ran the check, so it cannot be the whole table`;
  }
  const othersCount = numberOr(evidence.others_count, 0);
  return {
    status: problem !== null ? 'incomplete' : found > 0 ? 'found' : 'clean',
    found,
    processes_total: numberOr(evidence.table_total, table.length + othersCount),
    processes_recorded: table.length,
    others_count: othersCount,
    problem,
  };
}

export function describeLeftover(l: StopLeftover): string {
  if (l.kind === 'listener' || l.pid === null) return `listener on port ${l.port}${l.pid !== null ? ` (pid ${l.pid}: ${l.command || 'command unknown'})` : ''}`;
  const killed = l.killed_after_ms !== undefined ? `, outlived ${l.service} and was killed after ${l.killed_after_ms} ms` : '';
  return `${l.kind} pid ${l.pid} (${l.command}${killed})`;
}

export function describeEscape(e: StopEscapee): string {
  const what = e.left === 'session' ? 'session' : 'process group';
  const held = e.port !== null ? `, holding port ${e.port}` : '';
  const how = e.killed ? 'it ignored the stop and was killed' : 'it ended with the stop';
  return `pid ${e.pid} of ${e.service} left the service's ${what} (pgid ${e.pgid ?? '?'} sid ${e.sid ?? '?'}; the service's pgid ${e.service_group.pgid ?? '?'} sid ${e.service_group.sid ?? '?'}): ${e.command || '(command unknown)'}${held}; ${how}`;
}

export function describeKill(k: ForcedKill): string {
  const list = k.processes.length > 0 ? k.processes.map((p) => `${p.pid} (${p.command})`).join(', ') : k.pids.join(', ');
  return `${k.service} did not stop within its stop timeout: killed ${list}${k.after_ms !== null ? ` after ${k.after_ms} ms` : ''}`;
}

export function describeUncleanExit(u: UncleanExit): string {
  if (u.exit_signal === 'SIGTERM') return `${u.service} was ended by SIGTERM on stop: it did not handle the signal, so none of its shutdown code ran`;
  if (u.exit_signal !== null) return `${u.service} was ended by ${u.exit_signal} on stop, not by a clean exit`;
  return `${u.service} exited with code ${u.exit_code ?? '?'} on stop, not 0`;
}

function asGroup(value: unknown): ProcessGroup {
  const g = (value ?? {}) as Record<string, unknown>;
  return { pgid: numberOrNull(g.pgid), sid: numberOrNull(g.sid) };
}

function numberOr(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}

function numberOrNull(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}
