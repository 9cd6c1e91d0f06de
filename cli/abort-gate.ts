// evident gate <n> --abort: asks the runner driving that gate to stop, records who asked
// (and why) in the operator journal, and waits for the run to end INTERRUPTED.
import type { GateSpec } from '../src/pipeline/pipeline-schema.ts';
import { FleetJournal } from '../src/evidence/fleet-journal.ts';
import { currentPlatform } from '../src/platform/current-platform.ts';
import { writeAbortRequest } from '../src/state/abort-request.ts';
import { resolveArtifactsDir } from '../src/paths/state-paths.ts';
import { StateStore } from '../src/state/state-store.ts';
import { currentLockHolder } from '../src/supervisor/fleet-lock.ts';
import { currentActor } from './current-actor.ts';
import { EXIT, UsageError } from '../src/errors/exit-codes.ts';
import { loadContractOrExit } from './load-contract-or-exit.ts';
import { recordOperatorAction } from '../src/evidence/record-operator-action.ts';
import { gateOfPurpose } from '../src/supervisor/gate-run-purpose.ts';
import { trustedStatePaths } from './trusted-state-paths.ts';

interface AbortValues {
  contract?: string;
  'state-dir'?: string;
  'artifacts-dir'?: string;
  actor?: string;
  reason?: string;
  'idempotency-key'?: string;
  json?: boolean;
}

const POLL_MS = 250;

export async function abortGate(request: { gate: GateSpec; values: AbortValues }): Promise<number> {
  const { gate, values } = request;
  const paths = trustedStatePaths(values['state-dir']);
  const artifactsDir = resolveArtifactsDir(values['artifacts-dir']);
  const platform = currentPlatform();
  try {
    const holder = await currentLockHolder(platform, paths.root);
    if (!holder?.run_id || gateOfPurpose(holder.purpose) !== gate.id) {
      const now = holder ? `the fleet is held by ${holder.purpose} (pid ${holder.pid})` : 'no evident process holds the fleet';
      throw new UsageError(`evident gate ${gate.id} --abort: ${gate.id} is not running: ${now}`);
    }
    const runId = holder.run_id;
    const contract = await loadContractOrExit(values.contract, paths.root);
    const actor = currentActor(values.actor);
    const journal = new FleetJournal(artifactsDir, paths.keys, { version: contract.version, hash: contract.hash }, actor, () => {});
    const reason = values.reason ?? 'stopped by an operator';
    const action = await recordOperatorAction(journal, { name: 'abort-gate', payload: { gate: gate.id, run_id: runId, reason, runner_pid: holder.pid }, idempotencyKey: values['idempotency-key'] });
    await journal.close();
    if (!action.repeated) writeAbortRequest(paths, { run_id: runId, actor, reason, requested_at: new Date().toISOString(), record_id: action.record.id });
    console.log(`asked ${gate.id} run ${runId} (runner pid ${holder.pid}) to stop; waiting for it to stop the fleet…`);

    // The runner stops every service (each within its stop timeout) and then finishes the run.
    const waitMs = (Math.max(...contract.services.map((s) => s.stop_timeout_s)) * 2 + 30) * 1000;
    const deadline = Date.now() + waitMs;
    while (Date.now() < deadline) {
      const now = await currentLockHolder(platform, paths.root);
      if (now?.run_id !== runId) {
        const store = await StateStore.open(paths, artifactsDir);
        const status = store.view.runs[runId]?.status ?? 'ended without a verdict';
        const message = `${gate.id} run ${runId} stopped: ${status}; evidence in ${store.view.runs[runId]?.dir ?? artifactsDir}`;
        console.log(values.json ? JSON.stringify({ gate: gate.id, run_id: runId, status, aborted_by: actor, reason }) : message);
        return EXIT.ok;
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
    console.error(`evident gate ${gate.id} --abort: the runner (pid ${holder.pid}) has not stopped after ${Math.round(waitMs / 1000)} s; the request stands in ${paths.root}/runs`);
    return EXIT.checkFailed;
  } finally {
    platform.close();
  }
}
