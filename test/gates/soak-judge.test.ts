// Gate 2's judge over hand-built journals whose minutes carry real encoded HDR histograms:
// a clean pass, each criterion's breach named with its measured value and minute (error
// rate, memory growth, a restart, a stuck request, a p95 spike judged from the encoded
// histogram even when the stored number lies, a sustained rule), a missing minute, an
// abort, and that the verdict is a pure function of the records. Missing data fails: an
// empty soak, a stalled generator, a hung sampler, a service without a memory baseline, a
// run without services. The plan's summary fields, checked against figures computed here.
import { describe, expect, it } from 'vitest';
import { judgeSoak, soakJudge } from '../../gates/soak/judge.ts';
import { baselineMinute, SoakTally, type CriterionVerdict, type MinuteVerdict } from '../../gates/soak/soak-tally.ts';
import { buildMinuteMetrics, recomputedPercentiles } from '../../gates/soak/minute-metrics.ts';
import type { MinuteMetrics } from '../../gates/soak/minute-document.ts';
import type { JournalRecord } from '../../src/evidence/journal-record.ts';
import type { ErrorKind } from '../../src/traffic/request-outcome.ts';
import { newLatencyHistogram, recordMs } from '../../src/traffic/latency-histogram.ts';
import type { Histogram } from 'hdr-histogram-js';

const T0 = Date.UTC(2026, 0, 1, 0, 0, 0);
const CRITERIA = { max_error_rate: 0.005, max_memory_growth: 0.05, max_restarts: 0, p95_stability_factor: 2, sustained: [] };
const MB = 1024 * 1024;

interface MinuteSpec {
  /** Latency of every request (ms); `requests` of them (600 by default, 10 req/s). */
  latencyMs?: number;
  /** Requests at a slow latency among them. */
  slow?: { count: number; ms: number };
  requests?: number;
  errors?: Partial<Record<ErrorKind, number>>;
  rss?: Record<string, number>;
  restarts?: Record<string, number>;
  probeTimeouts?: number;
  /** RSS samples per service: 12 by default, one every 5 s of the minute. */
  samples?: Record<string, number>;
  /** Probe checks per service: 12 by default. */
  checks?: Record<string, number>;
  /** Services left out of the minute. */
  without?: string[];
  /** Each minute's latency histogram, when the test wants to add them up itself. */
  keep?: Histogram[];
}

function minuteDoc(minute: number, spec: MinuteSpec = {}): MinuteMetrics {
  const h = newLatencyHistogram();
  const requests = spec.requests ?? 600;
  const slow = spec.slow?.count ?? 0;
  for (let i = 0; i < requests - slow; i++) recordMs(h, (spec.latencyMs ?? 20) + (i % 10));
  for (let i = 0; i < slow; i++) recordMs(h, spec.slow!.ms);
  spec.keep?.push(h);
  const rss = spec.rss ?? {};
  return buildMinuteMetrics({
    minute,
    start: new Date(T0 + (minute - 1) * 60_000).toISOString(),
    end: new Date(T0 + minute * 60_000).toISOString(),
    endpoints: [{ name: 'chat', target_rate_per_s: 10, sent: requests, requests, errors: spec.errors ?? {}, histogram: h }],
    active_connections: 2,
    services: ['api', 'web']
      .filter((name) => !spec.without?.includes(name))
      .map((name) => ({
        name,
        cpu_percent_samples: [1, 2, 3],
        rss_bytes_samples: Array.from({ length: spec.samples?.[name] ?? 12 }, () => rss[name] ?? 100 * MB),
        restarts: spec.restarts?.[name] ?? 0,
        probes: { checks: spec.checks?.[name] ?? 12, failures: 0, timeouts: name === 'api' ? (spec.probeTimeouts ?? 0) : 0 },
      })),
  });
}

/** Nothing observed and nothing sent: what a stalled generator and a hung sampler write. */
function emptyMinute(minute: number): MinuteMetrics {
  return minuteDoc(minute, { requests: 0, samples: { api: 0, web: 0 }, checks: { api: 0, web: 0 } });
}

