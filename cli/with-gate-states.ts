// What every gate command reads first: the pipeline and the contract (each from the
// cache when validated before), the state and artifacts folders, and every gate's state
// now; the platform's helpers are released when the work is done.
import type { GateState } from '../gates/gate-states.ts';
import type { Contract } from '../src/contract/contract.ts';
import type { Pipeline } from '../src/pipeline/pipeline.ts';
import { currentPlatform } from '../src/platform/current-platform.ts';
import type { Platform } from '../src/platform/platform.ts';
import { resolveArtifactsDir, type StatePaths } from '../src/paths/state-paths.ts';
import type { StateStore } from '../src/state/state-store.ts';
import type { LockHolder } from '../src/supervisor/fleet-lock.ts';
import { currentGateStates } from './current-gate-states.ts';
import { loadContractOrExit } from './load-contract-or-exit.ts';
import { loadPipelineOrExit } from './load-pipeline-or-exit.ts';
import { trustedStatePaths } from './trusted-state-paths.ts';

export interface GateCommandValues {
  pipeline?: string | undefined;
  contract?: string | undefined;
  'state-dir'?: string | undefined;
  'artifacts-dir'?: string | undefined;
}

export interface GateScene {
  pipeline: Pipeline;
  contract: Contract;
  paths: StatePaths;
  artifactsDir: string;
  platform: Platform;
  states: GateState[];
  store: StateStore;
  holder: LockHolder | null;
}

/** `before` runs once the declarations are loaded and before the journals are read (to refuse bad input early). */
export async function withGateStates<T>(values: GateCommandValues, work: (scene: GateScene) => Promise<T>, before?: (pipeline: Pipeline, artifactsDir: string) => void): Promise<T> {
  const paths = trustedStatePaths(values['state-dir']);
  const pipeline = await loadPipelineOrExit(values.pipeline, paths.root);
  const contract = await loadContractOrExit(values.contract, paths.root);
  const artifactsDir = resolveArtifactsDir(values['artifacts-dir']);
  before?.(pipeline, artifactsDir);
  const platform = currentPlatform();
  try {
    const current = await currentGateStates(pipeline, contract.hash, paths, artifactsDir, platform);
    return await work({ pipeline, contract, paths, artifactsDir, platform, ...current });
  } finally {
    platform.close();
  }
}
