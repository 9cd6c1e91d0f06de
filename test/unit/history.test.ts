// Bounded sparkline histories.
import { describe, expect, it } from 'vitest';
import { HISTORY_LENGTH } from '../../src/telemetry/fleet-snapshot.ts';
import { appendPoint } from '../../src/telemetry/history.ts';

describe('appendPoint', () => {
  it('appends to a short history', () => {
    expect(appendPoint([], 5, 3)).toEqual([5]);
    expect(appendPoint([1, 2], 3, 3)).toEqual([1, 2, 3]);
  });

  it('keeps only the newest `length` points', () => {
    expect(appendPoint([1, 2, 3], 4, 3)).toEqual([2, 3, 4]);
    expect(appendPoint([1, 2, 3, 4, 5, 6], 7, 3)).toEqual([5, 6, 7]);
  });

  it('is bounded by HISTORY_LENGTH by default', () => {
    let history: number[] = [];
    for (let i = 0; i < HISTORY_LENGTH * 3; i++) history = appendPoint(history, i);
    expect(history).toHaveLength(HISTORY_LENGTH);
    expect(history[0]).toBe(HISTORY_LENGTH * 2);
    expect(history.at(-1)).toBe(HISTORY_LENGTH * 3 - 1);
  });

  it('returns a new array and leaves its input unchanged', () => {
    const full = Object.freeze([1, 2, 3]);
    const next = appendPoint(full, 4, 3);
    expect(full).toEqual([1, 2, 3]);
    expect(next).not.toBe(full);
    const short = [1];
    const grown = appendPoint(short, 2, 3);
    expect(short).toEqual([1]);
    expect(grown).toEqual([1, 2]);
  });
});
