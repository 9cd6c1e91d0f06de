// Each gate's state, derived from the runs and blockers the journals hold and from what
// verifying the latest run's folder found. Pure: the same runs, verifications, blockers
// and live runners always give the same states.
//
// A gate's state is its latest run's under the current contract AND pipeline (runs under
// another contract or pipeline hash no longer count: a change of either re-opens every
// gate). An ended run stands for its verdict only once its folder verifies (sealed,
// intact, signed by a trusted key, verdict recomputed): until then it is UNVERIFIED,
// whatever its journal claims.
//   no run                     PENDING
//   run without an end         RUNNING while its runner lives, else INTERRUPTED
//   ended, does not verify     UNVERIFIED (with the reason)
//   PASSED / INTERRUPTED       that
//   FAILED                     BLOCKED until a blocker is documented for that run, then FAILED
import type { RunVerification } from '../src/evidence/verified-runs.ts';
import type { GateSpec } from '../src/pipeline/pipeline-schema.ts';

export type GateStatus = 'PENDING' | 'RUNNING' | 'PASSED' | 'FAILED' | 'BLOCKED' | 'INTERRUPTED' | 'UNVERIFIED';


/** The contract and pipeline runs must have run under to count. */
export interface CurrentDeclarations {
  contractHash: string;
  pipelineHash: string;
}

/** One run of a gate, as the state view has it. */
export interface GateRun {
  run_id: string;
  gate: string;
  /** Absent while the run has no verdict (running, or its runner died). */
  status?: 'PASSED' | 'FAILED' | 'INTERRUPTED' | 'RUNNING';
  trial: boolean;
  contract_hash: string;
  /** The pipeline it ran under; absent for runs recorded before pipelines were locked (they never count). */
  pipeline_hash?: string;
  started_at: string;
  ended_at?: string;
  /** Why it failed, from its verdict: what a blocker form is pre-filled with. */
  reasons?: string[];
  /** What verifying its folder found; absent when it was not verified (only a gate's latest ended run is). */
  verification?: RunVerification;
}

/** What an `operator.blocker` record says: what failed in which run, why, and what was done about it. */
export interface BlockerPayload {
  gate: string;
  run_id: string;
  what_failed: string;
  root_cause: string;
  fix: string;
  /** Required once a gate has failed twice in a row: the plan before a third attempt. */
  remediation?: string;
}

/** A documented blocker: its record's payload, who documented it and when. */
export interface Blocker extends BlockerPayload {
  record_id: string;
  actor: string;
  at: string;
}

export interface GateState {
  gate: GateSpec;
  status: GateStatus;
  /** The run the status comes from (null when PENDING). */
  run: GateRun | null;
  /** The latest run is a trial (shortened parameters): it unlocks only trial runs of the next gate. */
  trial: boolean;
  /** FAILED runs at the end of the gate's history (interrupted runs neither count nor break the run of failures). */
  failuresInARow: number;
  /** The blocker documented for the latest failed run, if any. */
  blocker: Blocker | null;
  /** Runs made under another contract or pipeline: history, no longer evidence for these. */
  staleRuns: number;
  /** UNVERIFIED: why the latest run does not verify. */
  unverified: string | null;
}

/** The run each gate's state comes from, when it has ended: the runs to verify before `gateStates`. */
export function runsToVerify(gates: readonly GateSpec[], current: CurrentDeclarations, runs: readonly GateRun[]): GateRun[] {
  return gates.flatMap((gate) => {
    const latest = runs.filter((run) => run.gate === gate.id && counts(run, current)).toSorted(byStart).at(-1);
    return latest?.ended_at === undefined ? [] : [latest];
  });
}

function counts(run: GateRun, current: CurrentDeclarations): boolean {
  return run.contract_hash === current.contractHash && run.pipeline_hash === current.pipelineHash;
}

/**
 * The state of every gate of a pipeline. `liveRunIds` are the runs whose runner holds
 * the fleet now: a run without an end and without a live runner was interrupted.
 */
export function gateStates(
  gates: readonly GateSpec[],
  declarations: CurrentDeclarations,
  runs: readonly GateRun[],
  blockers: readonly Blocker[],
  liveRunIds: ReadonlySet<string>,
): GateState[] {
  return gates.map((gate) => {
    const all = runs.filter((run) => run.gate === gate.id).toSorted(byStart);
    const current = all.filter((run) => counts(run, declarations));
    const latest = current.at(-1) ?? null;
    // The latest run stands for its verified verdict; earlier ones count their recorded
    // verdicts only towards the failures in a row.
    const outcomes = current.map((run, i) => (i === current.length - 1 ? verifiedOutcomeOf(run, liveRunIds) : outcomeOf(run, liveRunIds)));
    let failuresInARow = 0;
    for (let i = outcomes.length - 1; i >= 0; i--) {
      if (outcomes[i] === 'FAILED') failuresInARow++;
      else if (outcomes[i] !== 'INTERRUPTED') break;
    }
    const lastFailed = current.findLast((run, i) => outcomes[i] === 'FAILED') ?? null;
    const blocker = lastFailed === null ? null : (blockers.filter((b) => b.gate === gate.id && b.run_id === lastFailed.run_id).at(-1) ?? null);
    const outcome = latest === null ? 'PENDING' : (outcomes.at(-1) as GateStatus);
    const status: GateStatus = outcome === 'FAILED' && blocker === null ? 'BLOCKED' : outcome;
    const unverified = status === 'UNVERIFIED' ? (latest?.verification?.problem ?? 'not verified') : null;
    return { gate, status, run: latest, trial: latest?.trial === true, failuresInARow, blocker, staleRuns: all.length - current.length, unverified };
  });
}

/** An ended run's outcome is what its folder verifies to, never what its journal claims. */
function verifiedOutcomeOf(run: GateRun, liveRunIds: ReadonlySet<string>): GateStatus {
  if (run.ended_at === undefined) return outcomeOf(run, liveRunIds);
  const verification = run.verification;
  if (verification === undefined || !verification.ok || verification.status === null) return 'UNVERIFIED';
  return verification.status;
}

function outcomeOf(run: GateRun, liveRunIds: ReadonlySet<string>): GateStatus {
  if (run.ended_at === undefined || run.status === undefined || run.status === 'RUNNING') {
    // An ended run with no verdict: its writer stopped while judging. Never a pass.
    if (run.ended_at !== undefined) return 'INTERRUPTED';
    return liveRunIds.has(run.run_id) ? 'RUNNING' : 'INTERRUPTED';
  }
  return run.status;
}

function byStart(a: GateRun, b: GateRun): number {
  return a.started_at < b.started_at ? -1 : a.started_at > b.started_at ? 1 : a.run_id < b.run_id ? -1 : 1;
}
