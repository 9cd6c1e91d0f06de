// Gate 2 as the engine sees it: its plan (the pipeline's duration, warm-up, minute and
// sampling, shortened by the operator for a trial), its runner and its judge.
import type { GateKind, GateOverrides, GatePlan } from '../gate-kind.ts';
import type { Contract } from '../../src/contract/contract.ts';
import type { GateSpec } from '../../src/pipeline/pipeline-schema.ts';
import { formatDuration } from '../../src/time/parse-duration.ts';
import { soakJudge } from './judge.ts';
import { runSoak, type SoakRunParameters } from './run.ts';
import { SESSION_ENDPOINT } from './session-cycle.ts';
import { expectedMinutes, type SoakCriteria } from './soak-tally.ts';

export function planSoak(gate: GateSpec, overrides: GateOverrides): GatePlan {
  if (gate.kind !== 'soak') return { ok: false, problem: `${gate.id} is not a soak gate` };
  if (overrides.cycles !== undefined) return { ok: false, problem: '--cycles applies to a start/stop gate, not to a soak' };
  const declared = gate.parameters;
  const minute = overrides.minute_s ?? declared.minute_s;
  const duration = overrides.duration_s ?? declared.duration_s;
  const minutes = expectedMinutes(duration, minute);
  if (minutes < 1 || Math.abs(minutes * minute - duration) > 1e-6) {
    return { ok: false, problem: `a soak runs whole minutes of ${formatDuration(minute)}: ${formatDuration(duration)} is not a whole number of them (try ${formatDuration(Math.max(1, Math.round(duration / minute)) * minute)})` };
  }
  const warmup = overrides.warmup_s ?? scaledWarmup(declared.warmup_s, declared.duration_s, duration, minute);
  if (warmup >= duration) return { ok: false, problem: `the warm-up (${formatDuration(warmup)}) leaves no minute of the ${formatDuration(duration)} soak to judge` };
  const interval = overrides.interval_s ?? declared.sample_interval_s;
  if (interval > minute) return { ok: false, problem: `the sample interval (${formatDuration(interval)}) is longer than a minute (${formatDuration(minute)}): a minute would have no sample` };
  if (declared.traffic.session_cycle && declared.traffic.endpoints.some((e) => e.name === SESSION_ENDPOINT)) {
    return { ok: false, problem: `the traffic names an endpoint "${SESSION_ENDPOINT}", which is the session cycle's name in the metrics: rename it` };
  }
  const parameters: SoakRunParameters = { duration_s: duration, warmup_s: warmup, minute_s: minute, sample_interval_s: interval, target: declared.target, traffic: declared.traffic };
  // Shorter than declared, shorter minutes, less warm-up or sparser samples: a trial.
  const trial = duration < declared.duration_s || minute !== declared.minute_s || warmup < declared.warmup_s || interval > declared.sample_interval_s;
  return { ok: true, parameters: { ...parameters }, criteria: { ...gate.criteria }, trial };
}

/**
 * The declared warm-up, unless the run was shortened so far that it would leave less than
 * half the run to judge: then a third of the run's minutes (a 3-minute trial warms up for
 * one, and its memory and p95 are judged over the other two).
 */
function scaledWarmup(declaredWarmup: number, declaredDuration: number, duration: number, minute: number): number {
  if (duration >= declaredDuration || declaredWarmup <= duration / 2) return declaredWarmup;
  return Math.floor(expectedMinutes(duration, minute) / 3) * minute;
}

/** The traffic's target must be a service of the contract: its port is where requests go. */
export function checkSoakContract(parameters: Record<string, unknown>, contract: Contract): string | null {
  const target = parameters.target;
  const names = contract.services.map((s) => s.name);
  return typeof target === 'string' && names.includes(target) ? null : `the traffic target "${String(target)}" is not a service of the contract ${contract.path} (its services: ${names.join(', ')})`;
}

export const soakKind: GateKind = {
  kind: 'soak',
  judge: soakJudge,
  plan: planSoak,
  checkContract: checkSoakContract,
  run: (ctx) =>
    runSoak({
      run: ctx.run,
      supervisor: ctx.supervisor,
      services: ctx.context.contract.services,
      parameters: ctx.parameters as unknown as SoakRunParameters,
      criteria: ctx.criteria as unknown as SoakCriteria,
      signal: ctx.signal,
      progress: ctx.progress,
    }),
};
