// `evident contract` and `evident pipeline`: hold a declaration to the version it was
// locked at — check it against the lock (taking the lock on first use), or record an
// operator's approval of a new version, with its reason and what changed. The locks live
// in the operator journal; the state view follows them.
import { dirname } from 'node:path';
import { approveDeclaration, type ApprovalOutcome } from '../src/evidence/approve-declaration.ts';
import { short, type Declaration, type DeclarationLock, type LockSubject } from '../src/evidence/declaration-lock.ts';
import { ensureLocked, type LockOutcome } from '../src/evidence/ensure-locked.ts';
import { operatorJournalPath } from '../src/evidence/operator-journal.ts';
import { resolveArtifactsDir } from '../src/paths/state-paths.ts';
import { currentActor } from './current-actor.ts';
import { EXIT, UsageError } from '../src/errors/exit-codes.ts';
import { loadContractOrExit } from './load-contract-or-exit.ts';
import { loadPipelineOrExit } from './load-pipeline-or-exit.ts';
import { parseCommandArgs } from './parse-command-args.ts';
import { openStateViewOrWarn, saveStateViewOrWarn } from './state-view-updates.ts';
import { trustedStatePaths } from './trusted-state-paths.ts';

const ACTIONS = ['check', 'approve'] as const;

export async function lockCommand(subject: LockSubject, help: string, argv: string[]): Promise<number> {
  const noun = subject.noun;
  const { values, positionals } = parseCommandArgs(
    noun,
    argv,
    {
      contract: { type: 'string' },
      pipeline: { type: 'string' },
      'state-dir': { type: 'string' },
      'artifacts-dir': { type: 'string' },
      actor: { type: 'string' },
      reason: { type: 'string' },
      'idempotency-key': { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    true,
  );
  if (values.help) {
    console.log(help);
    return EXIT.ok;
  }
  const action = positionals[0];
  if (positionals.length !== 1 || (action !== 'check' && action !== 'approve')) {
    throw new UsageError(`evident ${noun}: expected one of ${ACTIONS.join(', ')}, got ${positionals.length === 0 ? 'nothing' : positionals.map((p) => JSON.stringify(p)).join(' ')}\nrun \`evident ${noun} --help\` for usage`);
  }
  if (noun === 'contract' && values.pipeline !== undefined) throw new UsageError('evident contract: --pipeline belongs to `evident pipeline`');
  const reason = values.reason?.trim();
  if (action === 'check' && (values.reason !== undefined || values['idempotency-key'] !== undefined)) {
    throw new UsageError(`evident ${noun} check: --reason and --idempotency-key belong to \`evident ${noun} approve\``);
  }
  if (action === 'approve' && (reason === undefined || reason === '')) {
    throw new UsageError(`evident ${noun} approve: --reason TEXT is required: say why this version is accepted (it is recorded with the approval)`);
  }
  const key = values['idempotency-key'];
  if (key !== undefined && key.trim() === '') throw new UsageError(`evident ${noun} approve: --idempotency-key must not be empty`);

  const paths = trustedStatePaths(values['state-dir']);
  const contract = await loadContractOrExit(values.contract, paths.root);
  const loaded = noun === 'contract' ? contract : await loadPipelineOrExit(values.pipeline, paths.root);
  const declaration: Declaration & { path: string } = { name: loaded.name, version: loaded.version, hash: loaded.hash, spec: loaded.spec, path: loaded.path };
  const recordedUnder = { version: contract.version, hash: contract.hash };
  const artifactsDir = resolveArtifactsDir(values['artifacts-dir']);
  const actor = currentActor(values.actor);
  const json = values.json === true;
  const journalPath = operatorJournalPath(artifactsDir);
  const state = await openStateViewOrWarn(paths, artifactsDir);

  if (action === 'check') {
    const outcome = await withJournal(subject, journalPath, () => ensureLocked(subject, { artifactsDir, keysDir: paths.keys, declaration, recordedUnder, actor }));
    await saveStateViewOrWarn(state, dirname(journalPath), outcome.ok && outcome.kind === 'locked-now' ? outcome.record : null);
    printCheck(subject, outcome, declaration, journalPath, json);
    return outcome.ok ? EXIT.ok : EXIT.blocked;
  }
  const outcome = await withJournal(subject, journalPath, () =>
    approveDeclaration(subject, { artifactsDir, keysDir: paths.keys, declaration, recordedUnder, actor, reason: reason as string, ...(key === undefined ? {} : { idempotencyKey: key }) }),
  );
  await saveStateViewOrWarn(state, dirname(journalPath), outcome.kind === 'approved' && !outcome.repeated ? outcome.record : null);
  if (outcome.kind === 'key-used') throw new UsageError(`evident ${noun} approve: ${outcome.message}`);
  printApproval(subject, outcome, declaration, journalPath, json);
  return outcome.ok ? EXIT.ok : EXIT.blocked;
}

/** A journal that cannot be opened or read (a broken chain, a folder not writable) is bad input, said in one sentence. */
async function withJournal<T>(subject: LockSubject, journalPath: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw new UsageError(`evident ${subject.noun}: cannot use the operator journal ${journalPath}: ${(error as Error).message}`);
  }
}

function printCheck(subject: LockSubject, outcome: LockOutcome, declaration: Declaration & { path: string }, journalPath: string, json: boolean): void {
  if (json) {
    const refusal = outcome.ok ? null : outcome;
    console.log(
      JSON.stringify({
        ok: outcome.ok,
        state: outcome.kind,
        [subject.noun]: declarationJson(declaration),
        lock: lockJson(outcome.lock),
        changes: refusal?.judgement.changes ?? [],
        message: refusal?.message ?? null,
        journal: journalPath,
      }),
    );
    return;
  }
  const named = `${subject.noun} ${JSON.stringify(declaration.name)} version ${declaration.version} (hash ${short(declaration.hash)})`;
  if (outcome.kind === 'locked-now') {
    console.log(`locked now: ${named} is the lock, recorded in ${journalPath}; a later change to it needs a new version and an approval`);
  } else if (outcome.kind === 'same') {
    console.log(`ok: ${named} matches the lock (${lockedBy(outcome.lock)})`);
  } else if (outcome.kind === 'drift') {
    console.log(`REFUSED: ${subject.noun} ${JSON.stringify(declaration.name)} changed under version ${declaration.version} (locked hash ${short(outcome.lock.hash)}, now ${short(declaration.hash)}):`);
    for (const change of outcome.judgement.changes) console.log(`  ${change}`);
    console.log(`bump the version (then \`${subject.approveCommand}\`), or undo the change`);
  } else {
    console.log(`REFUSED: ${named} is not approved; the lock is version ${outcome.lock.version} (hash ${short(outcome.lock.hash)}, ${lockedBy(outcome.lock)}):`);
    for (const change of outcome.judgement.changes) console.log(`  ${change}`);
    console.log(`approve it: ${subject.approveCommand} --${subject.noun} ${declaration.path}`);
  }
}

function printApproval(subject: LockSubject, outcome: Exclude<ApprovalOutcome, { kind: 'key-used' }>, declaration: Declaration & { path: string }, journalPath: string, json: boolean): void {
  if (json) {
    console.log(
      JSON.stringify({
        ok: outcome.ok,
        state: outcome.kind === 'approved' && outcome.repeated ? 'repeated' : outcome.kind,
        [subject.noun]: declarationJson(declaration),
        lock: lockJson(outcome.lock),
        record: outcome.kind === 'approved' ? { id: outcome.record.id, idempotency_key: outcome.record.idempotency_key ?? null } : null,
        changes: outcome.kind === 'approved' ? outcome.changes : outcome.kind === 'drift' ? outcome.judgement.changes : [],
        message: outcome.kind === 'drift' ? outcome.message : null,
        journal: journalPath,
      }),
    );
    return;
  }
  const named = `${subject.noun} ${JSON.stringify(declaration.name)} version ${declaration.version} (hash ${short(declaration.hash)})`;
  if (outcome.kind === 'approved' && outcome.repeated) {
    const { record } = outcome;
    console.log(`already recorded: the approval of ${named} by ${record.actor} at ${record.process_time} (idempotency key ${record.idempotency_key}); not recorded again`);
  } else if (outcome.kind === 'approved') {
    console.log(`approved: ${named} is the lock now, approved by ${outcome.record.actor}: ${JSON.stringify(outcome.lock.reason ?? '')}`);
    for (const change of outcome.changes) console.log(`  ${change}`);
    console.log(`recorded in ${journalPath}`);
  } else if (outcome.kind === 'already-locked') {
    console.log(`nothing to approve: ${named} already is the lock (${lockedBy(outcome.lock)})`);
  } else {
    console.log(`REFUSED: content changed under the locked version ${declaration.version} is never approved (locked hash ${short(outcome.lock.hash)}, now ${short(declaration.hash)}):`);
    for (const change of outcome.judgement.changes) console.log(`  ${change}`);
    console.log('bump the version, then approve the new one');
  }
}

function lockedBy(lock: DeclarationLock): string {
  return lock.approved_by === undefined ? `locked ${lock.locked_at}` : `approved by ${lock.approved_by} at ${lock.locked_at}`;
}

function declarationJson(declaration: Declaration & { path: string }) {
  return { name: declaration.name, version: declaration.version, hash: declaration.hash, path: declaration.path };
}

function lockJson(lock: DeclarationLock) {
  const { spec: _spec, ...rest } = lock;
  return rest;
}
