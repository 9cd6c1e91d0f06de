// How far a gate run has come, from the records its journal holds so far: what a console
// or `evident gates` shows while the run goes on (cycle 3/10, checks 712/2160, failures 0,
// zombies 0, elapsed, ETA, the last failure in one line; for a soak, minute 12/2880).
// A Gate 1 stop counts its findings as the judge does (gates/stop-findings.ts): a kill at
// the stop timeout, an unclean exit, a process outside its service's group or session.
// Pure: records in, progress out;
// `now` is passed in, never read.
import type { JournalRecord } from '../src/evidence/journal-record.ts';
import { gate1StopCriteria } from './start-stop-cycles/judge.ts';
import { describeKill, judgeStopFindings, type StopCriteria } from './stop-findings.ts';

export interface GateProgress {
  runId: string;
  gate: string;
  kind: string;
  trial: boolean;
  startedAt: string;
  /** The run has its end record. */
  ended: boolean;
  /** The verdict record's status, once written. */
  status: string | null;
  cycle: number;
  cycles: number;
  /** A soak: the minutes closed so far, and how many it runs (0 for other kinds). */
  minute: number;
  minutes: number;
  checksDone: number;
  checksTotal: number;
  failures: number;
  zombies: number;
  elapsedMs: number;
  /** Estimated time left, from the schedule; null when it cannot be told. */
  etaMs: number | null;
  lastFailure: string | null;
  /** What the runner is doing: `starting`, `probing`, `stopping`, `ended`. */
  phase: string;
}

/** What has been folded so far: everything but the times, which depend on `now`. */
export type ProgressState = Omit<GateProgress, 'elapsedMs' | 'etaMs'> & {
  roundsPerCycle: number;
  durationMs: number;
  cycleStartedAt: string[];
  endedAt: string | null;
  /** What a Gate 1 cycle's stop is held to; null for other kinds. */
  stopCriteria: StopCriteria | null;
};

