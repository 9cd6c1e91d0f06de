// Latency histograms: HdrHistogram (hdr-histogram-js, the maintained JS port of Gil
// Tene's HdrHistogram) rather than a hand-written one. It keeps every value to 3
// significant digits in fixed memory, so a p99 over 48 hours is exact to 0.1 % and not a
// sample; histograms add together (minute → run) and encode to the standard compressed
// base64 form, so the soak can store a minute's histogram and `verify` can recompute its
// percentiles from it.
import { build, type Histogram } from 'hdr-histogram-js';

/** Values are recorded in microseconds. */
export const LATENCY_UNIT = 'us';
/** Up to one hour: anything longer is clamped (and no request waits that long). */
const HIGHEST_US = 3_600_000_000;

export function newLatencyHistogram(): Histogram {
  // Pure JS, not the WebAssembly build: no async init, and at ~1,000 values/s the
  // recording cost is negligible either way.
  return build({ lowestDiscernibleValue: 1, highestTrackableValue: HIGHEST_US, numberOfSignificantValueDigits: 3, autoResize: false });
}

/** Records a latency given in ms (fractional), as whole microseconds within range. */
export function recordMs(histogram: Histogram, ms: number): void {
  histogram.recordValue(Math.min(HIGHEST_US, Math.max(1, Math.round(ms * 1000))));
}

/** A percentile (0–100) of a microsecond histogram, in ms; NaN when it is empty. */
export function percentileMs(histogram: Histogram, percentile: number): number {
  return histogram.totalCount === 0 ? Number.NaN : histogram.getValueAtPercentile(percentile) / 1000;
}
