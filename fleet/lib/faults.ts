// Fault injection for soak tests, reachable only when EVIDENT_FAULTS=1 (http-service
// answers 404 otherwise). Faults are real: leaked memory is touched so RSS grows, stalls
// hold the response, a crash exits the process with code 70 without cleaning up.
import { badRequest } from './http-error.ts';
import { describe, type JsonObject } from './request-body.ts';

export const CRASH_EXIT_CODE = 70;

// A runaway leak must not take the host down with it; a soak sees growth long before this.
const MAX_LEAK_KB = 1024 * 1024;
const LEAK_TICK_MS = 100;

export interface FaultSnapshot {
  leak_kb_per_s: number;
  error_rate: number;
  stall_ms: number;
  leaked_kb: number;
  leak_capped: boolean;
}

export interface Faults {
  /** Applies the fields present in `body`; `{"reset": true}` clears everything first. Returns true when a crash was asked for. */
  apply(body: JsonObject): boolean;
  snapshot(): FaultSnapshot;
  /** True for the fraction `error_rate` of calls. */
  shouldFail(): boolean;
  stallMs(): number;
  stop(): void;
}

export function createFaults(): Faults {
  let leakKbPerS = 0;
  let errorRate = 0;
  let stallMs = 0;
  let retained: Buffer[] = [];
  let leakedKb = 0;
  let timer: NodeJS.Timeout | null = null;

  const tick = (): void => {
    const kb = Math.min((leakKbPerS * LEAK_TICK_MS) / 1000, MAX_LEAK_KB - leakedKb);
    if (kb <= 0) return;
    // fill() touches every page; a zeroed allocation may never become resident.
    retained.push(Buffer.allocUnsafe(Math.ceil(kb * 1024)).fill(0x5a));
    leakedKb += kb;
  };

  const setLeak = (rate: number): void => {
    leakKbPerS = rate;
    if (rate > 0 && timer === null) {
      timer = setInterval(tick, LEAK_TICK_MS);
      timer.unref();
    } else if (rate === 0 && timer !== null) {
      clearInterval(timer);
      timer = null;
    }
  };

  return {
    apply(body) {
      const leak = numberField(body, 'leak_kb_per_s', 0, 1024 * 1024);
      const rate = numberField(body, 'error_rate', 0, 1);
      const stall = numberField(body, 'stall_ms', 0, 600_000);
      const crash = body['crash'];
      const reset = body['reset'];
      if (crash !== undefined && typeof crash !== 'boolean') throw badRequest(`crash: expected true or false, got ${describe(crash)}`);
      if (reset !== undefined && typeof reset !== 'boolean') throw badRequest(`reset: expected true or false, got ${describe(reset)}`);
      if (reset === true) {
        setLeak(0);
        errorRate = 0;
        stallMs = 0;
        retained = [];
        leakedKb = 0;
      }
      if (leak !== undefined) setLeak(leak);
      if (rate !== undefined) errorRate = rate;
      if (stall !== undefined) stallMs = stall;
      return crash === true;
    },
    snapshot() {
      return {
        leak_kb_per_s: leakKbPerS,
        error_rate: errorRate,
        stall_ms: stallMs,
        leaked_kb: Math.round(leakedKb),
        leak_capped: leakedKb >= MAX_LEAK_KB,
      };
    },
    shouldFail() {
      return errorRate > 0 && Math.random() < errorRate;
    },
    stallMs() {
      return stallMs;
    },
    stop() {
      setLeak(0);
    },
  };
}

function numberField(body: JsonObject, field: string, min: number, max: number): number | undefined {
  const value = body[field];
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    throw badRequest(`${field}: expected a number ${min}–${max}, got ${describe(value)}`);
  }
  return value;
}