let seq = 0;
function record(type: string, payload: Record<string, unknown>): JournalRecord {
  seq += 1;
  const at = new Date(T0 + seq * 1000).toISOString();
  return { id: `R${String(seq).padStart(25, '0')}`, type, event_time: at, process_time: at, actor: 'evident', correlation_id: 'RUN', contract: { version: '1.0.0', hash: 'c'.repeat(64) }, payload, prev_hash: '0'.repeat(64), hash: 'd'.repeat(64) };
}

function run(minutes: MinuteMetrics[], options: { end?: boolean; duration_s?: number; warmup_s?: number; minute_s?: number; aborted?: boolean; services?: string[] | null } = {}): JournalRecord[] {
  const parameters = { duration_s: options.duration_s ?? 180, warmup_s: options.warmup_s ?? 0, ...(options.minute_s === undefined ? {} : { minute_s: options.minute_s }) };
  const services = options.services === undefined ? { services: ['api', 'web'] } : options.services === null ? {} : { services: options.services };
  const records = [record('run.start', { gate: 'gate2', parameters, ...services })];
  for (const m of minutes) records.push(record('soak.minute', m as unknown as Record<string, unknown>));
  if (options.aborted) records.push(record('run.aborted', { reason: 'operator stop' }));
  if (options.end !== false) records.push(record('run.end', {}));
  return records;
}

const criterion = (verdict: Record<string, unknown>, name: string, service?: string) =>
  (verdict.criteria_results as CriterionVerdict[]).find((c) => c.name === name && (service === undefined || c.service === service)) as CriterionVerdict;

