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
//   breached at or above the limit. Not measured before the baseline minute; from it on, a
//   service with no RSS in the baseline minute (absent, no sample, or the minute missing)
//   is breached, measured null: its growth can never be judged.
// - max_restarts: restarts summed over services and minutes, breached above the limit.
// - p95_stability_factor: a minute from the baseline on whose p95 is above factor × the
//   baseline minute's p95 (overall traffic). Measured = the worst ratio so far.
// - no_stuck_session: a request past its timeout, a stream stopped mid-response, or a
//   probe past its timeout, in any minute.
// - sustained[i]: the metric (overall p95_ms, p99_ms or error_rate of the minute) strictly
//   above `above` for `minutes` consecutive minutes from the baseline on (a missing minute
//   breaks the streak). Named `sustained:<metric>><above>x<minutes>`.
// - complete_observations: every minute, every service has its probes and RSS samples at
//   the sample interval (see `observationRule`). A service missing from a minute, or a run
//   that declares no service at all, is a breach: nothing observed is not a pass.
// - traffic_achieved: every minute, every endpoint sent within 10 % of its schedule (see
//   `trafficRule`); a run with no endpoint at all is a breach.
// Missing data fails rather than passes: a stalled traffic generator, a hung sampler or a
// service without a memory baseline is a breach, never a criterion quietly left unmeasured.
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
  /** How often the runner probes and samples every service, in seconds (5 by default). */
  sample_interval_s: number;
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
  /** A traffic endpoint, for traffic_achieved. */
  endpoint?: string;
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
  endpoint?: string;
  measured: number | null;
  limit: number;
}

/**
 * The hardening plan's own summary fields, under its names and in its units, from the
 * minutes folded so far. The run-wide latency percentiles are the judge's: they need the
 * histograms (judge.ts).
 */
export interface PlanFigures {
  /** The time the recorded minutes cover. */
  duration_hours: number;
  /** Requests completed (answered or failed), as the error rate counts them. */
  requests_total: number;
  errors_total: number;
  /** errors_total ÷ requests_total in percent; null when no request completed. */
  error_rate_percent: number | null;
  /** max_error_rate, in percent. */
  error_rate_threshold: number;
  /** Per service, RSS growth from the baseline minute to the last, in percent; null without a baseline. */
  memory_growth_percent: Record<string, number | null>;
  service_restarts: number;
  service_restarts_by_service: Record<string, number>;
  /** The stuck sessions no_stuck_session counts: request timeouts + stopped streams + probe timeouts. */
  deadlocks_detected: number;
}

/** The first minute after warm-up: its RSS and p95 are the baselines. */
export function baselineMinute(warmupS: number, minuteS = 60): number {
  return Math.ceil(Math.max(0, warmupS) / minuteS - 1e-9) + 1;
}

/** How many whole minutes a run of duration_s has. */
export function expectedMinutes(durationS: number, minuteS = 60): number {
  return Math.floor(durationS / minuteS + 1e-9);
}

/**
 * What complete observations are, from how gates/soak/run.ts samples: one round every
 * interval from the run's start (t0, t0 + I, …), each round probing every service and
 * sampling the RSS of every running one, and landing in the minute open when it finishes.
 * A minute of M seconds therefore has `due` = ⌊M ÷ I⌋ rounds, from the one at its start
 * to the last before its end (some one more when I does not divide M; the last minute also
 * gets those that finish while the final requests drain). A round due just before a
 * minute's end that finishes after it moves to the next minute, and a round is skipped
 * when the one before overran a whole interval: so one round fewer is allowed (`required`
 * = due − 1), except in a minute due a single round, which must have it (a minute without
 * any observation is never complete). Coverage = min(RSS samples, probe checks) ÷ due,
 * capped at 1; the limit is required ÷ due. A restart blocks the sampler while the service
 * starts again (the round awaits it), which can take every service's rounds in that minute
 * and, when the start runs past its end, in the next: those two minutes are not counted
 * short (max_restarts judges the restart itself), but a service missing from them still is.
 */
export function observationRule(minuteS: number, intervalS: number): { due: number; required: number } {
  // The plan refuses an interval longer than a minute; at least one round is due anyway.
  const due = Math.max(1, Math.floor(minuteS / intervalS + 1e-9));
  return { due, required: due === 1 ? 1 : due - 1 };
}

