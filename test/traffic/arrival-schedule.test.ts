// The open-model schedule's arithmetic: due counts at and around boundaries, and no drift
// at 48 hours of requests (every time is computed from k, never accumulated).
import { describe, expect, it } from 'vitest';
import { arrivalSchedule, dueCount, scheduledAt, totalCount } from '../../src/traffic/arrival-schedule.ts';

const HOURS_48_MS = 48 * 3600 * 1000;

describe('arrival schedule', () => {
  it('sends request 0 at the start and one more every 1/rate seconds', () => {
    const s = arrivalSchedule(50);
    expect(dueCount(s, -1)).toBe(0);
    expect(dueCount(s, 0)).toBe(1);
    expect(dueCount(s, 19.999)).toBe(1);
    expect(dueCount(s, 20)).toBe(2);
    expect(dueCount(s, 1000)).toBe(51);
    expect(scheduledAt(s, 0)).toBe(0);
    expect(scheduledAt(s, 7)).toBe(140);
  });

  it('handles rates whose interval is not a finite binary fraction (3 req/s, 0.3 req/s) exactly at the boundaries', () => {
    const three = arrivalSchedule(3);
    expect(scheduledAt(three, 3)).toBe(1000);
    expect(dueCount(three, 999.999)).toBe(3);
    expect(dueCount(three, 1000)).toBe(4);
    const slow = arrivalSchedule(0.3);
    expect(scheduledAt(slow, 3)).toBe(10_000);
    expect(dueCount(slow, 10_000)).toBe(4);
    expect(dueCount(slow, 9_999.999)).toBe(3);
  });

  it('agrees with itself everywhere: request k is due at scheduledAt(k) and not a hair before, for k across 48 hours', () => {
    for (const rate of [0.25, 0.3, 0.5, 1, 3, 7, 50, 1000, 1234.5]) {
      const s = arrivalSchedule(rate);
      const last = Math.floor((HOURS_48_MS * rate) / 1000);
      for (let i = 0; i <= 2000; i++) {
        const k = Math.floor((last * i) / 2000);
        const at = scheduledAt(s, k);
        expect(dueCount(s, at)).toBe(k + 1);
        if (k > 0) expect(dueCount(s, at - 1e-6 * Math.max(1, at / 1e6))).toBe(k);
      }
    }
  });

  it('does not drift at 48 hours, where adding up intervals does', () => {
    const s = arrivalSchedule(3);
    const k = 3 * 48 * 3600; // the last request of 48 h at 3 req/s
    expect(scheduledAt(s, k)).toBe(HOURS_48_MS);
    expect(dueCount(s, HOURS_48_MS)).toBe(k + 1);
    const thousand = arrivalSchedule(1000);
    expect(scheduledAt(thousand, 172_800_000)).toBe(HOURS_48_MS);
    expect(dueCount(thousand, HOURS_48_MS)).toBe(172_800_001);
    // What the schedule avoids: the same 48 h reached by accumulating 1000/3 ms steps.
    let accumulated = 0;
    for (let i = 0; i < k; i++) accumulated += 1000 / 3;
    expect(accumulated).not.toBe(HOURS_48_MS);
  });

  it('ends a finite schedule before its duration (half-open), and counts it', () => {
    const s = arrivalSchedule(50, 2000);
    expect(totalCount(s)).toBe(100);
    expect(dueCount(s, 1980)).toBe(100);
    expect(dueCount(s, 2000)).toBe(100);
    expect(dueCount(s, 1e9)).toBe(100);
    expect(totalCount(arrivalSchedule(3, 1001))).toBe(4);
    expect(totalCount(arrivalSchedule(50))).toBe(Number.POSITIVE_INFINITY);
  });

  it('refuses a rate that is not a positive finite number', () => {
    expect(() => arrivalSchedule(0)).toThrow(/rate must be/);
    expect(() => arrivalSchedule(-1)).toThrow(/rate must be/);
    expect(() => arrivalSchedule(Number.NaN)).toThrow(/rate must be/);
    expect(() => arrivalSchedule(Number.POSITIVE_INFINITY)).toThrow(/rate must be/);
    expect(() => arrivalSchedule(1, 0)).toThrow(/duration must be/);
  });
});
