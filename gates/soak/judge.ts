// Gate 2's verdict, from its journal alone. Pure: the same records and criteria always
// give the same verdict, so `evident verify` recomputes it from the files.
//
// Records read (any other type is ignored):
// - `run.start`    payload.parameters {duration_s, warmup_s}; payload.services: string[];
//                  payload.gate (optional, default "gate2").
// - `soak.minute`  payload = one minute's metrics document (minute-metrics.ts,
//                  `MinuteMetrics`), minute index from 1. A repeated index keeps the first.
// - `run.aborted`  the operator stopped the run (payload.reason optional).
// - `run.error`, `run.interrupted`  the runner failed / died: never PASSED.
// - `run.end`      the runner finished.
//
// Minute m covers [(m−1)·60 s, m·60 s). Warm-up = the minutes ending at or before
// warmup_s; the baseline minute is the first after warm-up (ceil(warmup_s/60) + 1). Every
// latency figure is recomputed from the minute's ENCODED histogram, never read from the
// stored p50/p95/p99 numbers (a per-minute `stored_percentiles_match` flags a mismatch).
//
// Criteria (a breach is named with the minute it happened in; the earliest is first_breach):
// - max_error_rate: errors ÷ requests summed over every minute present; passes below the
//   limit. Breach minute: since when the running rate has stood at or above it.
// - max_memory_growth: per service, (RSS of the last minute − RSS of the baseline minute)
//   ÷ baseline RSS; passes below the limit. Breach minute: since when growth has stood at
//   or above it. Not measured (null, ok) until a minute after warm-up exists.
// - max_restarts: restarts summed over all minutes and services; passes at or below it.
// - p95_stability_factor: no minute after the baseline with p95 > factor × baseline p95
//   (overall traffic). Measured = the worst ratio.
// - no_stuck_session: any timeout or stream_stopped error, or any probe timeout, is a breach.
// - sustained[i]: the metric (overall p95_ms, p99_ms or error_rate, per minute after
//   warm-up) strictly above `above` for `minutes` consecutive minutes (a missing minute
//   breaks the streak). Named `sustained:<metric>><above>x<minutes>`.
//
// Status: FAILED on any breach (with or without run.end); else PASSED only with run.end,
// no abort/error/interruption and every minute 1..floor(duration_s/60) present; else
// INTERRUPTED.
import type { Judge, RunStatus, Verdict } from '../../src/evidence/judge-registry.ts';
import type { JournalRecord } from '../../src/evidence/journal-record.ts';
import { percentilesFromEncoded, type LatencyPercentiles, type MinuteMetrics } from './minute-metrics.ts';

export type SustainedMetric = 'p95_ms' | 'p99_ms' | 'error_rate';

export interface SustainedRule {
  metric: SustainedMetric;
  above: number;
  minutes: number;
}

export interface SoakCriteria {
  max_error_rate: number;
  max_memory_growth: number;
  max_restarts: number;
  p95_stability_factor: number;
  sustained: SustainedRule[];
}

export interface SoakParameters {
  duration_s: number;
  warmup_s: number;
}

export interface CriterionVerdict {
  name: string;
  /** The measured value (null when it could not be measured yet). */
  measured: number | null;
  limit: number;
  ok: boolean;
  /** The minute the breach happened in (breaches only). */
  minute?: number;
  /** A service, for per-service criteria. */
  service?: string;
  detail?: string;
}

export interface MinuteVerdict {
  minute: number;
  warmup: boolean;
  requests: number;
  errors: number;
  error_rate: number;
  /** Recomputed from the encoded overall histogram. */
  p50_ms: number | null;
  p95_ms: number | null;
  p99_ms: number | null;
  stored_percentiles_match: boolean;
  ok: boolean;
  /** Criteria breached in this minute. */
  breaches: string[];
}

export interface Breach {
  criterion: string;
  minute: number;
  service?: string;
  measured: number | null;
  limit: number;
}

export const DEFAULT_SOAK_CRITERIA: SoakCriteria = { max_error_rate: 0.005, max_memory_growth: 0.05, max_restarts: 0, p95_stability_factor: 2, sustained: [] };

