// Every gate's state with the runs that decide them verified first: the latest ended run
// of each gate is checked (sealed first if it ended unsealed and no live runner owns it,
// then verified as `evident verify` would, against the installation's trusted keys), so a
// hand-written journal, a re-chained verdict or a run cut off before its signature never
// stands for a pass. What the CLI's gate commands and the console's gate desk both read.
import type { RunVerification } from '../src/evidence/verified-runs.ts';
import type { GateSpec } from '../src/pipeline/pipeline-schema.ts';
import type { StateView } from '../src/state/state-view.ts';
import { blockersOf, gateRunsOf } from './gate-history.ts';
import { gateStates, runsToVerify, type CurrentDeclarations, type GateState } from './gate-states.ts';

/** How a run's folder is verified (src/evidence/verified-runs.ts does it, with its cache). */
export interface RunVerifier {
  check(dir: string, options: { maySeal: boolean }): Promise<RunVerification>;
}

export async function verifiedGateStates(
  gates: readonly GateSpec[],
  declarations: CurrentDeclarations,
  view: StateView,
  liveRunIds: ReadonlySet<string>,
  verifier: RunVerifier,
): Promise<GateState[]> {
  const runs = gateRunsOf(view);
  const verified = new Map<string, RunVerification>();
  for (const run of runsToVerify(gates, declarations, runs)) {
    const dir = view.runs[run.run_id]?.dir;
    if (dir !== undefined) verified.set(run.run_id, await verifier.check(dir, { maySeal: !liveRunIds.has(run.run_id) }));
  }
  const withVerification = runs.map((run) => {
    const verification = verified.get(run.run_id);
    return verification === undefined ? run : { ...run, verification };
  });
  return gateStates(gates, declarations, withVerification, blockersOf(view), liveRunIds);
}
