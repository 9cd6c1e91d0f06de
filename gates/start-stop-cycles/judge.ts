// Gate 1's verdict, from its journal alone. The services checked are the ones the run's
// `run.start` names (the runner takes them from the locked contract); a run that names
// none checked nothing and fails. The run's records are split into cycles by their
// `gate.cycle.start` records; in each cycle every service must have become healthy
// (`supervisor.ready`, no `supervisor.start-failed`), every recorded health check
// (`probe.health`) must have passed, and the stop must be clean by the judge every view
// of a stop shares (gates/stop-findings.ts) held to the plan's bar: no service killed
// after its stop timeout, every service's own process exiting 0 (death by a signal it did
// not handle is not a clean exit; an exit evident could not see is reported, not
// counted), no process outside its service's group or session (unless the pipeline's
// `allow_escaped_processes` says so, which the summary then shows), and a complete
// leftover check — re-judged from the process table it recorded — that found nothing.
// A run that was aborted, or whose runner failed (`run.error`), is never PASSED. Pure:
// the same records and criteria always give the same verdict.
import type { Judge, RunStatus, Verdict } from '../../src/evidence/judge-registry.ts';
import type { JournalRecord } from '../../src/evidence/journal-record.ts';
import { judgeStopFindings, type ForcedKill, type LeftoverCheckState, type StopCriteria, type StopEscapee, type StopLeftover, type UncleanExit } from '../stop-findings.ts';

export interface StartStopCriteria {
  max_failed_health_checks: number;
  max_leftovers: number;
  /** A process that left its service's process group or session fails the cycle unless this is true. */
  allow_escaped_processes: boolean;
}

/** What a cycle's stop is held to: the plan's bar (no kill, exit 0) with the pipeline's leftover and escape allowances. */
export function gate1StopCriteria(criteria: Record<string, unknown>): StopCriteria {
  return {
    max_leftovers: numberOr(criteria.max_leftovers, 0),
    max_forced_kills: 0,
    allow_unclean_exits: false,
    allow_escaped_processes: criteria.allow_escaped_processes === true,
  };
}

export interface StartStopParameters {
  cycles: number;
  duration_s: number;
  interval_s: number;
}

/** Probe rounds in one cycle: one every interval for the duration (30 min / 5 s = 360). */
export function roundsPerCycle(parameters: Pick<StartStopParameters, 'duration_s' | 'interval_s'>): number {
  return Math.max(1, Math.floor(parameters.duration_s / parameters.interval_s + 1e-9));
}

export interface CycleVerdict {
  cycle: number;
  status: 'PASSED' | 'FAILED' | 'INCOMPLETE';
  services_ready: string[];
  start_failures: { service: string; reason: string }[];
  health_checks_total: number;
  health_checks_failed: number;
  /** Left after the stop: found by the leftover check, or outliving the service's graceful stop (then killed). */
  leftovers: StopLeftover[];
  /** Services killed after their stop timeout. */
  forced_kills: ForcedKill[];
  /** Services whose own process ended with a non-zero code or by a signal on stop. */
  unclean_exits: UncleanExit[];
  /** Services whose exit evident could not see (it was not their parent): reported, not counted. */
  exits_not_observed: string[];
  /** Processes found outside their service's process group or session at the stop. */
  escaped_processes: StopEscapee[];
  /** The leftover check that followed the stop, or null when none did. */
  leftover_check: LeftoverCheckState | null;
  /** Findings the criteria allowed (escapes with allow_escaped_processes, leftovers within max_leftovers). */
  allowed: string[];
  reasons: string[];
}

interface ServiceOutcome {
  status: 'healthy' | 'unhealthy' | 'failed-to-start' | 'never-started';
  pid: number | null;
  /** The HTTP status the last health check got: 200 for a healthy demo service (null when it got none: refused, timed out, or a tcp/exec probe). */
  healthz: number | null;
  last_health_check: { ok: boolean; code: number | null; latency_ms: number; detail: string; at: string } | null;
  health_checks_total: number;
  health_checks_failed: number;
}

