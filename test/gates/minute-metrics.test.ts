// Gate 2's per-minute metrics document: counts, error rate, achieved rate, percentiles read
// from a real HDR histogram and recomputed from its encoded form, service medians, file name.
import { describe, expect, it } from 'vitest';
import { buildMinuteMetrics, percentilesFromEncoded, type MinuteMetricsInput } from '../../gates/soak/minute-metrics.ts';
import { median, minuteMetricsFileName } from '../../gates/soak/minute-document.ts';
import { newLatencyHistogram, recordMs } from '../../src/traffic/latency-histogram.ts';

function histogramOf(valuesMs: number[]) {
  const h = newLatencyHistogram();
  for (const v of valuesMs) recordMs(h, v);
  return h;
}

function input(): MinuteMetricsInput {
  return {
    minute: 7,
    start: '2026-01-01T00:06:00.000Z',
    end: '2026-01-01T00:07:00.000Z',
    endpoints: [
      { name: 'chat', target_rate_per_s: 1, sent: 60, requests: 59, errors: { http_status: 1 }, histogram: histogramOf(Array.from({ length: 59 }, (_, i) => 10 + i)) },
      { name: 'action', target_rate_per_s: 0.5, sent: 30, requests: 30, errors: { timeout: 1, stream_stopped: 0 }, histogram: histogramOf(Array.from({ length: 29 }, () => 200)) },
    ],
    active_connections: 3,
    services: [{ name: 'api', cpu_percent_samples: [3, 1, 2, 10], rss_bytes_samples: [300, 100, 200], restarts: 0, probes: { checks: 12, failures: 1 } }],
  };
}

describe('buildMinuteMetrics', () => {
  it('names the file by the zero-padded minute index', () => {
    expect(minuteMetricsFileName(1)).toBe('gate2-metrics-minute-0001.json');
    expect(minuteMetricsFileName(2880)).toBe('gate2-metrics-minute-2880.json');
  });

  it('counts requests, errors by kind, error rate and achieved vs target rate per endpoint and overall', () => {
    const m = buildMinuteMetrics(input());
    expect(m.minute).toBe(7);
    expect(m.start).toBe('2026-01-01T00:06:00.000Z');
    const chat = m.endpoints[0]!;
    expect(chat).toMatchObject({ name: 'chat', requests: 59, sent: 60, errors_total: 1, target_rate_per_s: 1, achieved_rate_per_s: 1, histogram_unit: 'us' });
    expect(chat.errors).toEqual({ http_status: 1, timeout: 0, connection_error: 0, stream_stopped: 0 });
    expect(chat.error_rate).toBeCloseTo(1 / 59, 12);
    expect(m.overall).toMatchObject({ requests: 89, sent: 90, errors_total: 2, target_rate_per_s: 1.5, achieved_rate_per_s: 1.5 });
    expect(m.overall.errors).toEqual({ http_status: 1, timeout: 1, connection_error: 0, stream_stopped: 0 });
    expect(m.active_connections).toBe(3);
  });

  it('stores the encoded histogram from which the same percentiles are recomputed', () => {
    const m = buildMinuteMetrics(input());
    const chat = m.endpoints[0]!;
    expect(typeof chat.histogram).toBe('string');
    expect(percentilesFromEncoded(chat.histogram)).toEqual({ p50_ms: chat.p50_ms, p95_ms: chat.p95_ms, p99_ms: chat.p99_ms });
    expect(chat.p50_ms).toBeCloseTo(39, 1);
    // Overall = both endpoints' histograms added: 88 values, 29 of them at 200 ms.
    expect(percentilesFromEncoded(m.overall.histogram)).toEqual({ p50_ms: m.overall.p50_ms, p95_ms: m.overall.p95_ms, p99_ms: m.overall.p99_ms });
    expect(m.overall.p99_ms).toBeCloseTo(200, 0);
  });

  it('takes the median of the minute\'s service samples and keeps the samples, restarts and probe results', () => {
    const m = buildMinuteMetrics(input());
    expect(m.services).toEqual([{ name: 'api', cpu_percent: 2.5, rss_bytes: 200, samples: 4, cpu_percent_samples: [3, 1, 2, 10], rss_bytes_samples: [300, 100, 200], restarts: 0, probes: { checks: 12, failures: 1, timeouts: 0 } }]);
    expect(median([])).toBeNull();
  });

  it('gives null percentiles and a zero error rate for an empty minute, and is plain JSON', () => {
    const m = buildMinuteMetrics({ ...input(), endpoints: [{ name: 'chat', target_rate_per_s: 1, sent: 0, requests: 0, errors: {}, histogram: newLatencyHistogram() }] });
    expect(m.overall).toMatchObject({ p50_ms: null, p95_ms: null, p99_ms: null, error_rate: 0, achieved_rate_per_s: 0 });
    expect(percentilesFromEncoded(m.overall.histogram)).toEqual({ p50_ms: null, p95_ms: null, p99_ms: null });
    expect(JSON.parse(JSON.stringify(m))).toEqual(m);
  });

  it('is deterministic and rejects a minute index below 1', () => {
    expect(JSON.stringify(buildMinuteMetrics(input()))).toBe(JSON.stringify(buildMinuteMetrics(input())));
    expect(() => buildMinuteMetrics({ ...input(), minute: 0 })).toThrow(/starts at 1/);
  });
});
