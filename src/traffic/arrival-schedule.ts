// The open-model arrival schedule of one endpoint: request k (k = 0, 1, 2, …) is due at
// `k / rate` seconds after the start, whatever happened to the requests before it. Every
// time is computed from k alone, never by adding intervals up, so request 172,800,000
// (48 hours at 1,000 req/s) is due exactly when it should be, with no accumulated drift.
// Times are milliseconds relative to the start; the caller owns the clock.

export interface ArrivalSchedule {
  /** Requests per second, > 0. */
  readonly ratePerS: number;
  /** Requests at or after this offset (ms) are not part of the schedule; Infinity when open-ended. */
  readonly endMs: number;
}

export function arrivalSchedule(ratePerS: number, durationMs = Number.POSITIVE_INFINITY): ArrivalSchedule {
  if (!(ratePerS > 0) || !Number.isFinite(ratePerS)) throw new RangeError(`rate must be a finite number of requests per second > 0, got ${ratePerS}`);
  if (!(durationMs > 0)) throw new RangeError(`duration must be > 0 ms, got ${durationMs}`);
  return { ratePerS, endMs: durationMs };
}

/** When request k is due, in ms after the start: k × 1000 / rate, one rounding, whatever k. */
export function scheduledAt(schedule: ArrivalSchedule, k: number): number {
  return (k * 1000) / schedule.ratePerS;
}

/**
 * How many requests are due at `elapsedMs` after the start: those with scheduledAt(k) ≤
 * elapsedMs (and before the end of the schedule). Request 0 is due at the start, so the
 * count at 0 ms is 1 and at t ms it is ⌊t × rate / 1000⌋ + 1. The floor of a product of
 * floats can land one off at an exact boundary, so it is corrected against scheduledAt
 * itself: the two functions never disagree.
 */
export function dueCount(schedule: ArrivalSchedule, elapsedMs: number): number {
  if (elapsedMs < 0) return 0;
  const t = Math.min(elapsedMs, schedule.endMs);
  let last = Math.floor((t * schedule.ratePerS) / 1000);
  while (scheduledAt(schedule, last + 1) <= t) last += 1;
  while (last >= 0 && scheduledAt(schedule, last) > t) last -= 1;
  // A request due exactly at the end is outside a half-open schedule [0, end).
  while (last >= 0 && scheduledAt(schedule, last) >= schedule.endMs) last -= 1;
  return last + 1;
}

/** The number of requests in a finite schedule (Infinity when open-ended). */
export function totalCount(schedule: ArrivalSchedule): number {
  if (!Number.isFinite(schedule.endMs)) return Number.POSITIVE_INFINITY;
  return dueCount(schedule, schedule.endMs);
}
