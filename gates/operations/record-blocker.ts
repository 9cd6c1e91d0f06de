// Documenting a gate's blocker, for `evident blocker` and the console's blocker form
// alike: which failed run it documents, what the record says (what failed, pre-filled
// from the run's verdict; root cause; fix; a remediation plan after two failures in a
// row), and the `operator.blocker` action itself, whose idempotency key comes from the
// text so an identical resubmission is one record.
import { createHash } from 'node:crypto';
import type { FleetJournal } from '../../src/evidence/fleet-journal.ts';
import type { BlockerPayload, GateState } from '../gate-states.ts';
import type { StateView } from '../../src/state/state-view.ts';
import { recordOperatorAction, type ActionOutcome } from '../../src/evidence/record-operator-action.ts';

/** The failed run a blocker documents, and what the record must hold for it. */
export interface BlockerTarget {
  gate: string;
  runId: string;
  /** What failed, from the run's verdict (or a plain sentence when it gave no reasons). */
  whatFailed: string;
  failuresInARow: number;
  /** The gate failed twice in a row and this is its latest run: a remediation plan is required. */
  remediationRequired: boolean;
}

export type FoundTarget = { ok: true; target: BlockerTarget } | { ok: false; message: string };

/**
 * The run to document: `runId`, or the gate's latest failed run. The message says why
 * there is none (the gate has no failed run, the run is another gate's or did not fail).
 */
export function blockerTarget(view: StateView, state: GateState | undefined, gateId: string, runId?: string): FoundTarget {
  const failedRuns = Object.entries(view.runs)
    .filter(([, run]) => run.gate === gateId && run.status === 'FAILED')
    .sort(([a], [b]) => (a < b ? -1 : 1));
  const id = runId ?? failedRuns.at(-1)?.[0];
  if (id === undefined) return { ok: false, message: `${gateId} has no failed run to document (it is ${state?.status ?? 'PENDING'})` };
  const run = view.runs[id];
  if (!run || run.gate !== gateId) return { ok: false, message: `run ${id} is not a run of ${gateId}` };
  if (run.status !== 'FAILED') return { ok: false, message: `run ${id} did not fail (it is ${run.status ?? 'without a verdict'}): there is nothing to document` };
  const failuresInARow = state?.failuresInARow ?? 0;
  return {
    ok: true,
    target: {
      gate: gateId,
      runId: id,
      whatFailed: (run.reasons ?? []).join('; ') || `${gateId} run ${id} FAILED`,
      failuresInARow,
      remediationRequired: failuresInARow >= 2 && state?.run?.run_id === id,
    },
  };
}

/** The text an operator gives; blank means not given. */
export interface BlockerText {
  what?: string | undefined;
  rootCause?: string | undefined;
  fix?: string | undefined;
  remediation?: string | undefined;
}

export type { BlockerPayload };

export type BlockerField = 'root-cause' | 'fix' | 'remediation';

/** Why each required field is asked for. */
export const BLOCKER_FIELD_PURPOSE: Record<BlockerField, string> = {
  'root-cause': 'why it failed',
  fix: 'what was changed so it does not fail again',
  remediation: 'the plan before a third attempt',
};

/** The record's payload, or the first required field left blank (root cause, fix, then remediation). */
export function blockerPayload(target: BlockerTarget, text: BlockerText): { ok: true; payload: BlockerPayload } | { ok: false; missing: BlockerField } {
  const rootCause = text.rootCause?.trim() ?? '';
  if (rootCause === '') return { ok: false, missing: 'root-cause' };
  const fix = text.fix?.trim() ?? '';
  if (fix === '') return { ok: false, missing: 'fix' };
  const remediation = text.remediation?.trim() ?? '';
  const payload: BlockerPayload = {
    gate: target.gate,
    run_id: target.runId,
    what_failed: text.what?.trim() || target.whatFailed,
    root_cause: rootCause,
    fix,
    ...(remediation === '' ? {} : { remediation }),
  };
  if (target.remediationRequired && payload.remediation === undefined) return { ok: false, missing: 'remediation' };
  return { ok: true, payload };
}

/** Records `operator.blocker` (once per identical text unless a key is given); the caller updates the state view. */
export function recordBlocker(journal: FleetJournal, payload: BlockerPayload, idempotencyKey?: string): Promise<ActionOutcome> {
  const key = idempotencyKey ?? `blocker:${createHash('sha256').update(JSON.stringify(payload)).digest('hex').slice(0, 32)}`;
  return recordOperatorAction(journal, { name: 'blocker', payload: { ...payload }, idempotencyKey: key });
}
