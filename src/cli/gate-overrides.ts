// The parameters an operator may set on `evident gate`: --cycles, --duration, --interval.
// Fewer cycles, a shorter duration or a longer interval than the pipeline's make a trial.
import type { GateOverrides } from '../../gates/gate-kind.ts';
import { UsageError } from './exit-codes.ts';
import { parseDuration } from './parse-duration.ts';

export function parseGateOverrides(values: { cycles?: string; duration?: string; interval?: string }): GateOverrides {
  const overrides: GateOverrides = {};
  if (values.cycles !== undefined) {
    const cycles = Number(values.cycles);
    if (!/^\d+$/.test(values.cycles) || cycles < 1 || cycles > 10_000) throw new UsageError(`evident gate: --cycles: expected a whole number 1–10000, got "${values.cycles}"`);
    overrides.cycles = cycles;
  }
  for (const [flag, key] of [['duration', 'duration_s'], ['interval', 'interval_s']] as const) {
    const text = values[flag];
    if (text === undefined) continue;
    const parsed = parseDuration(text);
    if (!parsed.ok) throw new UsageError(`evident gate: --${flag}: ${parsed.message}`);
    overrides[key] = parsed.seconds;
  }
  return overrides;
}
