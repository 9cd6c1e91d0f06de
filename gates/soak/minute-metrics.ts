// Gate 2's per-minute evidence: the document written as `gate2-metrics-minute-<NNNN>.json`
// and carried as the payload of the journal's `soak.minute` record. Pure: the runner
// gathers one minute's counts, latency histograms and service samples; this builds the
// plain JSON document from them. Each latency histogram (HdrHistogram, microseconds) is
// stored encoded — the standard compressed base64 form hdr-histogram-js writes — beside
// the percentiles read from it, so `verify` (and the judge) can recompute every
// percentile from the stored histogram with `percentilesFromEncoded` rather than trust
// the numbers written next to it.
//
// Conventions:
// - `minute` is 1-based: minute m covers [(m−1)·60 s, m·60 s) from the run's start.
// - Counts are the minute's own (deltas), not running totals: `sent` = requests sent in
//   the minute, `requests` = requests completed (answered or failed) in it, `errors` by
//   kind among those completed, `error_rate` = errors ÷ requests (0 when none completed).
// - Latencies are ms; a percentile of an empty histogram is null (JSON has no NaN).
// - `restarts` per service are the restarts seen in this minute.
// - Service CPU and RSS: every sample of the minute is kept beside its median.
import { decodeFromCompressedBase64, encodeIntoCompressedBase64, type Histogram } from 'hdr-histogram-js';
import { newLatencyHistogram } from '../../src/traffic/latency-histogram.ts';
import { ERROR_KINDS } from '../../src/traffic/request-outcome.ts';
import { median, MINUTE_METRICS_FORMAT, type ErrorCounts, type LatencyPercentiles, type MinuteMetrics, type ProbeResults, type TrafficMetrics } from './minute-document.ts';

export interface EndpointMinuteInput {
  name: string;
  target_rate_per_s: number;
  sent: number;
  /** Completed in the minute. */
  requests: number;
  errors: Partial<ErrorCounts>;
  /** This minute's latencies only (µs), as src/traffic/latency-histogram.ts records them. */
  histogram: Histogram;
}

export interface ServiceMinuteInput {
  name: string;
  cpu_percent_samples: readonly number[];
  rss_bytes_samples: readonly number[];
  restarts: number;
  probes: Partial<ProbeResults>;
}

export interface MinuteMetricsInput {
  minute: number;
  /** ISO 8601 times bounding the minute. */
  start: string;
  end: string;
  endpoints: readonly EndpointMinuteInput[];
  active_connections: number;
  services: readonly ServiceMinuteInput[];
}

export function buildMinuteMetrics(input: MinuteMetricsInput): MinuteMetrics {
  if (!Number.isInteger(input.minute) || input.minute < 1) throw new Error(`a minute index starts at 1, got ${input.minute}`);
  const seconds = windowSeconds(input.start, input.end);
  const endpoints = input.endpoints.map((e) => ({ name: e.name, ...trafficMetrics(e.target_rate_per_s, e.sent, e.requests, e.errors, e.histogram, seconds) }));
  const overallHistogram = newLatencyHistogram();
  for (const e of input.endpoints) overallHistogram.add(e.histogram);
  const overallErrors = emptyErrors();
  for (const e of input.endpoints) for (const kind of ERROR_KINDS) overallErrors[kind] += e.errors[kind] ?? 0;
  const overall = trafficMetrics(
    sum(input.endpoints.map((e) => e.target_rate_per_s)),
    sum(input.endpoints.map((e) => e.sent)),
    sum(input.endpoints.map((e) => e.requests)),
    overallErrors,
    overallHistogram,
    seconds,
  );
  return {
    format: MINUTE_METRICS_FORMAT,
    minute: input.minute,
    start: input.start,
    end: input.end,
    endpoints,
    overall,
    active_connections: input.active_connections,
    services: input.services.map((s) => ({
      name: s.name,
      cpu_percent: median(s.cpu_percent_samples),
      rss_bytes: median(s.rss_bytes_samples),
      samples: Math.max(s.cpu_percent_samples.length, s.rss_bytes_samples.length),
      cpu_percent_samples: [...s.cpu_percent_samples],
      rss_bytes_samples: [...s.rss_bytes_samples],
      restarts: s.restarts,
      probes: { checks: s.probes.checks ?? 0, failures: s.probes.failures ?? 0, timeouts: s.probes.timeouts ?? 0 },
    })),
  };
}