describe('judgeSoak', () => {
  it('passes a clean 3-minute run, every criterion measured beside its verdict', () => {
    const verdict = judgeSoak(run([minuteDoc(1), minuteDoc(2), minuteDoc(3)]), CRITERIA);
    expect(verdict.status).toBe('PASSED');
    expect(verdict.first_breach).toBeNull();
    expect(verdict.minutes_expected).toBe(3);
    expect(verdict.minutes_missing).toEqual([]);
    expect(criterion(verdict, 'max_error_rate')).toMatchObject({ measured: 0, limit: 0.005, ok: true });
    expect(criterion(verdict, 'max_memory_growth', 'api')).toMatchObject({ measured: 0, limit: 0.05, ok: true });
    expect(criterion(verdict, 'max_restarts')).toMatchObject({ measured: 0, limit: 0, ok: true });
    expect(criterion(verdict, 'p95_stability_factor')).toMatchObject({ measured: 1, limit: 2, ok: true });
    expect(criterion(verdict, 'no_stuck_session')).toMatchObject({ measured: 0, ok: true });
    expect((verdict.minutes as MinuteVerdict[]).map((m) => [m.minute, m.ok, m.stored_percentiles_match])).toEqual([
      [1, true, true],
      [2, true, true],
      [3, true, true],
    ]);
    expect(soakJudge).toMatchObject({ kind: 'soak', title: 'Gate 2' });
  });

  it('fails a 1 % error rate, naming max_error_rate and the measured rate', () => {
    const verdict = judgeSoak(run([minuteDoc(1, { errors: { http_status: 6 } }), minuteDoc(2, { errors: { http_status: 6 } }), minuteDoc(3, { errors: { http_status: 6 } })]), CRITERIA);
    expect(verdict.status).toBe('FAILED');
    expect(criterion(verdict, 'max_error_rate')).toMatchObject({ measured: 0.01, limit: 0.005, ok: false, minute: 1 });
    expect(verdict.first_breach).toEqual({ criterion: 'max_error_rate', minute: 1, measured: 0.01, limit: 0.005 });
  });

  it('fails 10 % memory growth against the baseline after warm-up, naming the service', () => {
    const minutes = [minuteDoc(1, { rss: { api: 50 * MB } }), minuteDoc(2, { rss: { api: 100 * MB } }), minuteDoc(3, { rss: { api: 104 * MB } }), minuteDoc(4, { rss: { api: 110 * MB } })];
    const verdict = judgeSoak(run(minutes, { duration_s: 240, warmup_s: 60 }), CRITERIA);
    expect(verdict.baseline_minute).toBe(2);
    expect(verdict.status).toBe('FAILED');
    const api = criterion(verdict, 'max_memory_growth', 'api');
    expect(api.ok).toBe(false);
    expect(api.measured).toBeCloseTo(0.1, 12);
    expect(api.minute).toBe(4);
    expect(criterion(verdict, 'max_memory_growth', 'web')).toMatchObject({ measured: 0, ok: true });
    expect(verdict.first_breach).toMatchObject({ criterion: 'max_memory_growth', service: 'api', minute: 4 });
  });

  it('fails on a restart, naming the service and minute', () => {
    const verdict = judgeSoak(run([minuteDoc(1), minuteDoc(2, { restarts: { web: 1 } }), minuteDoc(3)]), CRITERIA);
    expect(verdict.status).toBe('FAILED');
    expect(criterion(verdict, 'max_restarts')).toMatchObject({ measured: 1, limit: 0, ok: false, minute: 2, service: 'web' });
    expect(verdict.first_breach).toMatchObject({ criterion: 'max_restarts', minute: 2 });
  });

  it('fails a timed-out request as a stuck session, even within the error-rate allowance', () => {
    const verdict = judgeSoak(run([minuteDoc(1), minuteDoc(2), minuteDoc(3, { errors: { timeout: 1 } })]), CRITERIA);
    expect(verdict.status).toBe('FAILED');
    expect(criterion(verdict, 'max_error_rate').ok).toBe(true);
    expect(criterion(verdict, 'no_stuck_session')).toMatchObject({ measured: 1, ok: false, minute: 3 });
    expect(verdict.first_breach).toMatchObject({ criterion: 'no_stuck_session', minute: 3 });
  });

  it('fails a stopped stream or a probe timeout as stuck too, even without run.end', () => {
    expect(criterion(judgeSoak(run([minuteDoc(1, { errors: { stream_stopped: 1 } })], { end: false }), CRITERIA), 'no_stuck_session')).toMatchObject({ ok: false, minute: 1 });
    const verdict = judgeSoak(run([minuteDoc(1), minuteDoc(2, { probeTimeouts: 1 })], { end: false }), CRITERIA);
    expect(verdict.status).toBe('FAILED');
    expect(verdict.first_breach).toMatchObject({ criterion: 'no_stuck_session', minute: 2 });
  });

  it('fails a p95 spike in minute 3 from the encoded histogram, though the stored p95 was tampered to look fine', () => {
    const spiked = minuteDoc(3, { slow: { count: 60, ms: 500 } });
    const baseline = minuteDoc(1);
    const tampered: MinuteMetrics = { ...spiked, overall: { ...spiked.overall, p95_ms: baseline.overall.p95_ms, p99_ms: baseline.overall.p99_ms } };
    const verdict = judgeSoak(run([baseline, minuteDoc(2), tampered]), CRITERIA);
    expect(verdict.status).toBe('FAILED');
    const p95 = criterion(verdict, 'p95_stability_factor');
    expect(p95).toMatchObject({ ok: false, minute: 3, limit: 2 });
    expect(p95.measured!).toBeGreaterThan(10);
    expect(verdict.first_breach).toMatchObject({ criterion: 'p95_stability_factor', minute: 3 });
    const third = (verdict.minutes as MinuteVerdict[])[2]!;
    expect(third).toMatchObject({ minute: 3, ok: false, breaches: ['p95_stability_factor'], stored_percentiles_match: false });
    expect(third.p95_ms!).toBeCloseTo(500, 0);
  });

  it('fails a sustained rule only at the minute its streak reaches the declared length', () => {
    const rule = { metric: 'p95_ms', above: 35, minutes: 2 };
    const criteria = { ...CRITERIA, p95_stability_factor: 100, sustained: [rule] };
    // Minutes 2 and 4 are above 35 ms (the others' p95 is 29 ms), but not consecutively: no breach.
    const apart = judgeSoak(run([minuteDoc(1), minuteDoc(2, { latencyMs: 40 }), minuteDoc(3), minuteDoc(4, { latencyMs: 40 })], { duration_s: 240 }), criteria);
    expect(apart.status).toBe('PASSED');
    expect(criterion(apart, 'sustained:p95_ms>35x2')).toMatchObject({ measured: 1, limit: 2, ok: true });
    const together = judgeSoak(run([minuteDoc(1), minuteDoc(2, { latencyMs: 40 }), minuteDoc(3, { latencyMs: 40 }), minuteDoc(4)], { duration_s: 240 }), criteria);
    expect(together.status).toBe('FAILED');
    expect(criterion(together, 'sustained:p95_ms>35x2')).toMatchObject({ measured: 2, ok: false, minute: 3 });
    expect(together.first_breach).toMatchObject({ criterion: 'sustained:p95_ms>35x2', minute: 3 });
  });

  it('does not pass a run with a missing minute, nor one aborted or without its end', () => {
    const missing = judgeSoak(run([minuteDoc(1), minuteDoc(3)]), CRITERIA);
    expect(missing.status).toBe('INTERRUPTED');
    expect(missing.minutes_missing).toEqual([2]);
    expect(missing.reasons).toEqual(['minute(s) missing: 2 of 3']);
    expect(judgeSoak(run([minuteDoc(1), minuteDoc(2)], { end: false }), CRITERIA).status).toBe('INTERRUPTED');
    const aborted = judgeSoak(run([minuteDoc(1), minuteDoc(2), minuteDoc(3)], { aborted: true }), CRITERIA);
    expect(aborted.status).toBe('INTERRUPTED');
    expect(aborted.reasons).toEqual(['aborted by evident: operator stop']);
  });

  it('takes the baseline from the first minute after warm-up', () => {
    expect(baselineMinute(0)).toBe(1);
    expect(baselineMinute(60)).toBe(2);
    expect(baselineMinute(61)).toBe(3);
    expect(baselineMinute(600)).toBe(11);
  });

  it('is a pure function of its records: the same journal gives the same verdict', () => {
    const records = run([minuteDoc(1), minuteDoc(2, { errors: { http_status: 5 }, restarts: { api: 1 } }), minuteDoc(3, { slow: { count: 60, ms: 300 } })]);
    const copy = JSON.parse(JSON.stringify(records)) as JournalRecord[];
    const a = judgeSoak(records, CRITERIA);
    expect(JSON.stringify(judgeSoak(copy, CRITERIA))).toBe(JSON.stringify(a));
    expect(JSON.stringify(judgeSoak(records, CRITERIA))).toBe(JSON.stringify(a));
  });

  it('keeps a breach once made: the minute it happened stays the verdict, as the runner stopped there', () => {
    // 6 errors in minute 2's 600 requests (1 %), none after: the running rate falls below 0.5 % by minute 3.
    const verdict = judgeSoak(run([minuteDoc(1), minuteDoc(2, { errors: { http_status: 6 } }), minuteDoc(3), minuteDoc(4)], { duration_s: 240 }), CRITERIA);
    expect(verdict.status).toBe('FAILED');
    expect(criterion(verdict, 'max_error_rate')).toMatchObject({ ok: false, minute: 2 });
    expect(criterion(verdict, 'max_error_rate').measured).toBeCloseTo(6 / 2400, 12);
  });

  it('judges the error rate from the baseline minute on, counting the warm-up errors in it', () => {
    // 4 errors in warm-up minute 1 (0.67 %) are not yet a breach; with minute 2 clean the rate is 0.33 %.
    const clean = judgeSoak(run([minuteDoc(1, { errors: { http_status: 4 } }), minuteDoc(2), minuteDoc(3)], { warmup_s: 60 }), CRITERIA);
    expect(clean.status).toBe('PASSED');
    expect(criterion(clean, 'max_error_rate').measured).toBeCloseTo(4 / 1800, 12);
    const breached = judgeSoak(run([minuteDoc(1, { errors: { http_status: 4 } }), minuteDoc(2, { errors: { http_status: 3 } }), minuteDoc(3)], { warmup_s: 60 }), CRITERIA);
    expect(criterion(breached, 'max_error_rate')).toMatchObject({ ok: false, minute: 2 });
  });

  it('reads minutes of the length the run declares (a test run\'s 5-second "minutes")', () => {
    const verdict = judgeSoak(run([minuteDoc(1), minuteDoc(2), minuteDoc(3), minuteDoc(4)], { duration_s: 20, warmup_s: 5, minute_s: 5 }), CRITERIA);
    expect(verdict).toMatchObject({ status: 'PASSED', minute_s: 5, minutes_expected: 4, baseline_minute: 2 });
    expect(baselineMinute(5, 5)).toBe(2);
  });

  it('recomputes RSS from the stored samples, not the median written beside them', () => {
    const base = minuteDoc(1);
    const leaky = minuteDoc(2, { rss: { api: 120 * MB } });
    const hidden: MinuteMetrics = { ...leaky, services: leaky.services.map((s) => ({ ...s, rss_bytes: 100 * MB })) };
    const verdict = judgeSoak(run([base, hidden], { duration_s: 120 }), CRITERIA);
    expect(criterion(verdict, 'max_memory_growth', 'api')).toMatchObject({ ok: false, minute: 2 });
  });

  it('gives the same criteria folded one minute at a time as judged at the end', () => {
    const minutes = [minuteDoc(1), minuteDoc(2, { restarts: { web: 1 } }), minuteDoc(3, { slow: { count: 60, ms: 300 } })];
    const tally = new SoakTally({ duration_s: 180, warmup_s: 0, minute_s: 60, sample_interval_s: 5, services: ['api', 'web'], criteria: CRITERIA, percentiles: recomputedPercentiles });
    for (const m of minutes) expect(tally.add(m)).toBe(true);
    expect(tally.add(minutes[0]!)).toBe(false);
    const verdict = judgeSoak(run(minutes), CRITERIA);
    expect(tally.criteriaResults()).toEqual(verdict.criteria_results);
    expect(tally.firstBreach()).toEqual(verdict.first_breach);
  });
});

