// Order statistics for a handful of samples on a noisy machine: medians, not means.

export interface Summary {
  n: number;
  median: number;
  p90: number;
  min: number;
  max: number;
}

export function summarize(values: readonly number[]): Summary {
  if (values.length === 0) return { n: 0, median: Number.NaN, p90: Number.NaN, min: Number.NaN, max: Number.NaN };
  const sorted = [...values].sort((a, b) => a - b);
  const at = (i: number) => sorted[Math.min(sorted.length - 1, Math.max(0, i))] as number;
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 === 1 ? at(mid) : (at(mid - 1) + at(mid)) / 2;
  // Nearest rank: the smallest value with at least 90 % of the samples at or below it.
  const p90 = at(Math.ceil(0.9 * sorted.length) - 1);
  return { n: sorted.length, median, p90, min: at(0), max: at(sorted.length - 1) };
}

/** A number with a sensible number of decimals for its size. */
export function fmt(value: number, unit = ''): string {
  if (!Number.isFinite(value)) return 'n/a';
  const abs = Math.abs(value);
  const text = abs >= 100 ? value.toFixed(0) : abs >= 10 ? value.toFixed(1) : abs >= 1 ? value.toFixed(2) : value.toFixed(3);
  return `${text}${unit}`;
}

/** `median (min–max)` for a summary. */
export function fmtSummary(s: Summary, unit = ''): string {
  return `${fmt(s.median, unit)} (min ${fmt(s.min, unit)}, max ${fmt(s.max, unit)})`;
}