/** Decodes a stored histogram (µs) and reads p50/p95/p99 from it, in ms; null when empty. */
export function percentilesFromEncoded(base64: string): LatencyPercentiles {
  return percentilesOf(decodeFromCompressedBase64(base64));
}

/** A minute's overall percentiles recomputed from its encoded histogram; all null when it has none or it does not decode. */
export function recomputedPercentiles(m: MinuteMetrics): LatencyPercentiles {
  const histogram = m.overall?.histogram;
  if (typeof histogram !== 'string' || histogram === '') return { p50_ms: null, p95_ms: null, p99_ms: null };
  try {
    return percentilesFromEncoded(histogram);
  } catch {
    return { p50_ms: null, p95_ms: null, p99_ms: null };
  }
}

/**
 * A run's latency over all its minutes: each minute's encoded overall histogram is
 * decoded once, its percentiles read (as `recomputedPercentiles` reads them) and its counts
 * added to the run's histogram, so the run's p95/p99 are those of every request of the
 * run, not an average of the minutes' percentiles.
 */
export class RunLatency {
  private readonly histogram = newLatencyHistogram();

  /** The minute's overall percentiles; its histogram is added to the run's. All null when it has none or it does not decode. */
  addMinute(m: MinuteMetrics): LatencyPercentiles {
    const encoded = m.overall?.histogram;
    if (typeof encoded !== 'string' || encoded === '') return { p50_ms: null, p95_ms: null, p99_ms: null };
    try {
      const minute = decodeFromCompressedBase64(encoded);
      // Every minute's histogram has the run's range (recordMs clamps to it): only a foreign one fails to add.
      this.histogram.add(minute);
      return percentilesOf(minute);
    } catch {
      return { p50_ms: null, p95_ms: null, p99_ms: null };
    }
  }

  /** p50/p95/p99 of every minute added, in ms; null before any latency. */
  percentiles(): LatencyPercentiles {
    return percentilesOf(this.histogram);
  }
}

/** p50/p95/p99 of a µs histogram, in ms; null when it is empty. */
export function percentilesOf(histogram: Histogram): LatencyPercentiles {
  const at = (p: number) => (histogram.totalCount === 0 ? null : histogram.getValueAtPercentile(p) / 1000);
  return { p50_ms: at(50), p95_ms: at(95), p99_ms: at(99) };
}

export function emptyErrors(): ErrorCounts {
  return { http_status: 0, timeout: 0, connection_error: 0, stream_stopped: 0 };
}

function trafficMetrics(target: number, sent: number, requests: number, errors: Partial<ErrorCounts>, histogram: Histogram, seconds: number): TrafficMetrics {
  const counts = emptyErrors();
  for (const kind of ERROR_KINDS) counts[kind] = errors[kind] ?? 0;
  const errorsTotal = sum(ERROR_KINDS.map((k) => counts[k]));
  return {
    requests,
    sent,
    errors: counts,
    errors_total: errorsTotal,
    error_rate: requests > 0 ? errorsTotal / requests : 0,
    target_rate_per_s: target,
    achieved_rate_per_s: seconds > 0 ? sent / seconds : 0,
    ...percentilesOf(histogram),
    histogram: encodeIntoCompressedBase64(histogram),
    histogram_unit: 'us',
  };
}

function windowSeconds(start: string, end: string): number {
  const ms = Date.parse(end) - Date.parse(start);
  if (!Number.isFinite(ms) || ms < 0) throw new Error(`the minute's bounds are not ISO times in order: ${start} .. ${end}`);
  return ms / 1000;
}

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}