describe('judgeSoak: missing data fails', () => {
  it('fails an empty soak (nothing sent, probed or sampled), naming what is missing', () => {
    const verdict = judgeSoak(run([emptyMinute(1), emptyMinute(2), emptyMinute(3)]), CRITERIA);
    expect(verdict.status).toBe('FAILED');
    expect(criterion(verdict, 'complete_observations')).toMatchObject({ ok: false, minute: 1, service: 'api', measured: 0, limit: 11 / 12 });
    expect(criterion(verdict, 'traffic_achieved')).toMatchObject({ ok: false, minute: 1, endpoint: 'chat', measured: 0, limit: 0.9 });
    expect(criterion(verdict, 'max_memory_growth', 'api')).toMatchObject({ ok: false, minute: 1, measured: null });
    expect(verdict.reasons).toEqual(
      expect.arrayContaining([
        'minute 1: complete_observations (api) measured 0, limit 0.916667: api in minute 1: 0 RSS sample(s) and 0 probe(s) of 12 due, 11 required',
        'minute 1: traffic_achieved (chat) measured 0, limit 0.9: chat in minute 1: 0 sent at 10/s, 540 required, 90 % of the 599 whole request(s) its schedule surely puts in 60 s',
        'minute 1: max_memory_growth (web) measured n/a, limit 0.05: no RSS sample in the baseline minute (minute 1): its growth cannot be judged',
      ]),
    );
    expect(verdict).toMatchObject({ requests_total: 0, error_rate_percent: null, latency_p95_ms: null, latency_p99_ms: null, memory_growth_percent: { api: null, web: null } });
  });

  it('fails a stalled traffic generator: nothing sent in minute 2', () => {
    const verdict = judgeSoak(run([minuteDoc(1), minuteDoc(2, { requests: 0 }), minuteDoc(3)]), CRITERIA);
    expect(verdict.status).toBe('FAILED');
    expect(verdict.first_breach).toEqual({ criterion: 'traffic_achieved', minute: 2, endpoint: 'chat', measured: 0, limit: 0.9 });
    expect((verdict.minutes as MinuteVerdict[])[1]).toMatchObject({ minute: 2, ok: false, breaches: ['traffic_achieved:chat'] });
  });

  it('allows the whole requests a schedule surely puts in a minute, less 10 %: 540 of 600 pass, 539 fail', () => {
    expect(judgeSoak(run([minuteDoc(1), minuteDoc(2, { requests: 540 }), minuteDoc(3)]), CRITERIA).status).toBe('PASSED');
    const short = judgeSoak(run([minuteDoc(1), minuteDoc(2, { requests: 539 }), minuteDoc(3)]), CRITERIA);
    expect(criterion(short, 'traffic_achieved')).toMatchObject({ ok: false, minute: 2, endpoint: 'chat' });
    expect(criterion(short, 'traffic_achieved').measured).toBeCloseTo(539 / 599, 12);
    // 3-second test minutes at 1 req/s: ~3 requests a minute, of which 2 are certain; 1 is short.
    const tally = (sent: number) => {
      const t = new SoakTally({ duration_s: 9, warmup_s: 0, minute_s: 3, sample_interval_s: 1, services: [], criteria: CRITERIA, percentiles: recomputedPercentiles });
      const m = buildMinuteMetrics({ minute: 1, start: new Date(T0).toISOString(), end: new Date(T0 + 3000).toISOString(), endpoints: [{ name: 'chat', target_rate_per_s: 1, sent, requests: sent, errors: {}, histogram: newLatencyHistogram() }], active_connections: 0, services: [] });
      t.add(m);
      return t.criteriaResults().find((c) => c.name === 'traffic_achieved');
    };
    expect(tally(2)).toMatchObject({ ok: true, measured: 1 });
    expect(tally(1)).toMatchObject({ ok: false, measured: 0.5 });
  });

  it('fails a hung sampler: no RSS sample of web in minute 2, though its probes ran', () => {
    const verdict = judgeSoak(run([minuteDoc(1), minuteDoc(2, { samples: { web: 0 } }), minuteDoc(3)]), CRITERIA);
    expect(verdict.status).toBe('FAILED');
    expect(verdict.first_breach).toEqual({ criterion: 'complete_observations', minute: 2, service: 'web', measured: 0, limit: 11 / 12 });
    expect(criterion(verdict, 'max_memory_growth', 'web')).toMatchObject({ ok: true, measured: 0 });
  });

  it('allows one round a minute to cross the minute\'s edge, not two; and no probes are as missing as no samples', () => {
    expect(judgeSoak(run([minuteDoc(1), minuteDoc(2, { samples: { api: 11 }, checks: { api: 11 } }), minuteDoc(3, { samples: { api: 13 }, checks: { api: 13 } })]), CRITERIA).status).toBe('PASSED');
    const short = judgeSoak(run([minuteDoc(1), minuteDoc(2, { samples: { api: 10 } }), minuteDoc(3)]), CRITERIA);
    expect(criterion(short, 'complete_observations')).toMatchObject({ ok: false, minute: 2, service: 'api', measured: 10 / 12 });
    const unprobed = judgeSoak(run([minuteDoc(1), minuteDoc(2, { checks: { web: 3 } }), minuteDoc(3)]), CRITERIA);
    expect(criterion(unprobed, 'complete_observations')).toMatchObject({ ok: false, minute: 2, service: 'web', measured: 0.25 });
  });

  it('does not count a restart minute, nor the next, short (the sampler waits on the restart), but a service missing from one still fails', () => {
    const criteria = { ...CRITERIA, max_restarts: 5 };
    const restarted = judgeSoak(run([minuteDoc(1), minuteDoc(2, { restarts: { web: 1 }, samples: { web: 7, api: 7 } }), minuteDoc(3, { samples: { web: 9 } })]), criteria);
    expect(restarted.status).toBe('PASSED');
    const absent = judgeSoak(run([minuteDoc(1), minuteDoc(2, { restarts: { api: 1 }, without: ['web'] }), minuteDoc(3)]), criteria);
    expect(criterion(absent, 'complete_observations')).toMatchObject({ ok: false, minute: 2, service: 'web', measured: 0, detail: 'web is missing from minute 2' });
    // A minute after the one after a restart is counted again.
    const later = judgeSoak(run([minuteDoc(1, { restarts: { web: 1 } }), minuteDoc(2), minuteDoc(3, { samples: { web: 9 } })]), criteria);
    expect(criterion(later, 'complete_observations')).toMatchObject({ ok: false, minute: 3, service: 'web' });
  });

  it('fails memory growth for a service absent from the baseline minute, rather than skip it', () => {
    const minutes = [minuteDoc(1), minuteDoc(2, { without: ['web'] }), minuteDoc(3)];
    const verdict = judgeSoak(run(minutes, { warmup_s: 60 }), CRITERIA);
    expect(verdict.baseline_minute).toBe(2);
    expect(verdict.status).toBe('FAILED');
    expect(criterion(verdict, 'max_memory_growth', 'web')).toMatchObject({ ok: false, minute: 2, measured: null, detail: 'no RSS sample in the baseline minute (minute 2): its growth cannot be judged' });
    expect(criterion(verdict, 'max_memory_growth', 'api')).toMatchObject({ ok: true, measured: 0 });
    expect(verdict.first_breach).toEqual({ criterion: 'max_memory_growth', minute: 2, service: 'web', measured: null, limit: 0.05 });
    expect(verdict.memory_growth_percent).toEqual({ api: 0, web: null });
    // Before the baseline minute nothing is judged yet: no breach in warm-up.
    const warming = judgeSoak(run([minuteDoc(1, { without: ['web'] })], { warmup_s: 60, end: false }), CRITERIA);
    expect(criterion(warming, 'max_memory_growth', 'web')).toMatchObject({ ok: true, measured: null });
  });

  it('fails a run whose start declares no services, empty or missing, never passing it', () => {
    for (const services of [[], null]) {
      const verdict = judgeSoak(run([minuteDoc(1), minuteDoc(2), minuteDoc(3)], { services }), CRITERIA);
      expect(verdict.status).toBe('FAILED');
      expect(criterion(verdict, 'complete_observations')).toMatchObject({ ok: false, minute: 1, measured: null, detail: 'the run declares no services: nothing was observed' });
      const nothing = judgeSoak(run([], { services, end: false }), CRITERIA);
      expect(nothing.status).toBe('FAILED');
      expect(nothing.reasons).toEqual(['the run declares no services: nothing was observed']);
    }
  });
});

