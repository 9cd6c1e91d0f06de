// Gate 2's verdict, from its journal alone. Pure: the same records and criteria always
// give the same verdict, so `evident verify` recomputes it from the files. The criteria
// themselves are folded minute by minute in soak-tally.ts, which the runner uses live.
//
// Records read (any other type is ignored):
// - `run.start`    payload.parameters {duration_s, warmup_s, minute_s (default 60),
//                  sample_interval_s (default 5)}; payload.services: string[] (none
//                  declared: FAILED, nothing was observed); payload.gate (default "gate2").
// - `soak.minute`  payload = one minute's metrics document (minute-metrics.ts,
//                  `MinuteMetrics`), minute index from 1. A repeated index keeps the first.
// - `run.aborted`  the operator stopped the run (payload.reason optional).
// - `run.error`, `run.interrupted`  the runner failed / died: never PASSED.
// - `run.end`      the runner finished.
//
// Status: FAILED on any breach (with or without run.end), or when run.start declares no
// service; else PASSED only with run.end, no abort/error/interruption and every minute
// 1..floor(duration_s/minute_s) present; else INTERRUPTED.
//
// Beside its own fields the verdict carries the hardening plan's, under the plan's names
// and units (soak-tally.ts `PlanFigures`), and the run-wide latency_p95_ms/latency_p99_ms
// from the minutes' histograms added together.
import type { Judge, RunStatus, Verdict } from '../../src/evidence/judge-registry.ts';
import type { JournalRecord } from '../../src/evidence/journal-record.ts';
import { checkMinuteFiles } from './minute-files-check.ts';
import { RunLatency } from './minute-metrics.ts';
import type { MinuteMetrics } from './minute-document.ts';
import { readCriteria, readParameters } from './recorded-setup.ts';
import { SoakTally } from './soak-tally.ts';

export function judgeSoak(records: readonly JournalRecord[], criteriaIn: Record<string, unknown>): Verdict {
  const start = records.find((r) => r.type === 'run.start');
  const parameters = readParameters(start?.payload.parameters);
  const declaredServices = Array.isArray(start?.payload.services) ? (start.payload.services as unknown[]).filter((s): s is string => typeof s === 'string') : [];
  // Each minute's histogram is decoded once: the tally reads its percentiles, the run's latency adds it up.
  const latency = new RunLatency();
  const tally = new SoakTally({ ...parameters, services: declaredServices, criteria: readCriteria(criteriaIn), percentiles: (m) => latency.addMinute(m) });

  // The minutes, first of each index, in order.
  const byIndex = new Map<number, MinuteMetrics>();
  for (const r of records) {
    if (r.type !== 'soak.minute') continue;
    const m = r.payload as unknown as MinuteMetrics;
    if (Number.isInteger(m.minute) && m.minute >= 1 && !byIndex.has(m.minute)) byIndex.set(m.minute, m);
  }
  for (const m of [...byIndex.values()].sort((a, b) => a.minute - b.minute)) tally.add(m);

  const breaches = tally.breaches();
  const results = tally.criteriaResults();
  const missing: number[] = [];
  for (let i = 1; i <= tally.expected; i++) if (!byIndex.has(i)) missing.push(i);
  const ended = records.some((r) => r.type === 'run.end');
  const aborted = records.find((r) => r.type === 'run.aborted');
  const runnerError = records.find((r) => r.type === 'run.error');
  const runnerDied = records.find((r) => r.type === 'run.interrupted');

  let status: RunStatus;
  const reasons: string[] = [];
  if (breaches.length > 0) {
    status = 'FAILED';
    for (const b of [...breaches].sort((a, c) => a.minute - c.minute)) {
      const named = b.service ?? b.endpoint;
      // Where no number could be measured, or a minute fell short, the criterion's detail says what is missing.
      const said = b.measured === null || b.criterion === 'complete_observations' || b.criterion === 'traffic_achieved';
      const why = said ? results.find((c) => c.name === b.criterion && c.service === b.service && c.endpoint === b.endpoint)?.detail : undefined;
      reasons.push(`minute ${b.minute}: ${b.criterion}${named ? ` (${named})` : ''} measured ${formatValue(b.measured)}, limit ${formatValue(b.limit)}${why ? `: ${why}` : ''}`);
    }
  } else if (!start) {
    status = 'INTERRUPTED';
    reasons.push('the run has no start record');
  } else if (declaredServices.length === 0) {
    status = 'FAILED';
    reasons.push('the run declares no services: nothing was observed');
  } else if (!ended) {
    status = 'INTERRUPTED';
    reasons.push('the run has no end record: its runner stopped before it finished');
  } else if (aborted) {
    status = 'INTERRUPTED';
    reasons.push(`aborted by ${aborted.actor}${typeof aborted.payload.reason === 'string' && aborted.payload.reason !== '' ? `: ${aborted.payload.reason}` : ''}`);
  } else if (runnerDied) {
    status = 'INTERRUPTED';
    reasons.push('the runner died mid-run');
  } else if (runnerError) {
    status = 'INTERRUPTED';
    reasons.push(`the runner failed: ${String(runnerError.payload.message ?? 'no message')}`);
  } else if (tally.expected === 0 || missing.length > 0) {
    status = 'INTERRUPTED';
    reasons.push(tally.expected === 0 ? 'the run declares no whole minute to judge' : `minute(s) missing: ${missing.join(', ')} of ${tally.expected}`);
  } else {
    status = 'PASSED';
  }

  const runPercentiles = latency.percentiles();
  return {
    status,
    gate: typeof start?.payload.gate === 'string' ? start.payload.gate : 'gate2',
    duration_s: parameters.duration_s,
    warmup_s: parameters.warmup_s,
    minute_s: parameters.minute_s,
    minutes_expected: tally.expected,
    minutes_recorded: tally.minutesRecorded,
    minutes_missing: missing,
    baseline_minute: tally.baseline,
    ...tally.planFigures(),
    latency_p95_ms: runPercentiles.p95_ms,
    latency_p99_ms: runPercentiles.p99_ms,
    // Not `criteria`: the summary already holds the criteria the run was judged by under that name.
    criteria_results: results,
    first_breach: tally.firstBreach(),
    breaches,
    minutes: tally.minuteVerdicts(),
    reasons,
  };
}

export const soakJudge: Judge = { kind: 'soak', title: 'Gate 2', judge: judgeSoak, checkEvidenceFiles: checkMinuteFiles };

function formatValue(v: number | null): string {
  return v === null ? 'n/a' : String(Number(v.toPrecision(6)));
}
