// A soak run's parameters and criteria as its records hold them (`run.start`, the
// summary's criteria), every missing or malformed one at its default: what the judge, and
// a follower of a running soak, build the tally from. Light: no histogram code.
import { DEFAULT_SOAK_CRITERIA, type SoakCriteria, type SustainedRule } from './soak-tally.ts';

export interface SoakParameters {
  duration_s: number;
  warmup_s: number;
  minute_s: number;
  sample_interval_s: number;
}

/** The run's parameters as its start record holds them; a minute is 60 s and samples are 5 s apart unless it says otherwise. */
export function readParameters(value: unknown): SoakParameters {
  const p = (value ?? {}) as Partial<SoakParameters>;
  const minute = numberOr(p.minute_s, 60);
  const interval = numberOr(p.sample_interval_s, 5);
  return { duration_s: numberOr(p.duration_s, 0), warmup_s: numberOr(p.warmup_s, 0), minute_s: minute > 0 ? minute : 60, sample_interval_s: interval > 0 ? interval : 5 };
}

/** The criteria as recorded, every missing one at its default. */
export function readCriteria(c: Record<string, unknown>): SoakCriteria {
  const d = DEFAULT_SOAK_CRITERIA;
  const sustained = Array.isArray(c.sustained)
    ? (c.sustained as Partial<SustainedRule>[]).filter((r): r is SustainedRule => (r.metric === 'p95_ms' || r.metric === 'p99_ms' || r.metric === 'error_rate') && typeof r.above === 'number' && typeof r.minutes === 'number')
    : [];
  return {
    max_error_rate: numberOr(c.max_error_rate, d.max_error_rate),
    max_memory_growth: numberOr(c.max_memory_growth, d.max_memory_growth),
    max_restarts: numberOr(c.max_restarts, d.max_restarts),
    p95_stability_factor: numberOr(c.p95_stability_factor, d.p95_stability_factor),
    sustained,
  };
}

function numberOr(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}
