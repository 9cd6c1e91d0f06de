// Gate 2's criteria, folded one minute at a time. Pure and compact: it keeps running
// totals, baselines and streaks, never the minutes themselves, so the runner can judge
// every minute of a 48-hour soak as it closes (and stop at the first breach), the on-call
// view can follow one from the per-minute files, and `judge.ts` gives verify the same
// verdict from the journal — one implementation, three users, no growth over two days.
//
// Minute m covers [(m−1)·minute_s, m·minute_s) from the run's start (minute_s is 60 but in
// tests). Warm-up = the minutes ending at or before warmup_s; the baseline minute is the
// first after it. Every RSS is recomputed from the minute's samples; latencies come from
// the setup's `percentiles`: the judge and the runner recompute them from the minute's
// ENCODED histogram (never the numbers stored beside it), the on-call view reads the
// stored ones (verify checks that they match, and the view then loads no histogram code).
//
// A breach is sticky: a criterion breached in minute m stays breached, named with m, even
// if a later minute would look fine — the runner stops at m, and verify must agree with it.
// - max_error_rate: errors ÷ requests over every minute so far; judged from the baseline
//   minute on (a single error in the first seconds is not yet a rate), breached at or
//   above the limit.
// - max_memory_growth: per service, (RSS now − RSS in the baseline minute) ÷ baseline RSS,
//   breached at or above the limit. Not measured until the baseline minute exists.
// - max_restarts: restarts summed over services and minutes, breached above the limit.
// - p95_stability_factor: a minute from the baseline on whose p95 is above factor × the
//   baseline minute's p95 (overall traffic). Measured = the worst ratio so far.
// - no_stuck_session: a request past its timeout, a stream stopped mid-response, or a
//   probe past its timeout, in any minute.
// - sustained[i]: the metric (overall p95_ms, p99_ms or error_rate of the minute) strictly
//   above `above` for `minutes` consecutive minutes from the baseline on (a missing minute
//   breaks the streak). Named `sustained:<metric>><above>x<minutes>`.
import { median, type LatencyPercentiles, type MinuteMetrics, type ServiceMetrics } from './minute-document.ts';

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

export const DEFAULT_SOAK_CRITERIA: SoakCriteria = { max_error_rate: 0.005, max_memory_growth: 0.05, max_restarts: 0, p95_stability_factor: 2, sustained: [] };

export interface SoakSetup {
  duration_s: number;
  warmup_s: number;
  /** The length of a metrics minute in seconds: 60, shorter only in tests. */
  minute_s: number;
  /** The services the run declared; others seen in the minutes are added after them. */
  services: readonly string[];
  criteria: SoakCriteria;
  /** A minute's overall p50/p95/p99 (ms): recomputed from its histogram by the judge (minute-metrics.ts). */
  percentiles: (m: MinuteMetrics) => LatencyPercentiles;
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

/** The first minute after warm-up: its RSS and p95 are the baselines. */
export function baselineMinute(warmupS: number, minuteS = 60): number {
  return Math.ceil(Math.max(0, warmupS) / minuteS - 1e-9) + 1;
}

/** How many whole minutes a run of duration_s has. */
export function expectedMinutes(durationS: number, minuteS = 60): number {
  return Math.floor(durationS / minuteS + 1e-9);
}

interface MemoryState {
  base: number | null;
  last: { minute: number; rss: number } | null;
  breach?: { minute: number; growth: number };
}

interface StreakState {
  rule: SustainedRule;
  streak: number;
  longest: number;
  previous: number;
  breach?: number;
}

export class SoakTally {
  readonly baseline: number;
  readonly expected: number;
  private readonly criteria: SoakCriteria;
  private readonly percentiles: (m: MinuteMetrics) => LatencyPercentiles;
  private readonly services: string[];
  private readonly memory = new Map<string, MemoryState>();
  private readonly streaks: StreakState[];
  private readonly rows: MinuteVerdict[] = [];
  private lastMinute = 0;
  private requests = 0;
  private errors = 0;
  private errorBreach?: { minute: number; rate: number };
  private restarts = 0;
  private restartBreach?: { minute: number; service: string };
  private baseP95: number | null = null;
  private worstRatio = 0;
  private worstMinute = 0;
  private p95Breach?: number;
  private stuck = 0;
  private stuckBreach?: number;

