// A pipeline after loading: validated, checked as a whole, hashed.
import type { GateSpec, PipelineSpec } from './pipeline-schema.ts';

/** The default pipeline, relative to the current folder as every default path is. */
export const DEFAULT_PIPELINE_PATH = 'contracts/pipeline.phase3.json';

export interface Pipeline {
  /** Absolute path of the pipeline file. */
  path: string;
  name: string;
  version: string;
  /** SHA-256 (hex) of the canonical JSON of the validated pipeline. */
  hash: string;
  spec: PipelineSpec;
  /** The gates in the order they must pass. */
  gates: GateSpec[];
}

/**
 * The gate an operator names: its id (`gate1`, `prerequisites`), its number (`1` for
 * `gate1`), or `preflight` / `release` for the pipeline's gate of that kind.
 */
export function findGate(pipeline: Pipeline, name: string): GateSpec | undefined {
  const id = /^\d+$/.test(name) ? `gate${Number(name)}` : name;
  return pipeline.gates.find((gate) => gate.id === id) ?? pipeline.gates.find((gate) => (name === 'preflight' || name === 'release') && gate.kind === name);
}

/** The gate before `gate` in the pipeline, or null for the first. */
export function previousGate(pipeline: Pipeline, gate: GateSpec): GateSpec | null {
  const index = pipeline.gates.findIndex((g) => g.id === gate.id);
  return index > 0 ? (pipeline.gates[index - 1] ?? null) : null;
}
