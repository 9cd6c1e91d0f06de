// A fixed-width sparkline of a series as text: ▁ is zero, █ is the largest value in view.
// Pure, so plain line builders (the soak view's) use it without loading Ink.

const BARS = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'] as const;

export interface SparklineScale {
  /** `zero`: ▁ is 0 (CPU, where idle matters); `range`: ▁ is the smallest value shown (RSS, where growth matters). */
  base: 'zero' | 'range';
  /** █ is at least this high, so noise near 0 does not fill the bars. */
  ceiling: number;
}

const ZERO_BASED: SparklineScale = { base: 'zero', ceiling: 0 };

/**
 * The last `width` values drawn as bars, oldest on the left, always exactly `width`
 * characters: a short series is padded with spaces on the left. █ is the largest value
 * shown (or the scale's ceiling when higher); negative and non-finite values count as 0.
 */
export function sparkline(values: readonly number[], width: number, scale: SparklineScale = ZERO_BASED): string {
  if (width <= 0) return '';
  const shown = values.slice(-width).map((v) => (Number.isFinite(v) && v > 0 ? v : 0));
  if (shown.length === 0) return ' '.repeat(width);
  const max = Math.max(scale.ceiling, ...shown);
  const min = scale.base === 'zero' ? 0 : Math.min(...shown);
  const span = max - min;
  const bars = shown.map((v) => {
    if (span <= 0) return BARS[0];
    const index = Math.min(BARS.length - 1, Math.round(((v - min) / span) * (BARS.length - 1)));
    return BARS[index];
  });
  return bars.join('').padStart(width);
}