/** The first minute after warm-up: its RSS and p95 are the baselines. */
export function baselineMinute(warmupS: number): number {
  return Math.ceil(Math.max(0, warmupS) / 60 - 1e-9) + 1;
}

export function judgeSoak(records: readonly JournalRecord[], criteriaIn: Record<string, unknown>): Verdict {
  const criteria = readCriteria(criteriaIn);
  const start = records.find((r) => r.type === 'run.start');
  const parameters = (start?.payload.parameters ?? {}) as Partial<SoakParameters>;
  const durationS = numberOr(parameters.duration_s, 0);
  const warmupS = numberOr(parameters.warmup_s, 0);
  const expectedMinutes = Math.floor(durationS / 60 + 1e-9);
  const baseline = baselineMinute(warmupS);
  const declaredServices = Array.isArray(start?.payload.services) ? (start.payload.services as unknown[]).filter((s): s is string => typeof s === 'string') : [];

  // The minutes, first of each index, in order.
  const byIndex = new Map<number, MinuteMetrics>();
  for (const r of records) {
    if (r.type !== 'soak.minute') continue;
    const m = r.payload as unknown as MinuteMetrics;
    if (Number.isInteger(m.minute) && m.minute >= 1 && !byIndex.has(m.minute)) byIndex.set(m.minute, m);
  }
  const minutes = [...byIndex.values()].sort((a, b) => a.minute - b.minute);
  const recomputed = new Map<number, LatencyPercentiles>(minutes.map((m) => [m.minute, safePercentiles(m.overall?.histogram)]));
  const p = (m: MinuteMetrics) => recomputed.get(m.minute) as LatencyPercentiles;
  const minuteRate = (m: MinuteMetrics) => (m.overall.requests > 0 ? m.overall.errors_total / m.overall.requests : 0);

  const results: CriterionVerdict[] = [];

  // Error rate over the run, and since when the running rate has stood breached.
  {
    let requests = 0;
    let errors = 0;
    const running: { minute: number; value: number }[] = [];
    for (const m of minutes) {
      requests += m.overall.requests;
      errors += m.overall.errors_total;
      running.push({ minute: m.minute, value: requests > 0 ? errors / requests : 0 });
    }
    const measured = requests > 0 ? errors / requests : 0;
    const ok = measured < criteria.max_error_rate || errors === 0;
    results.push(withMinute({ name: 'max_error_rate', measured, limit: criteria.max_error_rate, ok, detail: `${errors} error(s) in ${requests} request(s)` }, ok ? undefined : sinceBreached(running, (v) => v >= criteria.max_error_rate)));
  }

  // Memory growth per service against the baseline minute.
  const baseMinute = byIndex.get(baseline);
  const afterWarmup = minutes.filter((m) => m.minute >= baseline);
  const services = uniq([...declaredServices, ...minutes.flatMap((m) => m.services.map((s) => s.name))]);
  for (const service of services) {
    const base = baseMinute?.services.find((s) => s.name === service)?.rss_bytes ?? null;
    const series = afterWarmup
      .map((m) => ({ minute: m.minute, rss: m.services.find((s) => s.name === service)?.rss_bytes ?? null }))
      .filter((x): x is { minute: number; rss: number } => x.rss !== null);
    const last = series.at(-1);
    if (base === null || base <= 0 || last === undefined) {
      results.push({ name: 'max_memory_growth', service, measured: null, limit: criteria.max_memory_growth, ok: true, detail: baseMinute ? 'no RSS baseline for this service' : `no minute after warm-up yet (baseline: minute ${baseline})` });
      continue;
    }
    const growth = (rss: number) => (rss - base) / base;
    const measured = growth(last.rss);
    const ok = measured < criteria.max_memory_growth || measured <= 0;
    const minute = ok ? undefined : sinceBreached(series.map((x) => ({ minute: x.minute, value: growth(x.rss) })), (v) => v >= criteria.max_memory_growth);
    results.push(withMinute({ name: 'max_memory_growth', service, measured, limit: criteria.max_memory_growth, ok, detail: `RSS ${base} → ${last.rss} bytes (minute ${baseline} → ${last.minute})` }, minute));
  }

  // Restarts, summed.
  {
    let total = 0;
    let breachMinute: number | undefined;
    let breachService: string | undefined;
    for (const m of minutes) {
      for (const s of m.services) {
        total += s.restarts;
        if (breachMinute === undefined && total > criteria.max_restarts) {
          breachMinute = m.minute;
          breachService = s.name;
        }
      }
    }
    const ok = total <= criteria.max_restarts;
    const verdict: CriterionVerdict = withMinute({ name: 'max_restarts', measured: total, limit: criteria.max_restarts, ok }, breachMinute);
    if (breachService !== undefined) verdict.service = breachService;
    results.push(verdict);
  }

  // p95 stability against the baseline minute's p95 (recomputed from its histogram).
  {
    const baseP95 = baseMinute ? p(baseMinute).p95_ms : null;
    if (baseP95 === null || baseP95 <= 0) {
      results.push({ name: 'p95_stability_factor', measured: null, limit: criteria.p95_stability_factor, ok: true, detail: baseMinute ? `minute ${baseline} has no latencies to take a baseline from` : `no minute after warm-up yet (baseline: minute ${baseline})` });
    } else {
      let worst = 0;
      let worstMinute = baseline;
      let breach: number | undefined;
      for (const m of afterWarmup) {
        const p95 = p(m).p95_ms;
        if (p95 === null) continue;
        const ratio = p95 / baseP95;
        if (ratio > worst) {
          worst = ratio;
          worstMinute = m.minute;
        }
        if (breach === undefined && ratio > criteria.p95_stability_factor) breach = m.minute;
      }
      const ok = breach === undefined;
      results.push(withMinute({ name: 'p95_stability_factor', measured: worst, limit: criteria.p95_stability_factor, ok, detail: `baseline p95 ${baseP95} ms (minute ${baseline}); worst minute ${worstMinute}` }, breach));
    }
  }

  // Stuck sessions: a request past its timeout, a stream stopped mid-response, a probe past its timeout.
  {
    let total = 0;
    let breach: number | undefined;
    for (const m of minutes) {
      const n = m.overall.errors.timeout + m.overall.errors.stream_stopped + m.services.reduce((a, s) => a + (s.probes?.timeouts ?? 0), 0);
      total += n;
      if (n > 0 && breach === undefined) breach = m.minute;
    }
    results.push(withMinute({ name: 'no_stuck_session', measured: total, limit: 0, ok: total === 0, detail: 'request timeouts + stopped streams + probe timeouts' }, breach));
  }

  // Sustained-window rules, over the minutes after warm-up.
  for (const rule of criteria.sustained) {
    const value = (m: MinuteMetrics): number | null => (rule.metric === 'error_rate' ? minuteRate(m) : p(m)[rule.metric]);
    let streak = 0;
    let longest = 0;
    let previous = Number.NaN;
    let breach: number | undefined;
    for (const m of afterWarmup) {
      const v = value(m);
      const above = v !== null && v > rule.above;
      streak = above ? (m.minute === previous + 1 ? streak + 1 : 1) : 0;
      previous = m.minute;
      longest = Math.max(longest, streak);
      if (breach === undefined && streak >= rule.minutes) breach = m.minute;
    }
    results.push(withMinute({ name: `sustained:${rule.metric}>${rule.above}x${rule.minutes}`, measured: longest, limit: rule.minutes, ok: breach === undefined, detail: `longest run of consecutive minutes with ${rule.metric} above ${rule.above}` }, breach));
  }

  const breaches: Breach[] = results
    .filter((c) => !c.ok)
    .map((c) => ({ criterion: c.name, minute: c.minute ?? minutes.at(-1)?.minute ?? 0, ...(c.service !== undefined ? { service: c.service } : {}), measured: c.measured, limit: c.limit }));
  const firstBreach = breaches.reduce<Breach | null>((first, b) => (first === null || b.minute < first.minute ? b : first), null);

  const minuteVerdicts: MinuteVerdict[] = minutes.map((m) => {
    const recomputedP = p(m);
    const named = breaches.filter((b) => b.minute === m.minute).map((b) => (b.service ? `${b.criterion}:${b.service}` : b.criterion));
    return {
      minute: m.minute,
      warmup: m.minute < baseline,
      requests: m.overall.requests,
      errors: m.overall.errors_total,
      error_rate: minuteRate(m),
      ...recomputedP,
      stored_percentiles_match: m.overall.p50_ms === recomputedP.p50_ms && m.overall.p95_ms === recomputedP.p95_ms && m.overall.p99_ms === recomputedP.p99_ms,
      ok: named.length === 0,
      breaches: named,
    };
  });

  const missing: number[] = [];
  for (let i = 1; i <= expectedMinutes; i++) if (!byIndex.has(i)) missing.push(i);
  const ended = records.some((r) => r.type === 'run.end');
  const aborted = records.find((r) => r.type === 'run.aborted');
  const runnerError = records.find((r) => r.type === 'run.error');
  const runnerDied = records.find((r) => r.type === 'run.interrupted');

  let status: RunStatus;
  const reasons: string[] = [];
  if (firstBreach !== null) {
    status = 'FAILED';
    for (const b of [...breaches].sort((a, c) => a.minute - c.minute)) {
      reasons.push(`minute ${b.minute}: ${b.criterion}${b.service ? ` (${b.service})` : ''} measured ${formatValue(b.measured)}, limit ${b.limit}`);
    }
  } else if (!start) {
    status = 'INTERRUPTED';
    reasons.push('the run has no start record');
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
  } else if (expectedMinutes === 0 || missing.length > 0) {
    status = 'INTERRUPTED';
    reasons.push(expectedMinutes === 0 ? 'the run declares no whole minute to judge' : `minute(s) missing: ${missing.join(', ')} of ${expectedMinutes}`);
  } else {
    status = 'PASSED';
  }

  return {
    status,
    gate: typeof start?.payload.gate === 'string' ? start.payload.gate : 'gate2',
    duration_s: durationS,
    warmup_s: warmupS,
    minutes_expected: expectedMinutes,
    minutes_recorded: minutes.length,
    minutes_missing: missing,
    baseline_minute: baseline,
    // Not `criteria`: the summary already holds the criteria the run was judged by under that name.
    criteria_results: results,
    first_breach: firstBreach,
    breaches,
    minutes: minuteVerdicts,
    reasons,
  };
}

