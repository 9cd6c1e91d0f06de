// Each gate's state, derived from the runs and blockers the journals hold. Pure: the
// same runs, blockers and live runners always give the same states.
//
// A gate's state is its latest run's under the current contract (runs under another
// contract hash no longer count: a contract change re-opens every gate):
//   no run                     PENDING
//   run without an end         RUNNING while its runner lives, else INTERRUPTED
//   PASSED / INTERRUPTED       that
//   FAILED                     BLOCKED until a blocker is documented for that run, then FAILED
import type { GateSpec } from '../src/pipeline/pipeline-schema.ts';

export type GateStatus = 'PENDING' | 'RUNNING' | 'PASSED' | 'FAILED' | 'BLOCKED' | 'INTERRUPTED';

/** One run of a gate, as the state view has it. */
export interface GateRun {
  run_id: string;
  gate: string;
  /** Absent while the run has no verdict (running, or its runner died). */
  status?: 'PASSED' | 'FAILED' | 'INTERRUPTED' | 'RUNNING';
  trial: boolean;
  contract_hash: string;
  started_at: string;
  ended_at?: string;
  /** Why it failed, from its verdict: what a blocker form is pre-filled with. */
  reasons?: string[];
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
  /** Runs made under another contract: history, no longer evidence for this contract. */
  staleRuns: number;
}

/**
 * The state of every gate of a pipeline. `liveRunIds` are the runs whose runner holds
 * the fleet now: a run without an end and without a live runner was interrupted.
 */
export function gateStates(
  gates: readonly GateSpec[],
  contractHash: string,
  runs: readonly GateRun[],
  blockers: readonly Blocker[],
  liveRunIds: ReadonlySet<string>,
): GateState[] {
  return gates.map((gate) => {
    const all = runs.filter((run) => run.gate === gate.id).toSorted(byStart);
    const current = all.filter((run) => run.contract_hash === contractHash);
    const latest = current.at(-1) ?? null;
    const outcomes = current.map((run) => outcomeOf(run, liveRunIds));
    let failuresInARow = 0;
    for (let i = outcomes.length - 1; i >= 0; i--) {
      if (outcomes[i] === 'FAILED') failuresInARow++;
      else if (outcomes[i] !== 'INTERRUPTED') break;
    }
    const lastFailed = current.findLast((run, i) => outcomes[i] === 'FAILED') ?? null;
    const blocker = lastFailed === null ? null : (blockers.filter((b) => b.gate === gate.id && b.run_id === lastFailed.run_id).at(-1) ?? null);
    const outcome = latest === null ? 'PENDING' : (outcomes.at(-1) as GateStatus);
    const status: GateStatus = outcome === 'FAILED' && blocker === null ? 'BLOCKED' : outcome;
    return { gate, status, run: latest, trial: latest?.trial === true, failuresInARow, blocker, staleRuns: all.length - current.length };
  });
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
