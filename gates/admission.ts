// Whether a gate may run now, and if not, why — the sequencing rules, all in one place.
// Pure: gate states in, a decision out. The runner asks before it touches the fleet; the
// console asks before it offers `g`.
//
//   - gates run strictly in order: a gate runs only when the gate before it PASSED under
//     the current contract and pipeline (gateStates already ignores runs under another),
//     and a pass is a verified one: an UNVERIFIED run unlocks nothing;
//   - a gate whose latest run does not verify runs again only once that run is
//     quarantined (its evidence is broken or forged: someone must look at it first);
//   - a trial pass (shortened parameters) unlocks only a trial run of the next gate;
//   - after a failure the gate is BLOCKED until a blocker is documented;
//   - a gate that failed twice in a row needs a remediation note before a third attempt;
//   - a release is never a trial, and needs a full pass of every gate before it;
//   - a gate already running is not started twice.
import type { GateState } from './gate-states.ts';

/** Gate kinds this version of evident has a runner for. */
export const RUNNABLE_KINDS: ReadonlySet<string> = new Set(['preflight', 'start-stop-cycles', 'soak', 'release']); // those in gate-kinds.ts

export type Admission =
  | { ok: true }
  /** blocked: exit 3 (an earlier gate, a blocker, a note); unsupported: exit 2. */
  | { ok: false; kind: 'blocked' | 'unsupported'; reason: string };

export function admission(states: readonly GateState[], gateId: string, trial: boolean): Admission {
  const index = states.findIndex((s) => s.gate.id === gateId);
  const state = states[index];
  if (state === undefined) return { ok: false, kind: 'unsupported', reason: `the pipeline has no gate "${gateId}"` };
  const { gate } = state;
  if (!RUNNABLE_KINDS.has(gate.kind)) {
    return { ok: false, kind: 'unsupported', reason: `${gate.id} (${gate.kind}) has no runner in this version of evident` };
  }
  if (state.status === 'RUNNING') return blocked(`${gate.id} is already running (run ${state.run?.run_id})`);

  if (gate.kind === 'release') {
    if (trial) return blocked('a release is never a trial: it needs a full pass of every gate before it');
    for (const earlier of states.slice(0, index)) {
      if (earlier.status !== 'PASSED') return blocked(`${earlier.gate.id} has not passed under the current contract and pipeline (it is ${describe(earlier)})`);
      if (earlier.trial) return blocked(`${earlier.gate.id} passed only as a trial (run ${earlier.run?.run_id}): a release needs a full run`);
    }
  } else if (index > 0) {
    const before = states[index - 1] as GateState;
    if (before.status !== 'PASSED') {
      return blocked(`${gate.id} runs only after ${before.gate.id} passed under the current contract and pipeline; ${before.gate.id} is ${describe(before)}`);
    }
    if (before.trial && !trial) {
      return blocked(`${before.gate.id} passed only as a trial (run ${before.run?.run_id}): it unlocks only a trial run of ${gate.id}; run ${before.gate.id} in full first`);
    }
  }

  if (state.status === 'UNVERIFIED') {
    return blocked(
      `${gate.id}'s latest run ${state.run?.run_id} does not verify (${state.unverified}): quarantine it first (evident verify --quarantine <its folder>, or Q in the console's gates pane)`,
    );
  }
  if (state.status === 'BLOCKED') {
    return blocked(`${gate.id} failed in run ${state.run?.run_id} and no blocker is documented: document it first (evident blocker ${gate.id} …)`);
  }
  if (state.failuresInARow >= 2 && !state.blocker?.remediation) {
    return blocked(
      `${gate.id} has failed ${state.failuresInARow} times in a row: a third attempt needs a remediation note (evident blocker ${gate.id} --run ${state.run?.run_id} --remediation …)`,
    );
  }
  return { ok: true };
}

function blocked(reason: string): Admission {
  return { ok: false, kind: 'blocked', reason };
}

function describe(state: GateState): string {
  if (state.status === 'PENDING') return 'PENDING (never run under this contract and pipeline)';
  if (state.status === 'UNVERIFIED') return `UNVERIFIED (run ${state.run?.run_id}: ${state.unverified})`;
  if (state.status === 'PASSED' && state.trial) return 'PASSED as a trial only';
  return `${state.status}${state.run ? ` (run ${state.run.run_id})` : ''}`;
}
