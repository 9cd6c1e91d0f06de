// The parameters an operator may set on `evident gate`: --cycles, --duration, --interval
// (Gate 1 and Gate 2), --warmup and --minute (Gate 2). Fewer cycles, a shorter duration, a
// longer interval, less warm-up or shorter minutes than the pipeline's make a trial.
import type { GateOverrides } from '../gates/gate-kind.ts';
import { UsageError } from '../src/errors/exit-codes.ts';
import { parseDuration } from '../src/time/parse-duration.ts';

export interface OverrideFlags {
  cycles?: string;
  duration?: string;
  interval?: string;
  warmup?: string;
  minute?: string;
}

export function parseGateOverrides(values: OverrideFlags): GateOverrides {
  const overrides: GateOverrides = {};
  if (values.cycles !== undefined) {
    const cycles = Number(values.cycles);
    if (!/^\d+$/.test(values.cycles) || cycles < 1 || cycles > 10_000) throw new UsageError(`evident gate: --cycles: expected a whole number 1–10000, got "${values.cycles}"`);
    overrides.cycles = cycles;
  }
  for (const [flag, key] of [['duration', 'duration_s'], ['interval', 'interval_s'], ['warmup', 'warmup_s'], ['minute', 'minute_s']] as const) {
    const text = values[flag];
    if (text === undefined) continue;
    // No warm-up at all is a choice an operator may make; every other duration is above zero.
    if (flag === 'warmup' && /^0+(?:\.0+)?(ms|s|m|h|d)?$/.test(text.trim())) {
      overrides.warmup_s = 0;
      continue;
    }
    const parsed = parseDuration(text);
    if (!parsed.ok) throw new UsageError(`evident gate: --${flag}: ${parsed.message}`);
    overrides[key] = parsed.seconds;
  }
  return overrides;
}
