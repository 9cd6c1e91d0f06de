// Pure text formatting for the console: sizes, durations, percents, fitting text to a
// column. Everything returns a plain string; a missing value is shown as an em dash.

export const MISSING = '—';

const BYTE_UNITS = ['B', 'KB', 'MB', 'GB', 'TB'] as const;

/** Bytes in units of 1024, one decimal from KB up: `512 B`, `12.3 MB`. */
export function formatBytes(bytes: number | null): string {
  if (bytes === null || !Number.isFinite(bytes) || bytes < 0) return MISSING;
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < BYTE_UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  if (unit === 0) return `${Math.round(value)} B`;
  // 1023.96 KB would print as "1024.0 KB": carry it into the next unit instead.
  if (Number(value.toFixed(1)) >= 1024 && unit < BYTE_UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(1)} ${BYTE_UNITS[unit]}`;
}

/** A duration, two units at most: `42s`, `3m07s`, `1h02m`, `2d03h`. */
export function formatDuration(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms) || ms < 0) return MISSING;
  const totalSeconds = Math.floor(ms / 1000);
  const days = Math.floor(totalSeconds / 86_400);
  const hours = Math.floor((totalSeconds % 86_400) / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = totalSeconds % 60;
  if (days > 0) return `${days}d${two(hours)}h`;
  if (hours > 0) return `${hours}h${two(minutes)}m`;
  if (minutes > 0) return `${minutes}m${two(seconds)}s`;
  return `${seconds}s`;
}

function two(n: number): string {
  return String(n).padStart(2, '0');
}

/** How long ago `at` was, seen from `now`: `3s ago`, `just now` under a second. */
export function formatAgo(at: number, now: number): string {
  const ms = now - at;
  if (ms < 1000) return 'just now';
  return `${formatDuration(ms)} ago`;
}

/** A CPU percent (100 = one core): one decimal under 100, whole numbers above. */
export function formatPercent(percent: number | null): string {
  if (percent === null || !Number.isFinite(percent)) return MISSING;
  const clamped = Math.max(0, percent);
  return clamped >= 100 ? `${Math.round(clamped)}%` : `${clamped.toFixed(1)}%`;
}

/** Cut `text` to `width` columns, ending with an ellipsis when something was cut. */
export function truncate(text: string, width: number): string {
  if (width <= 0) return '';
  if (text.length <= width) return text;
  if (width === 1) return '…';
  return `${text.slice(0, width - 1)}…`;
}

/** Exactly `width` columns, text on the left. */
export function fitLeft(text: string, width: number): string {
  return truncate(text, width).padEnd(Math.max(0, width));
}

/** Exactly `width` columns, text on the right (numbers). */
export function fitRight(text: string, width: number): string {
  return truncate(text, width).padStart(Math.max(0, width));
}

// CSI (ESC [ … final), OSC (ESC ] … BEL or ESC \), and two-character escapes.
const ESCAPE_SEQUENCE = /\u001B(?:\[[0-?]*[ -/]*[@-~]|\][^\u0007\u001B]*(?:\u0007|\u001B\\)?|[@-Z\\-_])/g;
// Remaining C0 and C1 control characters, except tab (expanded separately).
const CONTROL = /[\u0000-\u0008\u000A-\u001F\u007F-\u009F]/g;

/**
 * One line of someone else's output made safe to put on screen: escape sequences and
 * control characters removed (they would move the cursor or colour the console even
 * under NO_COLOR), tabs expanded to spaces.
 */
export function sanitizeLine(line: string): string {
  return line.replace(ESCAPE_SEQUENCE, '').replace(/\t/g, '  ').replace(CONTROL, '');
}

/** The message of anything thrown, first line only, safe to display. */
export function errorMessage(error: unknown): string {
  const raw = error instanceof Error ? error.message : String(error);
  const firstLine = raw.split(/\r?\n/, 1)[0] ?? '';
  const clean = sanitizeLine(firstLine).trim();
  return clean === '' ? 'unknown error' : clean;
}

/** A content hash shortened for display: the first 12 hex digits, any `sha256:` prefix dropped. */
export function shortHash(hash: string): string {
  const hex = hash.slice(hash.lastIndexOf(':') + 1);
  return hex.slice(0, 12);
}
