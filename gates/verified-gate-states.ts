// Every gate's state with the runs that decide them verified first: the latest ended run
// of each gate is checked (sealed first if it ended unsealed and no live runner owns it,
// then verified as `evident verify` would, against the installation's trusted keys), so a
// hand-written journal, a re-chained verdict or a run cut off before its signature never
// stands for a pass. What the CLI's gate commands and the console's gate desk both read.
import type { RunVerification } from '../src/evidence/verified-runs.ts';
import type { GateSpec } from '../src/pipeline/pipeline-schema.ts';
import type { StateView } from '../src/state/state-view.ts';
import { blockersOf, gateRunsOf } from './gate-history.ts';
import { gateStates, runsToVerify, type CurrentDeclarations, type GateRun, type GateState } from './gate-states.ts';

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
    if (verification === undefined) return run;
    const mismatch = claimsMismatch(run, verification);
    return { ...run, verification: mismatch === null ? verification : { ...verification, ok: false, status: null, problem: mismatch } };
  });
  return gateStates(gates, declarations, withVerification, blockersOf(view), liveRunIds);
}

/**
 * The state view is only a view: what it says a run is (which gate, which run, trial or
 * not, under which contract and pipeline) must be what the verified evidence in its folder
 * says, or the folder stands for some other run. Null when they agree.
 */
function claimsMismatch(run: GateRun, verification: RunVerification): string | null {
  const evidence = verification.run;
  if (!verification.ok || evidence === undefined) return null;
  const claims: [string, unknown, unknown][] = [
    ['run', run.run_id, evidence.run_id],
    ['gate', run.gate, evidence.gate],
    ['trial', run.trial, evidence.trial],
    ['contract', run.contract_hash, evidence.contract_hash],
    ['pipeline', run.pipeline_hash ?? null, evidence.pipeline_hash],
  ];
  const differing = claims.filter(([, claimed, verified]) => claimed !== verified).map(([what, claimed, verified]) => `${what} ${String(claimed)} in the view, ${String(verified)} in its evidence`);
  return differing.length === 0 ? null : `its folder holds another run's evidence: ${differing.join('; ')}`;
}
