// Gate 1 as the engine sees it: its plan (the pipeline's cycles, duration and interval,
// shortened by the operator for a trial), its runner and its judge.
import type { GateKind, GateOverrides, GatePlan } from '../gate-kind.ts';
import type { GateSpec } from '../../src/pipeline/pipeline-schema.ts';
import { startStopCyclesJudge, type StartStopCriteria, type StartStopParameters } from './judge.ts';
import { runStartStopCycles } from './run.ts';

export function planStartStop(gate: GateSpec, overrides: GateOverrides): GatePlan {
  if (gate.kind !== 'start-stop-cycles') return { ok: false, problem: `${gate.id} is not a start/stop gate` };
  if (overrides.warmup_s !== undefined || overrides.minute_s !== undefined) return { ok: false, problem: '--warmup and --minute apply to a soak gate, not to start/stop cycles' };
  const declared = gate.parameters;
  const parameters: StartStopParameters = {
    cycles: overrides.cycles ?? declared.cycles,
    duration_s: overrides.duration_s ?? declared.duration_s,
    interval_s: overrides.interval_s ?? declared.interval_s,
  };
  if (parameters.interval_s > parameters.duration_s) {
    return { ok: false, problem: `the interval (${parameters.interval_s} s) is longer than the duration (${parameters.duration_s} s): no probe round would run` };
  }
  // Fewer cycles, a shorter duration or fewer probe rounds than declared: a trial.
  const trial = parameters.cycles < declared.cycles || parameters.duration_s < declared.duration_s || parameters.interval_s > declared.interval_s;
  return { ok: true, parameters: { ...parameters }, criteria: { ...gate.criteria }, trial };
}

export const startStopCyclesKind: GateKind = {
  kind: 'start-stop-cycles',
  judge: startStopCyclesJudge,
  plan: planStartStop,
  run: (ctx) =>
    runStartStopCycles({
      run: ctx.run,
      supervisor: ctx.supervisor,
      services: ctx.context.contract.services,
      parameters: ctx.parameters as unknown as StartStopParameters,
      criteria: ctx.criteria as unknown as StartStopCriteria,
      signal: ctx.signal,
      progress: ctx.progress,
    }),
};