export function judgeStartStopCycles(records: readonly JournalRecord[], criteria: Record<string, unknown>): Verdict {
  const maxFailedChecks = numberOr(criteria.max_failed_health_checks, 0);
  const stopCriteria = gate1StopCriteria(criteria);
  const start = records.find((r) => r.type === 'run.start');
  const parameters = (start?.payload.parameters ?? {}) as Partial<StartStopParameters>;
  const services = Array.isArray(start?.payload.services) ? (start.payload.services as string[]) : [];
  const cyclesPlanned = numberOr(parameters.cycles, 0);
  // Probe rounds each service must have been checked in, per cycle.
  const expectedRounds = parameters.duration_s && parameters.interval_s ? roundsPerCycle(parameters as StartStopParameters) : 0;

  const cycles: CycleVerdict[] = [];
  const perService = new Map<string, ServiceOutcome>(
    services.map((s) => [s, { status: 'never-started', pid: null, healthz: null, last_health_check: null, health_checks_total: 0, health_checks_failed: 0 }]),
  );
  let current: { cycle: number; records: JournalRecord[]; ended: boolean } | null = null;
  const segments: { cycle: number; records: JournalRecord[]; ended: boolean }[] = [];
  for (const record of records) {
    if (record.type === 'gate.cycle.start') {
      current = { cycle: numberOr(record.payload.cycle, segments.length + 1), records: [], ended: false };
      segments.push(current);
    } else if (record.type === 'gate.cycle.end' && current) {
      current.ended = true;
      // What follows a cycle's end (until the next cycle starts) is not that cycle's: a
      // later leftover check must not stand in for the one that followed its stop.
      current = null;
    } else if (current) {
      current.records.push(record);
    }
  }

  // The allowance of failed checks is run-wide: within it, a failed check fails no cycle.
  const checksOf = (segment: { records: JournalRecord[] }) => segment.records.filter((r) => r.type === 'probe.health');
  const healthTotal = segments.reduce((n, s) => n + checksOf(s).length, 0);
  const healthFailed = segments.reduce((n, s) => n + checksOf(s).filter((r) => r.payload.ok !== true).length, 0);
  const checksFail = healthFailed > maxFailedChecks;
  const zombiePids: number[] = [];
  for (const segment of segments) {
    const verdict = judgeCycle(segment, services, expectedRounds, stopCriteria, checksFail, perService);
    for (const leftover of verdict.leftovers) if (leftover.kind !== 'listener' && leftover.pid !== null) zombiePids.push(leftover.pid);
    cycles.push(verdict);
  }

  const reasons = cycles.flatMap((c) => c.reasons.map((reason) => `cycle ${c.cycle}: ${reason}`));
  if (checksFail) reasons.push(`${healthFailed} health check(s) failed, ${maxFailedChecks} allowed`);
  // Without services nothing was started, probed or stopped: no requirement was tested.
  const noServices = services.length === 0;
  if (noServices) reasons.unshift('the run names no services: nothing was checked');
  const ended = records.some((r) => r.type === 'run.end');
  const aborted = records.find((r) => r.type === 'run.aborted');
  // The runner failed (a bug, an OS error): recorded by the caller, never a pass.
  const runnerError = records.find((r) => r.type === 'run.error');
  // The runner died and its guard closed the run (evident gate-guard).
  const runnerDied = records.find((r) => r.type === 'run.interrupted');
  const completed = cycles.filter((c) => c.status !== 'INCOMPLETE').length;
  const failedCycles = cycles.filter((c) => c.status === 'FAILED').length;
  let status: RunStatus;
  if (!ended) status = 'INTERRUPTED';
  else if (noServices || failedCycles > 0 || checksFail) status = 'FAILED';
  else if (aborted || runnerError || runnerDied) status = 'INTERRUPTED';
  else if (completed < cyclesPlanned || cyclesPlanned === 0) status = 'INTERRUPTED';
  else status = 'PASSED';
  if (!ended) reasons.unshift('the run has no end record: its runner stopped before it finished');
  else if (aborted && status === 'INTERRUPTED') reasons.unshift(`aborted by ${aborted.actor}${typeof aborted.payload.reason === 'string' && aborted.payload.reason !== '' ? `: ${aborted.payload.reason}` : ''}`);
  else if (runnerDied && status === 'INTERRUPTED') reasons.unshift(`the runner (pid ${String(runnerDied.payload.runner_pid)}) died mid-run; ${String(runnerDied.payload.detected_by ?? 'its guard')} stopped the fleet and ended the run`);
  else if (runnerError && status === 'INTERRUPTED') reasons.unshift(`the runner failed: ${String(runnerError.payload.message ?? 'no message')}`);
  else if (status === 'INTERRUPTED') reasons.unshift(`${completed} of ${cyclesPlanned} cycles completed`);

  return {
    status,
    gate: typeof start?.payload.gate === 'string' ? start.payload.gate : 'gate1',
    cycles_planned: cyclesPlanned,
    cycles_completed: completed,
    cycles_passed: cycles.filter((c) => c.status === 'PASSED').length,
    cycles_failed: failedCycles,
    // The plan counts them; the pids are beside.
    zombie_pids_detected: zombiePids.length,
    zombie_pids: zombiePids,
    forced_kills: cycles.reduce((n, c) => n + c.forced_kills.length, 0),
    unclean_exits: cycles.reduce((n, c) => n + c.unclean_exits.length, 0),
    exits_not_observed: cycles.reduce((n, c) => n + c.exits_not_observed.length, 0),
    escaped_processes: cycles.reduce((n, c) => n + c.escaped_processes.length, 0),
    allow_escaped_processes: stopCriteria.allow_escaped_processes,
    allowed: cycles.flatMap((c) => c.allowed.map((what) => `cycle ${c.cycle}: ${what}`)),
    health_checks_total: healthTotal,
    health_checks_passed: healthTotal - healthFailed,
    health_checks_failed: healthFailed,
    services: Object.fromEntries(perService),
    cycles,
    last_failure: reasons.find((r) => r.startsWith('cycle ')) ?? null,
    reasons,
  };
}

