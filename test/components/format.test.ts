import { describe, expect, it } from 'vitest';
import {
  errorMessage,
  fitLeft,
  fitRight,
  formatAgo,
  formatBytes,
  formatDuration,
  formatPercent,
  sanitizeLine,
  shortHash,
  truncate,
} from '../../components/format.ts';

describe('format', () => {
  it('formats bytes in 1024 units with one decimal', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatBytes(12.3 * 1024 * 1024)).toBe('12.3 MB');
    expect(formatBytes(16 * 1024 ** 3)).toBe('16.0 GB');
    expect(formatBytes(1024 * 1024 - 1)).toBe('1.0 MB');
    expect(formatBytes(null)).toBe('—');
    expect(formatBytes(Number.NaN)).toBe('—');
  });

  it('formats durations with two units at most', () => {
    expect(formatDuration(0)).toBe('0s');
    expect(formatDuration(42_900)).toBe('42s');
    expect(formatDuration(187_000)).toBe('3m07s');
    expect(formatDuration(3_720_000)).toBe('1h02m');
    expect(formatDuration(2 * 86_400_000 + 3 * 3_600_000)).toBe('2d03h');
    expect(formatDuration(null)).toBe('—');
    expect(formatDuration(-5)).toBe('—');
  });

  it('formats ages and percents', () => {
    expect(formatAgo(1000, 1500)).toBe('just now');
    expect(formatAgo(1000, 4000)).toBe('3s ago');
    expect(formatPercent(3.14159)).toBe('3.1%');
    expect(formatPercent(250.4)).toBe('250%');
    expect(formatPercent(-1)).toBe('0.0%');
    expect(formatPercent(null)).toBe('—');
  });

  it('truncates and pads to an exact width', () => {
    expect(truncate('openclaw', 10)).toBe('openclaw');
    expect(truncate('memory-engine', 6)).toBe('memor…');
    expect(truncate('abc', 1)).toBe('…');
    expect(truncate('abc', 0)).toBe('');
    expect(fitLeft('ab', 4)).toBe('ab  ');
    expect(fitRight('ab', 4)).toBe('  ab');
    expect(fitRight('abcdef', 4)).toBe('abc…');
  });

  it('strips escape sequences and control characters from foreign output', () => {
    expect(sanitizeLine('\u001B[31mred\u001B[0m text')).toBe('red text');
    expect(sanitizeLine('\u001B]0;title\u0007after')).toBe('after');
    expect(sanitizeLine('a\tb\rc\u0007d')).toBe('a  bcd');
    expect(sanitizeLine('\u001B[2J\u001B[Hclear')).toBe('clear');
  });

  it('gives the first line of any error and a short hash', () => {
    expect(errorMessage(new Error('port 7040 held by pid 4242\n    at stack'))).toBe('port 7040 held by pid 4242');
    expect(errorMessage('plain')).toBe('plain');
    expect(errorMessage(new Error(''))).toBe('unknown error');
    expect(shortHash('sha256:3f9a1c2b7d4e5f6071')).toBe('3f9a1c2b7d4e');
    expect(shortHash('abcdef0123456789')).toBe('abcdef012345');
  });
});