/**
 * The fewest requests an on-time open-model schedule of `ratePerS` puts in a minute of
 * `minuteS`: ⌊rate × M⌋ or ⌈rate × M⌉ fall due in any window of M seconds, and one due at
 * the minute's edge may be counted in the next, so ⌊rate × M⌋ − 1. A minute's endpoint
 * breaches traffic_achieved when it sent below 90 % of that: within 10 % of the target,
 * after the one-request quantisation (chat at 1 req/s in 3-second test minutes: at least
 * 2 of ~3; in 60-second minutes: at least 54 of 60). An endpoint scheduled fewer than two
 * requests a minute (0 here, such as the demo's session cycle, 2 every 5 minutes) is not
 * judged per minute: a count of 0 or 1 says nothing about its rate.
 */
export function trafficRule(ratePerS: number, minuteS: number): number {
  return Math.max(0, Math.floor(ratePerS * minuteS + 1e-9) - 1);
}

/** At least 90 % of the schedule's whole requests, in integers. */
function trafficShort(sent: number, scheduled: number): boolean {
  return sent * 10 < scheduled * 9;
}

const TRAFFIC_LIMIT = 0.9;

interface MemoryState {
  base: number | null;
  last: { minute: number; rss: number } | null;
  breach?: { minute: number; growth: number | null };
}

interface StreakState {
  rule: SustainedRule;
  streak: number;
  longest: number;
  previous: number;
  breach?: number;
}

/** The worst point of a per-minute criterion so far, and its first breach. */
interface ShortfallState {
  worst: { coverage: number; minute: number; name: string; detail: string } | null;
  /** Sticky, as every breach: the runner stops at it. No name: nothing could be observed at all. */
  breach?: { coverage: number | null; minute: number; name?: string; detail: string };
}

export class SoakTally {
  readonly baseline: number;
  readonly expected: number;
  private readonly criteria: SoakCriteria;
  private readonly percentiles: (m: MinuteMetrics) => LatencyPercentiles;
  private readonly minuteS: number;
  private readonly rounds: { due: number; required: number };
  private readonly declaredNone: boolean;
  private readonly services: string[];
  private readonly memory = new Map<string, MemoryState>();
  private readonly streaks: StreakState[];
  private readonly rows: MinuteVerdict[] = [];
  private lastMinute = 0;
  private requests = 0;
  private errors = 0;
  private errorBreach?: { minute: number; rate: number };
  private restarts = 0;
  private readonly restartsBy = new Map<string, number>();
  private restartBreach?: { minute: number; service: string };
  private lastRestartMinute = Number.NaN;
  private baseP95: number | null = null;
  private worstRatio = 0;
  private worstMinute = 0;
  private p95Breach?: number;
  private stuck = 0;
  private stuckBreach?: number;
  private readonly observations: ShortfallState = { worst: null };
  /** Every endpoint seen, with the target rate it was first seen at. */
  private readonly endpointRates = new Map<string, number>();
  private readonly traffic: ShortfallState = { worst: null };