describe('judgeSoak: the plan\'s summary fields', () => {
  it('gives the plan\'s totals, rates, growth, restarts and stuck sessions, and p95/p99 of every request of the run', () => {
    const histograms: Histogram[] = [];
    const minutes = [
      minuteDoc(1, { keep: histograms }),
      minuteDoc(2, { keep: histograms, errors: { http_status: 2, timeout: 1 }, restarts: { web: 1 }, rss: { api: 102 * MB } }),
      minuteDoc(3, { keep: histograms, slow: { count: 60, ms: 500 }, probeTimeouts: 1, rss: { api: 104 * MB, web: 99 * MB } }),
    ];
    const verdict = judgeSoak(run(minutes), { ...CRITERIA, max_restarts: 5 });
    expect(verdict).toMatchObject({
      duration_hours: 0.05,
      requests_total: 1800,
      errors_total: 3,
      error_rate_threshold: 0.5,
      memory_growth_percent: { api: 4, web: -1 },
      service_restarts: 1,
      service_restarts_by_service: { api: 0, web: 1 },
      // The timed-out request and the probe that timed out: the stuck sessions no_stuck_session counts.
      deadlocks_detected: 2,
    });
    expect(verdict.error_rate_percent).toBeCloseTo((3 / 1800) * 100, 9);

    // Computed here: every latency of the run recorded into one histogram.
    const all = newLatencyHistogram();
    for (let minute = 1; minute <= 3; minute++) {
      const slow = minute === 3 ? 60 : 0;
      for (let i = 0; i < 600 - slow; i++) recordMs(all, 20 + (i % 10));
      for (let i = 0; i < slow; i++) recordMs(all, 500);
    }
    const p95 = all.getValueAtPercentile(95) / 1000;
    const p99 = all.getValueAtPercentile(99) / 1000;
    expect(verdict.latency_p95_ms).toBe(p95);
    expect(verdict.latency_p99_ms).toBe(p99);
    // The histograms the minutes were built from, added: the same.
    const added = newLatencyHistogram();
    for (const h of histograms) added.add(h);
    expect([added.getValueAtPercentile(95) / 1000, added.getValueAtPercentile(99) / 1000]).toEqual([p95, p99]);
    // Not the mean of the minutes' own percentiles: minute 3's 500 ms p95 is 3 % of the run.
    const minuteP95 = (verdict.minutes as MinuteVerdict[]).map((m) => m.p95_ms as number);
    expect(p95).toBeLessThan(30);
    expect(minuteP95.reduce((a, b) => a + b, 0) / 3).toBeGreaterThan(150);
    expect(p99).toBeCloseTo(500, 0);
  });

  it('keeps the plan\'s fields clear of the summary\'s own', () => {
    const verdict = judgeSoak(run([minuteDoc(1), minuteDoc(2), minuteDoc(3)]), CRITERIA);
    for (const field of ['run_id', 'kind', 'title', 'timestamp', 'started_at', 'trial', 'contract', 'parameters', 'criteria']) expect(verdict).not.toHaveProperty(field);
    expect(verdict).toMatchObject({ status: 'PASSED', deadlocks_detected: 0, service_restarts: 0, errors_total: 0, error_rate_percent: 0 });
  });
});
