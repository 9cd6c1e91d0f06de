// Gate 2's judge over hand-built journals whose minutes carry real encoded HDR histograms:
// a clean pass, each criterion's breach named with its measured value and minute (error
// rate, memory growth, a restart, a stuck request, a p95 spike judged from the encoded
// histogram even when the stored number lies, a sustained rule), a missing minute, an
// abort, and that the verdict is a pure function of the records.
import { describe, expect, it } from 'vitest';
import { judgeSoak, soakJudge } from '../../gates/soak/judge.ts';
import { baselineMinute, SoakTally, type CriterionVerdict, type MinuteVerdict } from '../../gates/soak/soak-tally.ts';
import { buildMinuteMetrics, recomputedPercentiles } from '../../gates/soak/minute-metrics.ts';
import type { MinuteMetrics } from '../../gates/soak/minute-document.ts';
import type { JournalRecord } from '../../src/evidence/journal-record.ts';
import type { ErrorKind } from '../../src/traffic/request-outcome.ts';
import { newLatencyHistogram, recordMs } from '../../src/traffic/latency-histogram.ts';

const T0 = Date.UTC(2026, 0, 1, 0, 0, 0);
const CRITERIA = { max_error_rate: 0.005, max_memory_growth: 0.05, max_restarts: 0, p95_stability_factor: 2, sustained: [] };
const MB = 1024 * 1024;

interface MinuteSpec {
  /** Latency of every request (ms); 600 requests, 10 req/s. */
  latencyMs?: number;
  /** Requests at a slow latency among the 600. */
  slow?: { count: number; ms: number };
  errors?: Partial<Record<ErrorKind, number>>;
  rss?: Record<string, number>;
  restarts?: Record<string, number>;
  probeTimeouts?: number;
}

function minuteDoc(minute: number, spec: MinuteSpec = {}): MinuteMetrics {
  const h = newLatencyHistogram();
  const slow = spec.slow?.count ?? 0;
  for (let i = 0; i < 600 - slow; i++) recordMs(h, (spec.latencyMs ?? 20) + (i % 10));
  for (let i = 0; i < slow; i++) recordMs(h, spec.slow!.ms);
  const rss = spec.rss ?? {};
  return buildMinuteMetrics({
    minute,
    start: new Date(T0 + (minute - 1) * 60_000).toISOString(),
    end: new Date(T0 + minute * 60_000).toISOString(),
    endpoints: [{ name: 'chat', target_rate_per_s: 10, sent: 600, requests: 600, errors: spec.errors ?? {}, histogram: h }],
    active_connections: 2,
    services: ['api', 'web'].map((name) => ({
      name,
      cpu_percent_samples: [1, 2, 3],
      rss_bytes_samples: [rss[name] ?? 100 * MB],
      restarts: spec.restarts?.[name] ?? 0,
      probes: { checks: 12, failures: 0, timeouts: name === 'api' ? (spec.probeTimeouts ?? 0) : 0 },
    })),
  });
}

let seq = 0;
function record(type: string, payload: Record<string, unknown>): JournalRecord {
  seq += 1;
  const at = new Date(T0 + seq * 1000).toISOString();
  return { id: `R${String(seq).padStart(25, '0')}`, type, event_time: at, process_time: at, actor: 'evident', correlation_id: 'RUN', contract: { version: '1.0.0', hash: 'c'.repeat(64) }, payload, prev_hash: '0'.repeat(64), hash: 'd'.repeat(64) };
}

function run(minutes: MinuteMetrics[], options: { end?: boolean; duration_s?: number; warmup_s?: number; minute_s?: number; aborted?: boolean } = {}): JournalRecord[] {
  const parameters = { duration_s: options.duration_s ?? 180, warmup_s: options.warmup_s ?? 0, ...(options.minute_s === undefined ? {} : { minute_s: options.minute_s }) };
  const records = [record('run.start', { gate: 'gate2', parameters, services: ['api', 'web'] })];
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
    const tally = new SoakTally({ duration_s: 180, warmup_s: 0, minute_s: 60, services: ['api', 'web'], criteria: CRITERIA, percentiles: recomputedPercentiles });
    for (const m of minutes) expect(tally.add(m)).toBe(true);
    expect(tally.add(minutes[0]!)).toBe(false);
    const verdict = judgeSoak(run(minutes), CRITERIA);
    expect(tally.criteriaResults()).toEqual(verdict.criteria_results);
    expect(tally.firstBreach()).toEqual(verdict.first_breach);
  });
});
