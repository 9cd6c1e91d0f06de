// evident gates: every gate of the pipeline and its state now — PENDING, RUNNING, PASSED,
// FAILED, BLOCKED, INTERRUPTED — with the run its state comes from, whether that run was
// a trial, and what the next step is. A running gate shows its progress from its journal.
import type { GateState } from '../../gates/gate-states.ts';
import { admission } from '../../gates/admission.ts';
import { withGateStates } from '../with-gate-states.ts';
import { EXIT } from '../../src/errors/exit-codes.ts';
import { COMMON_OPTIONS, parseCommandArgs } from '../parse-command-args.ts';
import { formatTable } from '../plain-table.ts';
import { foldProgress, progressAt, type GateProgress, type ProgressState } from '../../gates/gate-progress.ts';
import { JournalFollower } from '../../src/state/journal-follower.ts';
import { formatDuration } from '../../src/time/parse-duration.ts';

export const gatesHelp = `usage: evident gates [--pipeline PATH] [--contract PATH] [--state-dir DIR]
       [--artifacts-dir DIR] [--json]

Every gate of the pipeline, in order, with its state under the current contract and
pipeline: PENDING (never run), RUNNING (its runner is alive), PASSED, FAILED (blocker
documented), BLOCKED (failed, no blocker documented yet), INTERRUPTED (its runner stopped
or was aborted) or UNVERIFIED (its latest run does not verify: not sealed, changed, or
not signed by a key this installation trusts; the reason is shown); the run the state
comes from, whether it was a trial, and the next gate that may run. A run stands for its
verdict only once it verifies, as \`evident verify\` checks it. Runs made under another
contract or pipeline are counted but no longer count.

  --pipeline PATH    the pipeline (default contracts/pipeline.phase3.json, or EVIDENT_PIPELINE)
  --contract PATH    the boot contract (default contracts/boot-contract.json)
  --state-dir DIR    where the state view lives (default ./state, or EVIDENT_STATE_DIR)
  --artifacts-dir D  evidence folder (default ./artifacts, or EVIDENT_ARTIFACTS_DIR)
  --json             print one JSON object

exit: 0 every gate passed in full, 1 not yet, 2 bad input, 3 a gate is BLOCKED or
UNVERIFIED (it needs an operator: a blocker, or a look at its evidence)`;

export async function gatesCommand(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs('gates', argv, { ...COMMON_OPTIONS, pipeline: { type: 'string' }, 'artifacts-dir': { type: 'string' } }, false);
  if (values.help) {
    console.log(gatesHelp);
    return EXIT.ok;
  }
  return withGateStates(
    values,
    async ({ pipeline, contract, paths, states, holder, store }) => {
      const next = states.find((s) => s.status !== 'PASSED' || s.trial) ?? null;
      const running = states.find((s) => s.status === 'RUNNING' && s.run);
      const progress = running?.run ? runProgress(store.view.runs[running.run.run_id]?.dir) : null;
      const nextAdmission = next ? admission(states, next.gate.id, false) : null;
      if (values.json) {
        console.log(
          JSON.stringify({
            pipeline: { name: pipeline.name, version: pipeline.version, hash: pipeline.hash, path: pipeline.path },
            contract: { name: contract.name, version: contract.version, hash: contract.hash },
            controlled_by: holder ? { pid: holder.pid, purpose: holder.purpose, run_id: holder.run_id ?? null } : null,
            progress,
            gates: states.map(gateJson),
            next: next ? { gate: next.gate.id, may_run: nextAdmission?.ok === true, reason: nextAdmission && !nextAdmission.ok ? nextAdmission.reason : null } : null,
          }),
        );
      } else {
        console.log(`${pipeline.name} ${pipeline.version} · contract ${contract.name} ${contract.version} (${contract.hash.slice(0, 12)})`);
        console.log(formatTable(['GATE', 'STATUS', 'RUN', 'STARTED', 'ENDED', 'NOTE'], states.map(gateRow)));
        if (holder) console.log(`the fleet is held by ${holder.purpose} (pid ${holder.pid})`);
        if (progress) console.log(progressLine(progress));
        if (next === null) console.log('every gate has passed in full');
        else if (nextAdmission?.ok) console.log(`next: evident gate ${next.gate.id}${next.status === 'PASSED' && next.trial ? ' (it passed only as a trial: a full run is what counts)' : ''}`);
        else if (nextAdmission) console.log(`next: ${next.gate.id}: ${nextAdmission.reason}`);
      }
      if (states.some((s) => s.status === 'BLOCKED' || s.status === 'UNVERIFIED')) return EXIT.blocked;
      return next === null ? EXIT.ok : EXIT.checkFailed;
    },
  );
}

function gateJson(state: GateState) {
  return {
    gate: state.gate.id,
    title: state.gate.title,
    kind: state.gate.kind,
    status: state.status,
    trial: state.trial,
    run_id: state.run?.run_id ?? null,
    started_at: state.run?.started_at ?? null,
    ended_at: state.run?.ended_at ?? null,
    reasons: state.run?.reasons ?? [],
    unverified: state.unverified,
    manifest_sha256: state.run?.verification?.manifest_sha256 ?? null,
    pipeline_hash: state.run?.pipeline_hash ?? null,
    failures_in_a_row: state.failuresInARow,
    blocker: state.blocker,
    stale_runs: state.staleRuns,
  };
}

function gateRow(state: GateState): string[] {
  const note: string[] = [];
  if (state.trial) note.push('trial');
  if (state.status === 'BLOCKED') note.push(`document the blocker: evident blocker ${state.gate.id}`);
  else if (state.status === 'UNVERIFIED') note.push(`does not verify: ${state.unverified}`);
  else if (state.run?.reasons?.[0] && state.status !== 'PASSED') note.push(state.run.reasons[0]);
  if (state.staleRuns > 0) note.push(`${state.staleRuns} run(s) under another contract or pipeline`);
  return [state.gate.id, state.status, state.run?.run_id ?? '-', shortTime(state.run?.started_at), shortTime(state.run?.ended_at), note.join('; ')];
}

function shortTime(iso: string | undefined): string {
  return iso ? iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z') : '-';
}

/** A running gate's progress, read from its journal now. */
function runProgress(dir: string | undefined): GateProgress | null {
  if (dir === undefined) return null;
  const follower = new JournalFollower<ProgressState | null>(dir, null, foldProgress);
  follower.poll();
  return follower.state === null ? null : progressAt(follower.state, Date.now());
}

/** `gate1 running: cycle 3/10, checks 712/2160, failures 0, zombies 0, 1h02m elapsed, ETA 3h58m` */
export function progressLine(p: GateProgress): string {
  const parts = [`${p.gate} ${p.phase}`];
  if (p.minutes > 0) parts.push(`minute ${p.minute}/${p.minutes}`);
  else {
    if (p.cycles > 0) parts.push(`cycle ${p.cycle}/${p.cycles}`);
    parts.push(p.checksTotal > 0 ? `checks ${p.checksDone}/${p.checksTotal}` : `checks ${p.checksDone}`, `failures ${p.failures}`, `zombies ${p.zombies}`);
  }
  parts.push(`${formatDuration(Math.round(p.elapsedMs / 1000))} elapsed`);
  if (p.etaMs !== null && !p.ended) parts.push(`ETA ${formatDuration(Math.round(p.etaMs / 1000))}`);
  const line = parts.join(', ');
  return p.lastFailure ? `${line}\n  last failure: ${p.lastFailure}` : line;
}
