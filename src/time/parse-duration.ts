// Durations as operators type them: `20s`, `30m`, `48h`, `1.5s`, or a bare number of seconds.

const UNITS: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86_400 };

/** Seconds, or a message saying what was expected. */
export function parseDuration(text: string): { ok: true; seconds: number } | { ok: false; message: string } {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)?$/.exec(text.trim());
  if (match === null) return { ok: false, message: `expected a duration such as 20s, 30m or 48h, got "${text}"` };
  const seconds = Number(match[1]) * (UNITS[match[2] ?? 's'] as number);
  if (!(seconds > 0)) return { ok: false, message: `expected a duration above zero, got "${text}"` };
  return { ok: true, seconds };
}

/** `1800` → `30m`, `20` → `20s`, `172800` → `48h`, `90` → `1m30s`. */
export function formatDuration(seconds: number): string {
  if (seconds < 60) return `${Number(seconds.toFixed(3))}s`;
  const parts: string[] = [];
  let rest = Math.round(seconds);
  for (const [unit, size] of [['h', 3600], ['m', 60], ['s', 1]] as const) {
    const n = Math.floor(rest / size);
    if (n > 0) parts.push(`${n}${unit}`);
    rest -= n * size;
  }
  return parts.join('');
}
