// The nonces of service tokens seen lately: a nonce used once is refused again while a
// token carrying it could still pass the timestamp check (MAX_SKEW_MS either way), and
// forgotten after. Entries are kept in arrival order, so the expired ones are at the front.
// Bounded: when full of live nonces, a new one is refused (fail closed), never let through.
import { MAX_SKEW_MS } from './service-token.ts';

export class ReplayCache {
  private readonly seen = new Map<string, number>();
  private readonly windowMs: number;
  private readonly capacity: number;

  constructor(windowMs = 2 * MAX_SKEW_MS, capacity = 200_000) {
    this.windowMs = windowMs;
    this.capacity = capacity;
  }

  /** True the first time `nonce` is used within the window; false for a replay (or when full). */
  firstUse(nonce: string, nowMs: number): boolean {
    for (const [old, expiresAt] of this.seen) {
      if (expiresAt > nowMs) break;
      this.seen.delete(old);
    }
    if (this.seen.has(nonce) || this.seen.size >= this.capacity) return false;
    this.seen.set(nonce, nowMs + this.windowMs);
    return true;
  }

  get size(): number {
    return this.seen.size;
  }
}