  constructor(setup: SoakSetup) {
    this.criteria = setup.criteria;
    this.percentiles = setup.percentiles;
    this.minuteS = setup.minute_s;
    this.rounds = observationRule(setup.minute_s, setup.sample_interval_s);
    this.baseline = baselineMinute(setup.warmup_s, setup.minute_s);
    this.expected = expectedMinutes(setup.duration_s, setup.minute_s);
    this.services = [...new Set(setup.services)];
    this.declaredNone = this.services.length === 0;
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

    const minuteServices = new Map<string, ServiceMetrics>();
    for (const s of m.services ?? []) {
      if (!this.memory.has(s.name)) {
        this.services.push(s.name);
        this.memory.set(s.name, { base: null, last: null });
      }
      if (!minuteServices.has(s.name)) minuteServices.set(s.name, s);
      const state = this.memory.get(s.name) as MemoryState;
      const rss = serviceRss(s);
      if (m.minute === this.baseline) state.base = rss;
      if (afterWarmup && rss !== null) state.last = { minute: m.minute, rss };
      if (afterWarmup && rss !== null && state.base !== null && state.base > 0 && !state.breach) {
        const growth = (rss - state.base) / state.base;
        if (growth > 0 && growth >= this.criteria.max_memory_growth) state.breach = { minute: m.minute, growth };
      }
      this.restarts += s.restarts ?? 0;
      this.restartsBy.set(s.name, (this.restartsBy.get(s.name) ?? 0) + (s.restarts ?? 0));
      if (!this.restartBreach && this.restarts > this.criteria.max_restarts) this.restartBreach = { minute: m.minute, service: s.name };
    }
    // From the baseline minute on, a service without a baseline RSS can never be judged.
    if (afterWarmup) {
      for (const state of this.memory.values()) if ((state.base === null || state.base <= 0) && !state.breach) state.breach = { minute: m.minute, growth: null };
    }

    this.foldObservations(m, minuteServices);
    this.foldTraffic(m);

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

  /** complete_observations for one minute: see `observationRule`. */
  private foldObservations(m: MinuteMetrics, minuteServices: ReadonlyMap<string, ServiceMetrics>): void {
    const state = this.observations;
    if (this.declaredNone) {
      state.breach ??= { coverage: null, minute: m.minute, detail: 'the run declares no services: nothing was observed' };
      return;
    }
    const restarted = (m.services ?? []).some((s) => (s.restarts ?? 0) > 0);
    const excused = restarted || this.lastRestartMinute === m.minute - 1;
    if (restarted) this.lastRestartMinute = m.minute;
    const { due, required } = this.rounds;
    for (const name of this.services) {
      const s = minuteServices.get(name);
      if (s !== undefined && excused) continue;
      const samples = Array.isArray(s?.rss_bytes_samples) ? s.rss_bytes_samples.length : 0;
      const checks = s?.probes?.checks ?? 0;
      const observed = Math.min(samples, checks);
      const coverage = s === undefined ? 0 : Math.min(1, observed / due);
      const detail = s === undefined ? `${name} is missing from minute ${m.minute}` : `${name} in minute ${m.minute}: ${samples} RSS sample(s) and ${checks} probe(s) of ${due} due, ${required} required`;
      if (state.worst === null || coverage < state.worst.coverage) state.worst = { coverage, minute: m.minute, name, detail };
      if (state.breach === undefined && (s === undefined || observed < required)) state.breach = { coverage, minute: m.minute, name, detail };
    }
  }

  /** traffic_achieved for one minute: see `trafficRule`. */
  private foldTraffic(m: MinuteMetrics): void {
    const state = this.traffic;
    const endpoints = m.endpoints ?? [];
    for (const e of endpoints) if (!this.endpointRates.has(e.name)) this.endpointRates.set(e.name, e.target_rate_per_s ?? 0);
    if (this.endpointRates.size === 0) {
      state.breach ??= { coverage: null, minute: m.minute, detail: 'no traffic endpoint in the minutes: nothing was sent to soak the fleet under' };
      return;
    }
    for (const [name, firstRate] of this.endpointRates) {
      const e = endpoints.find((x) => x.name === name);
      // An endpoint gone from a minute sent nothing in it, at the rate it was first seen at.
      const ratePerS = e?.target_rate_per_s ?? firstRate;
      const sent = e?.sent ?? 0;
      const scheduled = trafficRule(ratePerS, this.minuteS);
      if (scheduled === 0) continue;
      const coverage = Math.min(1, sent / scheduled);
      const detail = `${name} in minute ${m.minute}: ${sent} sent at ${ratePerS}/s, ${Math.ceil((scheduled * 9) / 10)} required, 90 % of the ${scheduled} whole request(s) its schedule surely puts in ${this.minuteS} s`;
      if (state.worst === null || coverage < state.worst.coverage) state.worst = { coverage, minute: m.minute, name, detail };
      if (state.breach === undefined && trafficShort(sent, scheduled)) state.breach = { coverage, minute: m.minute, name, detail };
    }
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
        const why = this.lastMinute >= this.baseline ? `no RSS sample in the baseline minute (minute ${this.baseline}): its growth cannot be judged` : `no minute after warm-up yet (baseline: minute ${this.baseline})`;
        results.push(withMinute({ name: 'max_memory_growth', service, measured: null, limit: c.max_memory_growth, ok: !state.breach, detail: why }, state.breach?.minute));
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
    // After the plan's criteria, so that when one of them breaks in the same minute it is named first.
    results.push(shortfallResult('complete_observations', 'service', this.observations, this.rounds.required / this.rounds.due, `at least ${this.rounds.required} of ${this.rounds.due} rounds a minute`));
    results.push(shortfallResult('traffic_achieved', 'endpoint', this.traffic, TRAFFIC_LIMIT, 'each endpoint at least 90 % of its schedule, in whole requests'));
    return results;
  }

  /** The breached criteria, in criteria order. */
  breaches(): Breach[] {
    return this.criteriaResults()
      .filter((c) => !c.ok)
      .map((c) => ({
        criterion: c.name,
        minute: c.minute ?? this.lastMinute,
        ...(c.service !== undefined ? { service: c.service } : {}),
        ...(c.endpoint !== undefined ? { endpoint: c.endpoint } : {}),
        measured: c.measured,
        limit: c.limit,
      }));
  }

  /** The earliest breach (the first in criteria order among equals), or null. */
  firstBreach(): Breach | null {
    return this.breaches().reduce<Breach | null>((first, b) => (first === null || b.minute < first.minute ? b : first), null);
  }

  /** One row per minute added, each naming the criteria breached in it. */
  minuteVerdicts(): MinuteVerdict[] {
    const breaches = this.breaches();
    return this.rows.map((row) => {
      const named = breaches.filter((b) => b.minute === row.minute).map((b) => (b.service ?? b.endpoint ? `${b.criterion}:${b.service ?? b.endpoint}` : b.criterion));
      return { ...row, ok: named.length === 0, breaches: named };
    });
  }

  /** The plan's summary fields from the minutes so far (see `PlanFigures`). */
  planFigures(): PlanFigures {
    const growth: Record<string, number | null> = {};
    for (const service of this.services) {
      const state = this.memory.get(service) as MemoryState;
      growth[service] = state.base === null || state.base <= 0 || state.last === null ? null : percent((state.last.rss - state.base) / state.base);
    }
    const restartsBy: Record<string, number> = {};
    for (const service of this.services) restartsBy[service] = this.restartsBy.get(service) ?? 0;
    return {
      duration_hours: (this.rows.length * this.minuteS) / 3600,
      requests_total: this.requests,
      errors_total: this.errors,
      error_rate_percent: this.requests > 0 ? percent(this.errors / this.requests) : null,
      error_rate_threshold: percent(this.criteria.max_error_rate),
      memory_growth_percent: growth,
      service_restarts: this.restarts,
      service_restarts_by_service: restartsBy,
      deadlocks_detected: this.stuck,
    };
  }
}

/** A fraction in percent, rid of binary noise (0.007 × 100 is 0.7000000000000001). */
function percent(fraction: number): number {
  return Number((fraction * 100).toPrecision(12));
}

/**
 * A per-minute floor criterion: the worst coverage so far against its limit, breached below
 * it; once breached, the breach's own coverage, service or endpoint and minute.
 */
function shortfallResult(name: string, key: 'service' | 'endpoint', state: ShortfallState, limit: number, rule: string): CriterionVerdict {
  const breach = state.breach;
  if (breach !== undefined) {
    const named = breach.name === undefined ? {} : key === 'service' ? { service: breach.name } : { endpoint: breach.name };
    return { name, measured: breach.coverage, limit, ok: false, minute: breach.minute, ...named, detail: breach.detail };
  }
  if (state.worst === null) return { name, measured: null, limit, ok: true, detail: `no minute judged yet (${rule})` };
  return { name, measured: state.worst.coverage, limit, ok: true, detail: `worst: ${state.worst.detail}; ${rule}` };
}

/** The median of the minute's RSS samples when they are stored, else the stored median. */
function serviceRss(s: ServiceMetrics): number | null {
  if (Array.isArray(s.rss_bytes_samples) && s.rss_bytes_samples.length > 0) return median(s.rss_bytes_samples);
  return typeof s.rss_bytes === 'number' ? s.rss_bytes : null;
}

function withMinute(verdict: CriterionVerdict, minute: number | undefined): CriterionVerdict {
  return minute === undefined ? verdict : { ...verdict, minute };
}