  constructor(setup: SoakSetup) {
    this.criteria = setup.criteria;
    this.percentiles = setup.percentiles;
    this.baseline = baselineMinute(setup.warmup_s, setup.minute_s);
    this.expected = expectedMinutes(setup.duration_s, setup.minute_s);
    this.services = [...new Set(setup.services)];
    for (const name of this.services) this.memory.set(name, { base: null, last: null });
    this.streaks = setup.criteria.sustained.map((rule) => ({ rule, streak: 0, longest: 0, previous: Number.NaN }));
  }

  /** The minutes added so far. */
  get minutesRecorded(): number {
    return this.rows.length;
  }

  get latestMinute(): number {
    return this.lastMinute;
  }

  /** Folds in the next minute; one at or before the latest added is ignored (returns false). */
  add(m: MinuteMetrics): boolean {
    if (!Number.isInteger(m.minute) || m.minute <= this.lastMinute) return false;
    this.lastMinute = m.minute;
    const afterWarmup = m.minute >= this.baseline;
    const p = this.percentiles(m);
    const minuteRequests = m.overall?.requests ?? 0;
    const minuteErrors = m.overall?.errors_total ?? 0;
    const minuteRate = minuteRequests > 0 ? minuteErrors / minuteRequests : 0;

    this.requests += minuteRequests;
    this.errors += minuteErrors;
    const rate = this.requests > 0 ? this.errors / this.requests : 0;
    if (afterWarmup && !this.errorBreach && this.errors > 0 && rate >= this.criteria.max_error_rate) this.errorBreach = { minute: m.minute, rate };

    for (const s of m.services ?? []) {
      if (!this.memory.has(s.name)) {
        this.services.push(s.name);
        this.memory.set(s.name, { base: null, last: null });
      }
      const state = this.memory.get(s.name) as MemoryState;
      const rss = serviceRss(s);
      if (m.minute === this.baseline) state.base = rss;
      if (afterWarmup && rss !== null) state.last = { minute: m.minute, rss };
      if (afterWarmup && rss !== null && state.base !== null && state.base > 0 && !state.breach) {
        const growth = (rss - state.base) / state.base;
        if (growth > 0 && growth >= this.criteria.max_memory_growth) state.breach = { minute: m.minute, growth };
      }
      this.restarts += s.restarts ?? 0;
      if (!this.restartBreach && this.restarts > this.criteria.max_restarts) this.restartBreach = { minute: m.minute, service: s.name };
    }

    if (m.minute === this.baseline) this.baseP95 = p.p95_ms;
    if (afterWarmup && this.baseP95 !== null && this.baseP95 > 0 && p.p95_ms !== null) {
      const ratio = p.p95_ms / this.baseP95;
      if (ratio > this.worstRatio) {
        this.worstRatio = ratio;
        this.worstMinute = m.minute;
      }
      if (this.p95Breach === undefined && ratio > this.criteria.p95_stability_factor) this.p95Breach = m.minute;
    }

    const errorsOf = m.overall?.errors;
    const stuck = (errorsOf?.timeout ?? 0) + (errorsOf?.stream_stopped ?? 0) + (m.services ?? []).reduce((a, s) => a + (s.probes?.timeouts ?? 0), 0);
    this.stuck += stuck;
    if (stuck > 0 && this.stuckBreach === undefined) this.stuckBreach = m.minute;

    if (afterWarmup) {
      for (const s of this.streaks) {
        const v = s.rule.metric === 'error_rate' ? minuteRate : p[s.rule.metric];
        const above = v !== null && v > s.rule.above;
        s.streak = above ? (m.minute === s.previous + 1 ? s.streak + 1 : 1) : 0;
        s.previous = m.minute;
        s.longest = Math.max(s.longest, s.streak);
        if (s.breach === undefined && s.streak >= s.rule.minutes) s.breach = m.minute;
      }
    }

    const stored = m.overall ?? ({} as Partial<LatencyPercentiles>);
    this.rows.push({
      minute: m.minute,
      warmup: !afterWarmup,
      requests: minuteRequests,
      errors: minuteErrors,
      error_rate: minuteRate,
      ...p,
      stored_percentiles_match: stored.p50_ms === p.p50_ms && stored.p95_ms === p.p95_ms && stored.p99_ms === p.p99_ms,
      ok: true,
      breaches: [],
    });
    return true;
  }

