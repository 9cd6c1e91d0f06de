// The gate the console's `g` offers: the first gate of the pipeline that has not passed
// (or passed only as a trial, when the console would run it in full), planned with the
// console's trial parameters where the gate takes them, asked of the sequencing rules,
// and described for the confirmation: "Run gate1 — Gate 1: consecutive start/stop
// cycles: 10 cycles × 30m, probes every 5s (≈ 5h)". Pure: states in, an offer out.
import { admission, type Admission } from '../admission.ts';
import type { GateOverrides, GatePlan } from '../gate-kind.ts';
import type { GateState } from '../gate-states.ts';
import { formatDuration } from '../../src/time/parse-duration.ts';
import type { GateSpec } from '../../src/pipeline/pipeline-schema.ts';
import type { Pipeline } from '../../src/pipeline/pipeline.ts';

/** A gate kind's planner (gates/gate-kinds.ts), or a refusal for a kind without a runner. */
export type PlanGate = (gate: GateSpec, overrides: GateOverrides, pipeline: Pipeline) => GatePlan;

export interface NextGate {
  gate: GateSpec;
  plan: GatePlan;
  trial: boolean;
  admission: Admission;
  /** `Run gate1 — Gate 1: consecutive start/stop cycles: 10 cycles × 30m, probes every 5s (≈ 5h)` */
  question: string;
  /** What follows `evident gate` for this run: the gate's id and the trial flags that apply to it. */
  argv: string[];
}

const OVERRIDE_FLAGS = [
  ['cycles', '--cycles'],
  ['duration_s', '--duration'],
  ['interval_s', '--interval'],
] as const;

/** The overrides a gate takes: those naming a parameter it declares (the prerequisites take none). */
export function applicableOverrides(gate: GateSpec, overrides: GateOverrides): GateOverrides {
  const declared = 'parameters' in gate && gate.parameters !== undefined ? (gate.parameters as Record<string, unknown>) : {};
  const applicable: GateOverrides = {};
  for (const [key] of OVERRIDE_FLAGS) {
    const value = overrides[key];
    if (value !== undefined && key in declared) applicable[key] = value;
  }
  return applicable;
}

export function nextGate(pipeline: Pipeline, states: readonly GateState[], overrides: GateOverrides, plan: PlanGate): NextGate | null {
  for (const state of states) {
    const { gate } = state;
    const applicable = applicableOverrides(gate, overrides);
    const planned = plan(gate, applicable, pipeline);
    const trial = planned.ok && planned.trial;
    // A trial pass is enough for a console that runs trials; a full run is owed otherwise.
    if (state.status === 'PASSED' && (!state.trial || trial)) continue;
    const argv = [gate.id];
    for (const [key, flag] of OVERRIDE_FLAGS) {
      const value = applicable[key];
      if (value !== undefined) argv.push(flag, key === 'cycles' ? String(value) : `${value}s`);
    }
    return {
      gate,
      plan: planned,
      trial,
      admission: admission(states, gate.id, trial),
      question: describeGateRun(gate, planned.ok ? planned.parameters : null, trial),
      argv,
    };
  }
  return null;
}

/** What running the gate means, in one sentence without the question mark. */
export function describeGateRun(gate: GateSpec, parameters: Record<string, unknown> | null, trial: boolean): string {
  const head = `Run ${gate.id} — ${gate.title}`;
  const p = parameters ?? {};
  const num = (key: string) => (typeof p[key] === 'number' ? (p[key] as number) : null);
  let detail: string | null = null;
  if (gate.kind === 'start-stop-cycles') {
    const cycles = num('cycles');
    const duration = num('duration_s');
    const interval = num('interval_s');
    if (cycles !== null && duration !== null && interval !== null) {
      detail = `${cycles} cycle${cycles === 1 ? '' : 's'} × ${formatDuration(duration)}, probes every ${formatDuration(interval)} (≈ ${formatDuration(cycles * duration)})`;
    }
  } else if (gate.kind === 'preflight') {
    const node = num('min_node_major');
    const disk = num('min_free_disk_mb');
    const parts = [node === null ? null : `node ≥ ${node}`, disk === null ? null : `free disk ≥ ${disk} MB`].filter((x) => x !== null);
    detail = `${[...parts, 'commands, ports, folders, environment'].join(', ')} (a few seconds)`;
  } else if (gate.kind === 'soak') {
    const duration = num('duration_s');
    const warmup = num('warmup_s');
    const samples = num('sample_interval_s');
    const minute = num('minute_s');
    if (duration !== null && warmup !== null && samples !== null) {
      const minutes = minute !== null && minute !== 60 ? ` in minutes of ${formatDuration(minute)}` : '';
      detail = `traffic for ${formatDuration(duration)}${minutes}, warm-up ${warmup > 0 ? formatDuration(warmup) : 'none'}, samples every ${formatDuration(samples)}`;
    }
  } else if (gate.kind === 'release') {
    detail = 'every earlier gate passed in full under the current contract';
  } else {
    const duration = num('duration_s');
    if (duration !== null) detail = `≈ ${formatDuration(duration)}`;
  }
  return `${head}${detail === null ? '' : `: ${detail}`}${trial ? ', a trial' : ''}`;
}