export const soakJudge: Judge = { kind: 'soak', title: 'Gate 2', judge: judgeSoak };

function readCriteria(c: Record<string, unknown>): SoakCriteria {
  const d = DEFAULT_SOAK_CRITERIA;
  const sustained = Array.isArray(c.sustained)
    ? (c.sustained as Partial<SustainedRule>[]).filter((r): r is SustainedRule => (r.metric === 'p95_ms' || r.metric === 'p99_ms' || r.metric === 'error_rate') && typeof r.above === 'number' && typeof r.minutes === 'number')
    : [];
  return {
    max_error_rate: numberOr(c.max_error_rate, d.max_error_rate),
    max_memory_growth: numberOr(c.max_memory_growth, d.max_memory_growth),
    max_restarts: numberOr(c.max_restarts, d.max_restarts),
    p95_stability_factor: numberOr(c.p95_stability_factor, d.p95_stability_factor),
    sustained,
  };
}

/** The first minute of the final stretch in which `breached` held (the series' end is breached). */
function sinceBreached(series: readonly { minute: number; value: number }[], breached: (v: number) => boolean): number | undefined {
  let since: number | undefined;
  for (let i = series.length - 1; i >= 0; i--) {
    const point = series[i] as { minute: number; value: number };
    if (!breached(point.value)) break;
    since = point.minute;
  }
  return since;
}

function withMinute(verdict: CriterionVerdict, minute: number | undefined): CriterionVerdict {
  return minute === undefined ? verdict : { ...verdict, minute };
}

function safePercentiles(histogram: unknown): LatencyPercentiles {
  if (typeof histogram !== 'string' || histogram === '') return { p50_ms: null, p95_ms: null, p99_ms: null };
  try {
    return percentilesFromEncoded(histogram);
  } catch {
    return { p50_ms: null, p95_ms: null, p99_ms: null };
  }
}

function formatValue(v: number | null): string {
  return v === null ? 'n/a' : String(Number(v.toPrecision(6)));
}

function numberOr(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}

function uniq(values: readonly string[]): string[] {
  return [...new Set(values)];
}
