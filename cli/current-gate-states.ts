// Every gate's state now: the state view brought up to date from the journals, the runs
// and blockers in it, which run (if any) a live runner is driving — the holder of the
// fleet lock, when it names a run — and the runs that decide each gate verified (sealed
// first if they ended unsealed) against the installation's trusted keys.
import { judges } from '../gates/load-judges.ts';
import type { GateState } from '../gates/gate-states.ts';
import { verifiedGateStates } from '../gates/verified-gate-states.ts';
import { VerifiedRuns } from '../src/evidence/verified-runs.ts';
import type { Pipeline } from '../src/pipeline/pipeline.ts';
import type { Platform } from '../src/platform/platform.ts';
import type { StatePaths } from '../src/paths/state-paths.ts';
import { StateStore } from '../src/state/state-store.ts';
import { currentLockHolder, type LockHolder } from '../src/supervisor/fleet-lock.ts';

export interface CurrentGates {
  states: GateState[];
  store: StateStore;
  /** The live fleet lock holder, if any. */
  holder: LockHolder | null;
}

export async function currentGateStates(pipeline: Pipeline, contractHash: string, paths: StatePaths, artifactsDir: string, platform: Platform): Promise<CurrentGates> {
  const [store, holder] = await Promise.all([StateStore.open(paths, artifactsDir), currentLockHolder(platform, paths.root)]);
  for (const problem of store.problems) console.error(`evident: warning: ${problem}\n  the gate states leave out the records from the first problem on`);
  const live = new Set(holder?.run_id ? [holder.run_id] : []);
  const states = await verifiedGateStates(pipeline.gates, { contractHash, pipelineHash: pipeline.hash }, store.view, live, VerifiedRuns.forState(paths.root, paths.keys, judges));
  return { states, store, holder };
}
