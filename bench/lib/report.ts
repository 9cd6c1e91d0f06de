// What every benchmark hands back: rows of figures with their targets, printed as a
// Markdown table (so the summary can be pasted into the README). A row that misses its
// target says so; nothing here fails or asserts.
import { fmt, type Summary } from './stats.ts';

export interface Row {
  bench: string;
  figure: string;
  n: string;
  median: string;
  range: string;
  target: string;
  /** `meets`, `misses`, or empty when the figure has no target (context only). */
  verdict: string;
}

export interface Target {
  /** The figure meets the target when its median is at most this. */
  max: number;
  /** How to print the target, e.g. `≤ 1.3×`. */
  label: string;
}

export function measuredRow(bench: string, figure: string, s: Summary, unit: string, target?: Target): Row {
  return {
    bench,
    figure,
    n: String(s.n),
    median: fmt(s.median, unit),
    range: s.n > 1 ? `${fmt(s.min, unit)} – ${fmt(s.max, unit)}` : '',
    target: target?.label ?? '',
    verdict: target === undefined || !Number.isFinite(s.median) ? '' : s.median <= target.max ? 'meets' : 'misses',
  };
}

/** A row for byte figures, printed in MB (2^20 bytes). */
export function mbRow(bench: string, figure: string, bytes: Summary, target?: Target): Row {
  const mb = (b: number) => b / 2 ** 20;
  return measuredRow(bench, figure, { n: bytes.n, median: mb(bytes.median), p90: mb(bytes.p90), min: mb(bytes.min), max: mb(bytes.max) }, ' MB', target);
}

/** A figure that could not be taken (tool missing, run failed): says why instead. */
export function missingRow(bench: string, figure: string, why: string, target?: Target): Row {
  return { bench, figure, n: '0', median: 'n/a', range: why, target: target?.label ?? '', verdict: 'n/a' };
}

export function markdownTable(rows: readonly Row[]): string {
  const header = ['benchmark', 'figure', 'N', 'median', 'min – max', 'target', ''];
  const lines = [`| ${header.join(' | ')} |`, `| ${header.map((h, i) => (i >= 2 && i <= 4 ? '---:' : '---')).join(' | ')} |`];
  for (const r of rows) {
    const cells = [r.bench, r.figure, r.n, r.median, r.range, r.target, r.verdict].map((c) => c.replaceAll('|', '\\|'));
    lines.push(`| ${cells.join(' | ')} |`);
  }
  return lines.join('\n');
}

export function section(title: string): void {
  console.log(`\n=== ${title} ===`);
}

export function note(text: string): void {
  console.log(`  ${text}`);
}
