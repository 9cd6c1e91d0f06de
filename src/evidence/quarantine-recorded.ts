// Quarantining a run, as the CLI (`evident verify --quarantine`) and the console do it:
// refused while anything is still writing the run (the fleet lock names it, or a live
// writer holds its journal), recorded in the operator journal before the folder moves,
// then moved into `<artifacts>/invalidated/` with the reasons beside it. Never deleted.
import { basename, dirname, join } from 'node:path';
import type { FleetJournal } from './fleet-journal.ts';
import { journalLockPath } from './journal-lock.ts';
import { INVALIDATED_DIR, quarantineRun } from './quarantine.ts';
import { JOURNAL_FILE } from './run-layout.ts';
import type { CheckResult } from './verify-run.ts';
import { readLockFile } from '../fs/lock-file.ts';
import { lockHolderPid } from '../fs/lock-holder.ts';
import type { Platform } from '../platform/platform.ts';
import { currentLockHolder } from '../supervisor/fleet-lock.ts';
import { recordOperatorAction } from './record-operator-action.ts';

export interface QuarantineRequest {
  runDir: string;
  failures: readonly CheckResult[];
  actor: string;
  platform: Platform;
  stateRoot: string;
  /** The operator journal the action is recorded in. */
  journal: FleetJournal;
  /** Said on the console: `console`; from `evident verify`: `verify`. */
  via: string;
}

export type QuarantineOutcome = { ok: true; movedTo: string; reasonFile: string; recordId: string } | { ok: false; reason: string };

export async function quarantineRecorded(request: QuarantineRequest): Promise<QuarantineOutcome> {
  const { runDir } = request;
  const runId = basename(runDir);
  const writer = await stillWritten(runDir, request.platform, request.stateRoot);
  if (writer !== null) return { ok: false, reason: `run ${runId} is still being written (${writer}): it is not quarantined while it runs` };
  const action = await recordOperatorAction(request.journal, {
    name: 'quarantine',
    payload: {
      run_id: runId,
      run_dir: runDir,
      via: request.via,
      failed_checks: request.failures.map((f) => `${f.check}${f.file ? ` ${f.file}` : ''}: ${f.detail}`).slice(0, 20),
    },
  });
  const moved = quarantineRun(runDir, request.failures, request.actor);
  return { ok: true, movedTo: moved.movedTo, reasonFile: moved.reasonFile, recordId: action.record.id };
}

/** Who is still writing the run, or null: the fleet lock's holder driving it, or a live journal writer. */
async function stillWritten(runDir: string, platform: Platform, stateRoot: string): Promise<string | null> {
  if (basename(dirname(runDir)) === INVALIDATED_DIR) return null;
  const holder = await currentLockHolder(platform, stateRoot);
  if (holder?.run_id === basename(runDir)) return `the fleet lock names it: ${holder.purpose}, pid ${holder.pid}`;
  const lock = readLockFile(journalLockPath(join(runDir, JOURNAL_FILE)));
  const pid = lock === null ? null : lockHolderPid(lock);
  if (pid !== null && (await platform.readProcess(pid)) !== null) return `pid ${pid} holds its journal`;
  return null;
}