function judgeCycle(
  segment: { cycle: number; records: JournalRecord[]; ended: boolean },
  services: readonly string[],
  expectedRounds: number,
  stopCriteria: StopCriteria,
  checksFail: boolean,
  perService: Map<string, ServiceOutcome>,
): CycleVerdict {
  const of = (type: string) => segment.records.filter((r) => r.type === type);
  const ready = of('supervisor.ready').map((r) => ({ service: String(r.payload.service), pid: numberOrNull(r.payload.pid) }));
  const startFailures = of('supervisor.start-failed').map((r) => ({ service: String(r.payload.service), reason: String(r.payload.reason) }));
  const checks = of('probe.health');
  const failedChecks = checks.filter((r) => r.payload.ok !== true);
  // The stop and the leftover check that followed it: the judge every view of a stop shares.
  const stop = judgeStopFindings(segment.records, stopCriteria);

  for (const r of ready) {
    const outcome = perService.get(r.service);
    if (outcome) Object.assign(outcome, { status: 'healthy', pid: r.pid });
  }
  for (const f of startFailures) {
    const outcome = perService.get(f.service);
    if (outcome) outcome.status = 'failed-to-start';
  }
  for (const check of checks) {
    const outcome = perService.get(String(check.payload.service));
    if (!outcome) continue;
    outcome.health_checks_total++;
    if (check.payload.ok !== true) {
      outcome.health_checks_failed++;
      outcome.status = 'unhealthy';
    }
    outcome.healthz = httpStatusOf(check.payload);
    outcome.last_health_check = {
      ok: check.payload.ok === true,
      code: numberOrNull(check.payload.code),
      latency_ms: numberOr(check.payload.latency_ms, 0),
      detail: String(check.payload.detail ?? ''),
      at: check.event_time,
    };
  }

  const reasons: string[] = [];
  for (const f of startFailures) reasons.push(`${f.service} failed to start: ${f.reason}`);
  const notReady = services.filter((s) => !ready.some((r) => r.service === s) && !startFailures.some((f) => f.service === s));
  // Every service checked in every round: one service's extra checks make up for none of another's.
  const shortOfChecks = services.filter((s) => checks.filter((r) => r.payload.service === s).length < expectedRounds);
  if (checksFail) {
    for (const first of failedChecks.slice(0, 3)) {
      reasons.push(`${String(first.payload.service)} failed its health check at ${first.event_time}: ${String(first.payload.detail ?? 'no detail')}`);
    }
    if (failedChecks.length > 3) reasons.push(`… and ${failedChecks.length - 3} more failed health checks`);
  }
  reasons.push(...stop.reasons);

  const finished = segment.ended && stop.leftover_check !== null;
  let status: CycleVerdict['status'];
  if (reasons.length > 0) status = 'FAILED';
  else if (!finished || notReady.length > 0 || shortOfChecks.length > 0) status = 'INCOMPLETE';
  else status = 'PASSED';
  return {
    cycle: segment.cycle,
    status,
    services_ready: ready.map((r) => r.service),
    start_failures: startFailures,
    health_checks_total: checks.length,
    health_checks_failed: failedChecks.length,
    leftovers: stop.leftovers,
    forced_kills: stop.forced_kills,
    unclean_exits: stop.unclean_exits,
    exits_not_observed: stop.exits_not_observed,
    escaped_processes: stop.escaped_processes,
    leftover_check: stop.leftover_check,
    allowed: stop.allowed,
    reasons,
  };
}

/** The HTTP status a check got: its code when it was an HTTP probe (an exec probe's code is an exit code). */
function httpStatusOf(payload: Record<string, unknown>): number | null {
  const code = numberOrNull(payload.code);
  if (payload.kind === undefined) return code !== null && code >= 100 ? code : null;
  return payload.kind === 'http' ? code : null;
}

function numberOr(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}

function numberOrNull(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

export const startStopCyclesJudge: Judge = { kind: 'start-stop-cycles', title: 'Gate 1', judge: judgeStartStopCycles };
