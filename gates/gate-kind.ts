// What each kind of gate plugs into the engine: how it plans a run from the pipeline and
// the operator's overrides (and whether that makes the run a trial), how it drives and
// records the run, and the pure judge that derives its verdict from the records.
import type { Contract } from '../src/contract/contract.ts';
import type { Judge } from '../src/evidence/judge-registry.ts';
import type { RunWriter } from '../src/evidence/run-writer.ts';
import type { GateSpec } from '../src/pipeline/pipeline-schema.ts';
import type { Pipeline } from '../src/pipeline/pipeline.ts';
import type { FleetSupervisor } from '../src/supervisor/fleet-supervisor.ts';
import type { SupervisorContext } from '../src/supervisor/supervisor-context.ts';
import type { GateState } from './gate-states.ts';

/** What an operator may shorten or change on the command line (`--cycles 2 --duration 20s --interval 1s`, `--duration 3m`). */
export interface GateOverrides {
  cycles?: number;
  duration_s?: number;
  /** Gate 1: time between probe rounds; Gate 2: time between samples. */
  interval_s?: number;
  /** Gate 2: the warm-up before baselines are taken. */
  warmup_s?: number;
  /** Gate 2: the length of a metrics minute (tests only). */
  minute_s?: number;
}

export type GatePlan =
  | { ok: true; parameters: Record<string, unknown>; criteria: Record<string, unknown>; trial: boolean }
  | { ok: false; problem: string };

export interface GateRunContext {
  run: RunWriter;
  context: SupervisorContext;
  supervisor: FleetSupervisor;
  pipeline: Pipeline;
  gate: GateSpec;
  parameters: Record<string, unknown>;
  criteria: Record<string, unknown>;
  artifactsDir: string;
  /** Every gate's state when the run began (the release records them). */
  states: readonly GateState[];
  signal: AbortSignal;
  progress: (line: string) => void;
}

export interface GateKind {
  kind: GateSpec['kind'];
  judge: Judge;
  plan(gate: GateSpec, overrides: GateOverrides, pipeline: Pipeline): GatePlan;
  /** What the plan asks of the contract that the contract lacks (the soak's target service), or null. */
  checkContract?(parameters: Record<string, unknown>, contract: Contract): string | null;
  /** Drives the run and records what it observes; resolves with why it stopped early, if it did. */
  run(ctx: GateRunContext): Promise<{ stoppedEarly: string | null }>;
}