/** A run's progress from its records so far: one fold, so a follower never keeps the records. */
export function foldProgress(state: ProgressState | null, record: JournalRecord): ProgressState | null {
  const q = record.payload;
  if (record.type === 'run.start') {
    const parameters = (q.parameters ?? {}) as { cycles?: number; duration_s?: number; interval_s?: number; minute_s?: number };
    const services = Array.isArray(q.services) ? q.services.length : 0;
    const cycles = typeof parameters.cycles === 'number' ? parameters.cycles : 0;
    const rounds = parameters.duration_s && parameters.interval_s ? Math.max(1, Math.floor(parameters.duration_s / parameters.interval_s + 1e-9)) : 0;
    return {
      runId: String(q.run_id ?? record.correlation_id),
      gate: String(q.gate ?? q.kind ?? ''),
      kind: String(q.kind ?? ''),
      trial: q.trial === true,
      startedAt: record.event_time,
      ended: false,
      status: null,
      cycle: 0,
      cycles,
      minute: 0,
      minutes: q.kind === 'soak' && parameters.duration_s ? Math.floor(parameters.duration_s / (parameters.minute_s ?? 60) + 1e-9) : 0,
      checksDone: 0,
      checksTotal: cycles * rounds * services,
      failures: 0,
      zombies: 0,
      lastFailure: null,
      phase: 'starting',
      roundsPerCycle: rounds,
      durationMs: (parameters.duration_s ?? 0) * 1000,
      cycleStartedAt: [],
      endedAt: null,
      stopCriteria: q.kind === 'start-stop-cycles' ? gate1StopCriteria((q.criteria ?? {}) as Record<string, unknown>) : null,
    };
  }
  if (state === null) return null;
  const s = state;
  switch (record.type) {
    case 'gate.cycle.start':
      return { ...s, cycle: typeof q.cycle === 'number' ? q.cycle : s.cycle + 1, phase: 'starting', cycleStartedAt: [...s.cycleStartedAt, record.event_time] };
    case 'supervisor.start-failed':
      return { ...s, failures: s.failures + 1, lastFailure: `cycle ${s.cycle}: ${String(q.service)} failed to start: ${String(q.reason)}` };
    case 'probe.health':
      return q.ok === true
        ? { ...s, checksDone: s.checksDone + 1, phase: 'probing' }
        : { ...s, checksDone: s.checksDone + 1, phase: 'probing', failures: s.failures + 1, lastFailure: `cycle ${s.cycle}: ${String(q.service)} failed its health check: ${String(q.detail ?? '')}` };
    case 'supervisor.stop':
      return s.ended ? s : { ...s, phase: 'stopping' };
    case 'supervisor.kill': {
      const processes = Array.isArray(q.processes) ? (q.processes as { pid: number }[]) : [];
      // As the judge counts them: left alive after the service's own process ended.
      const orphans = processes.some((x) => x.pid === q.root) ? [] : processes.filter((x) => x.pid !== q.root);
      // In a Gate 1 cycle any kill at the stop timeout fails it.
      const kill = s.stopCriteria !== null && s.cycle > 0 && s.stopCriteria.max_forced_kills === 0 ? judgeStopFindings([record]).forced_kills[0] : undefined;
      const next = kill ? { ...s, failures: s.failures + 1, lastFailure: `cycle ${s.cycle}: ${describeKill(kill)}` } : s;
      if (orphans.length === 0) return next;
      return { ...next, zombies: s.zombies + orphans.length, lastFailure: `cycle ${s.cycle}: ${String(q.service)} left pid ${orphans.map((o) => o.pid).join(', ')} behind` };
    }
    case 'supervisor.stopped': {
      // A Gate 1 cycle's stop: an unclean exit, a process outside its service's group or session.
      if (s.stopCriteria === null || s.cycle === 0) return s;
      const reasons = judgeStopFindings([record], s.stopCriteria).reasons;
      return reasons.length === 0 ? s : { ...s, failures: s.failures + reasons.length, lastFailure: `cycle ${s.cycle}: ${reasons[0]}` };
    }
    case 'supervisor.leftover-check':
      return typeof q.found === 'number' && q.found > 0 ? { ...s, zombies: s.zombies + q.found, lastFailure: `cycle ${s.cycle}: ${q.found} left behind after the stop` } : s;
    case 'gate.stopped-early':
      return q.reason === 'aborted' ? s : { ...s, lastFailure: String(q.reason) };
    case 'soak.traffic.start':
      return { ...s, phase: 'soaking' };
    case 'soak.minute':
      return { ...s, minute: typeof q.minute === 'number' ? q.minute : s.minute + 1 };
    case 'soak.restart':
      return { ...s, lastFailure: `${String(q.service)} was ${String(q.state)} and started again${q.last_error ? ` (${String(q.last_error)})` : ''}` };
    case 'preflight.check':
      return { ...s, checksDone: s.checksDone + 1, phase: 'checking' };
    case 'run.end':
      return { ...s, ended: true, phase: 'ended', endedAt: record.event_time };
    case 'run.verdict':
      return { ...s, status: typeof q.status === 'string' ? q.status : null };
    default:
      return s;
  }
}

/** The progress at `now` (epoch ms): elapsed, and an ETA from the cycles run so far (or the schedule). */
export function progressAt(state: ProgressState, now: number): GateProgress {
  const { roundsPerCycle: _rounds, durationMs, cycleStartedAt, endedAt, stopCriteria: _criteria, ...shown } = state;
  const started = Date.parse(state.startedAt);
  // An ended run's clock stops at its end record, whenever it is looked at.
  const until = endedAt === null ? now : Math.min(now, Date.parse(endedAt));
  const elapsedMs = Math.max(0, until - started);
  let etaMs: number | null = null;
  if (state.ended) etaMs = 0;
  // A soak runs for its duration from when its traffic starts; the fleet's start-up is seconds.
  else if (state.minutes > 0 && durationMs > 0) etaMs = Math.max(0, durationMs - elapsedMs);
  else if (state.cycles > 0 && durationMs > 0) {
    // Whole cycles so far give the real length of one (start-up and stop included).
    const done = Math.max(0, cycleStartedAt.length - 1);
    const perCycle = done > 0 ? (Date.parse(cycleStartedAt[done] as string) - started) / done : durationMs;
    const currentStart = cycleStartedAt.length > 0 ? Date.parse(cycleStartedAt.at(-1) as string) : started;
    const remainingCycles = state.cycles - Math.max(1, cycleStartedAt.length);
    etaMs = Math.max(0, remainingCycles * perCycle + Math.max(0, perCycle - (now - currentStart)));
  }
  return { ...shown, elapsedMs, etaMs };
}

/** All at once, for a journal read whole. */
export function gateProgress(records: readonly JournalRecord[], now: number): GateProgress | null {
  let state: ProgressState | null = null;
  for (const record of records) state = foldProgress(state, record);
  return state === null ? null : progressAt(state, now);
}
