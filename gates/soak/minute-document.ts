// The per-minute metrics document of Gate 2, as written (`gate2-metrics-minute-<NNNN>.json`
// and the `soak.minute` record's payload) and as read back: its shape, its file name, and
// the median its service figures use. Light on purpose: a reader (the console's on-call
// view) needs no histogram library for it; building one and decoding its histograms is
// minute-metrics.ts.
import type { ErrorKind } from '../../src/traffic/request-outcome.ts';

export const MINUTE_METRICS_FORMAT = 'evident.soak.minute/1';

/** `gate2-metrics-minute-0001.json` for minute 1. */
export function minuteMetricsFileName(minute: number, prefix = 'gate2'): string {
  return `${prefix}-metrics-minute-${String(minute).padStart(4, '0')}.json`;
}

export type ErrorCounts = Record<ErrorKind, number>;

export interface LatencyPercentiles {
  p50_ms: number | null;
  p95_ms: number | null;
  p99_ms: number | null;
}

export interface TrafficMetrics extends LatencyPercentiles {
  /** Completed in the minute (answered or failed). */
  requests: number;
  /** Sent in the minute. */
  sent: number;
  errors: ErrorCounts;
  errors_total: number;
  /** errors_total ÷ requests; 0 when nothing completed. */
  error_rate: number;
  target_rate_per_s: number;
  /** sent ÷ the minute's length in seconds. */
  achieved_rate_per_s: number;
  /** The latency histogram (values in µs), encoded by hdr-histogram-js (compressed base64). */
  histogram: string;
  histogram_unit: 'us';
}

export interface EndpointMetrics extends TrafficMetrics {
  name: string;
}

export interface ProbeResults {
  checks: number;
  failures: number;
  /** Probes that got no answer within their timeout: a stuck service. */
  timeouts: number;
}

export interface ServiceMetrics {
  name: string;
  /** Median of the minute's samples; null when none was taken. */
  cpu_percent: number | null;
  rss_bytes: number | null;
  samples: number;
  /** Every sample of the minute, in order: the judge recomputes the median from these. */
  cpu_percent_samples: number[];
  rss_bytes_samples: number[];
  restarts: number;
  probes: ProbeResults;
}

/** The document itself: plain JSON. */
export interface MinuteMetrics {
  format: typeof MINUTE_METRICS_FORMAT;
  minute: number;
  start: string;
  end: string;
  endpoints: EndpointMetrics[];
  overall: TrafficMetrics;
  active_connections: number;
  services: ServiceMetrics[];
}

/** The median of some samples (the mean of the middle two for an even count); null when there are none. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** A minute's overall percentiles as written in it (the view's; verify checks them against the histogram). */
export function storedPercentiles(m: MinuteMetrics): LatencyPercentiles {
  const value = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : null);
  return { p50_ms: value(m.overall?.p50_ms), p95_ms: value(m.overall?.p95_ms), p99_ms: value(m.overall?.p99_ms) };
}