  /** Every criterion, its measured value beside its verdict, in a fixed order. */
  criteriaResults(): CriterionVerdict[] {
    const c = this.criteria;
    const results: CriterionVerdict[] = [];
    const rate = this.requests > 0 ? this.errors / this.requests : 0;
    const judged = this.lastMinute >= this.baseline;
    results.push(
      withMinute(
        {
          name: 'max_error_rate',
          measured: rate,
          limit: c.max_error_rate,
          ok: !this.errorBreach,
          detail: `${this.errors} error(s) in ${this.requests} request(s)${judged ? '' : `; judged from minute ${this.baseline}`}`,
        },
        this.errorBreach?.minute,
      ),
    );
    for (const service of this.services) {
      const state = this.memory.get(service) as MemoryState;
      if (state.base === null || state.base <= 0 || state.last === null) {
        const why = this.lastMinute >= this.baseline ? 'no RSS baseline for this service' : `no minute after warm-up yet (baseline: minute ${this.baseline})`;
        results.push({ name: 'max_memory_growth', service, measured: null, limit: c.max_memory_growth, ok: true, detail: why });
        continue;
      }
      const measured = (state.last.rss - state.base) / state.base;
      results.push(
        withMinute(
          { name: 'max_memory_growth', service, measured, limit: c.max_memory_growth, ok: !state.breach, detail: `RSS ${state.base} → ${state.last.rss} bytes (minute ${this.baseline} → ${state.last.minute})` },
          state.breach?.minute,
        ),
      );
    }
    const restarts: CriterionVerdict = withMinute({ name: 'max_restarts', measured: this.restarts, limit: c.max_restarts, ok: !this.restartBreach }, this.restartBreach?.minute);
    if (this.restartBreach) restarts.service = this.restartBreach.service;
    results.push(restarts);
    if (this.baseP95 === null || this.baseP95 <= 0) {
      const why = this.lastMinute >= this.baseline ? `minute ${this.baseline} has no latencies to take a baseline from` : `no minute after warm-up yet (baseline: minute ${this.baseline})`;
      results.push({ name: 'p95_stability_factor', measured: null, limit: c.p95_stability_factor, ok: true, detail: why });
    } else {
      results.push(
        withMinute(
          { name: 'p95_stability_factor', measured: this.worstRatio, limit: c.p95_stability_factor, ok: this.p95Breach === undefined, detail: `baseline p95 ${this.baseP95} ms (minute ${this.baseline}); worst minute ${this.worstMinute}` },
          this.p95Breach,
        ),
      );
    }
    results.push(withMinute({ name: 'no_stuck_session', measured: this.stuck, limit: 0, ok: this.stuckBreach === undefined, detail: 'request timeouts + stopped streams + probe timeouts' }, this.stuckBreach));
    for (const s of this.streaks) {
      results.push(
        withMinute(
          { name: `sustained:${s.rule.metric}>${s.rule.above}x${s.rule.minutes}`, measured: s.longest, limit: s.rule.minutes, ok: s.breach === undefined, detail: `longest run of consecutive minutes with ${s.rule.metric} above ${s.rule.above}` },
          s.breach,
        ),
      );
    }
    return results;
  }

  /** The breached criteria, in criteria order. */
  breaches(): Breach[] {
    return this.criteriaResults()
      .filter((c) => !c.ok)
      .map((c) => ({ criterion: c.name, minute: c.minute ?? this.lastMinute, ...(c.service !== undefined ? { service: c.service } : {}), measured: c.measured, limit: c.limit }));
  }

  /** The earliest breach (the first in criteria order among equals), or null. */
  firstBreach(): Breach | null {
    return this.breaches().reduce<Breach | null>((first, b) => (first === null || b.minute < first.minute ? b : first), null);
  }

  /** One row per minute added, each naming the criteria breached in it. */
  minuteVerdicts(): MinuteVerdict[] {
    const breaches = this.breaches();
    return this.rows.map((row) => {
      const named = breaches.filter((b) => b.minute === row.minute).map((b) => (b.service ? `${b.criterion}:${b.service}` : b.criterion));
      return { ...row, ok: named.length === 0, breaches: named };
    });
  }
}

/** The median of the minute's RSS samples when they are stored, else the stored median. */
function serviceRss(s: ServiceMetrics): number | null {
  if (Array.isArray(s.rss_bytes_samples) && s.rss_bytes_samples.length > 0) return median(s.rss_bytes_samples);
  return typeof s.rss_bytes === 'number' ? s.rss_bytes : null;
}

function withMinute(verdict: CriterionVerdict, minute: number | undefined): CriterionVerdict {
  return minute === undefined ? verdict : { ...verdict, minute };
}
