// A long series shrunk to a width for a sparkline: 2,880 minutes of a 48-hour soak in 45
// columns. Each column takes the largest value of its span, so a one-minute latency spike
// stays visible however long the run; a missing value (null) counts as nothing.

/** At most `width` values: the series itself when it fits, else the maximum of each of `width` equal spans. */
export function downsampleMax(values: readonly (number | null)[], width: number): number[] {
  const n = values.length;
  if (width <= 0) return [];
  if (n <= width) return values.map((v) => v ?? 0);
  const out: number[] = [];
  for (let i = 0; i < width; i++) {
    const from = Math.floor((i * n) / width);
    const to = Math.floor(((i + 1) * n) / width);
    let max = 0;
    for (let j = from; j < to; j++) max = Math.max(max, values[j] ?? 0);
    out.push(max);
  }
  return out;
}
