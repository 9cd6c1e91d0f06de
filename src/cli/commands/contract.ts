// evident contract: holds the boot contract to the version it was locked at — check it
// against the lock (taking the lock on first use), or record an operator's approval of
// a new version. The lock lives in the operator journal; the state view follows it.
import { dirname } from 'node:path';
import { approveContract, type ApprovalOutcome } from '../../evidence/approve-contract.ts';
import { short, type ContractContent, type ContractLock } from '../../evidence/contract-lock.ts';
import { ensureContractLocked, type ContractLockOutcome } from '../../evidence/ensure-contract-locked.ts';
import { operatorJournalPath } from '../../evidence/operator-journal.ts';
import { resolveArtifactsDir, resolveStatePaths } from '../../state/state-paths.ts';
import { currentActor } from '../current-actor.ts';
import { EXIT, UsageError } from '../exit-codes.ts';
import { loadContractOrExit } from '../load-contract-or-exit.ts';
import { parseCommandArgs } from '../parse-command-args.ts';
import { openStateViewOrWarn, saveStateViewOrWarn } from '../state-view-updates.ts';

export const contractHelp = `usage: evident contract <check|approve> [--contract PATH] [--artifacts-dir DIR]
       [--state-dir DIR] [--actor NAME] [--reason TEXT] [--idempotency-key KEY] [--json]

Holds the boot contract to the version it was locked at. The first check (or gate run)
locks the contract's version and content hash in the operator journal
(<artifacts>/operator/journal.jsonl). After that, content changed under the same
version is refused, with every changed field, until the version is bumped; a new
version is refused until an operator approves it. Every record carries the contract's
version and hash.

  check    compare the contract with the lock; with no lock yet, lock it now
  approve  record your approval of the contract's version and hash (needs --reason);
           never of changed content under the locked version: that needs a version bump

  --contract PATH        the boot contract (default contracts/boot-contract.json,
                         or EVIDENT_CONTRACT)
  --artifacts-dir DIR    evidence folder (default ./artifacts, or EVIDENT_ARTIFACTS_DIR)
  --state-dir DIR        where the state view is kept current (default ./state,
                         or EVIDENT_STATE_DIR)
  --actor NAME           who locks or approves (default: the OS user)
  --reason TEXT          approve: why this version is accepted (recorded with it)
  --idempotency-key KEY  approve: a retried delivery with the same key is recorded once
                         (default: one key per version, hash and lock approved from)
  --json                 print one JSON object

exit: 0 matches the lock (or locked now, or approved), 2 bad input,
      3 refused: content changed under the locked version, or a new version not approved`;

const ACTIONS = ['check', 'approve'] as const;

export async function contractCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    'contract',
    argv,
    {
      contract: { type: 'string' },
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
    console.log(contractHelp);
    return EXIT.ok;
  }
  const action = positionals[0];
  if (positionals.length !== 1 || (action !== 'check' && action !== 'approve')) {
    throw new UsageError(`evident contract: expected one of ${ACTIONS.join(', ')}, got ${positionals.length === 0 ? 'nothing' : positionals.map((p) => JSON.stringify(p)).join(' ')}\nrun \`evident contract --help\` for usage`);
  }
  const reason = values.reason?.trim();
  if (action === 'check' && (values.reason !== undefined || values['idempotency-key'] !== undefined)) {
    throw new UsageError('evident contract check: --reason and --idempotency-key belong to `evident contract approve`');
  }
  if (action === 'approve' && (reason === undefined || reason === '')) {
    throw new UsageError('evident contract approve: --reason TEXT is required: say why this version is accepted (it is recorded with the approval)');
  }
  const key = values['idempotency-key'];
  if (key !== undefined && key.trim() === '') throw new UsageError('evident contract approve: --idempotency-key must not be empty');

  const paths = resolveStatePaths(values['state-dir']);
  const loaded = await loadContractOrExit(values.contract, paths.root);
  const contract: ContractContent & { path: string } = { name: loaded.name, version: loaded.version, hash: loaded.hash, spec: loaded.spec, path: loaded.path };
  const artifactsDir = resolveArtifactsDir(values['artifacts-dir']);
  const actor = currentActor(values.actor);
  const json = values.json === true;
  const journalPath = operatorJournalPath(artifactsDir);
  const state = await openStateViewOrWarn(paths, artifactsDir);

  if (action === 'check') {
    const outcome = await withJournal(journalPath, () => ensureContractLocked({ artifactsDir, contract, actor }));
    await saveStateViewOrWarn(state, dirname(journalPath), outcome.ok && outcome.kind === 'locked-now' ? outcome.record : null);
    printCheck(outcome, contract, journalPath, json);
    return outcome.ok ? EXIT.ok : EXIT.blocked;
  }
  const outcome = await withJournal(journalPath, () => approveContract({ artifactsDir, contract, actor, reason: reason as string, ...(key === undefined ? {} : { idempotencyKey: key }) }));
  await saveStateViewOrWarn(state, dirname(journalPath), outcome.kind === 'approved' && !outcome.repeated ? outcome.record : null);
  if (outcome.kind === 'key-used') throw new UsageError(`evident contract approve: ${outcome.message}`);
  printApproval(outcome, contract, journalPath, json);
  return outcome.ok ? EXIT.ok : EXIT.blocked;
}

/** A journal that cannot be opened or read (a broken chain, a folder not writable) is bad input, said in one sentence. */
async function withJournal<T>(journalPath: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw new UsageError(`evident contract: cannot use the operator journal ${journalPath}: ${(error as Error).message}`);
  }
}

function printCheck(outcome: ContractLockOutcome, contract: ContractContent & { path: string }, journalPath: string, json: boolean): void {
  if (json) {
    const refusal = outcome.ok ? null : outcome;
    console.log(
      JSON.stringify({
        ok: outcome.ok,
        state: outcome.kind,
        contract: contractJson(contract),
        lock: lockJson(outcome.lock),
        changes: refusal?.judgement.changes ?? [],
        message: refusal?.message ?? null,
        journal: journalPath,
      }),
    );
    return;
  }
  const named = `contract ${JSON.stringify(contract.name)} version ${contract.version} (hash ${short(contract.hash)})`;
  if (outcome.kind === 'locked-now') {
    console.log(`locked now: ${named} is the lock, recorded in ${journalPath}; a later change to it needs a new version and an approval`);
  } else if (outcome.kind === 'same') {
    console.log(`ok: ${named} matches the lock (${lockedBy(outcome.lock)})`);
  } else if (outcome.kind === 'drift') {
    console.log(`REFUSED: contract ${JSON.stringify(contract.name)} changed under version ${contract.version} (locked hash ${short(outcome.lock.hash)}, now ${short(contract.hash)}):`);
    for (const change of outcome.judgement.changes) console.log(`  ${change}`);
    console.log('bump the version (then `evident contract approve --reason TEXT`), or undo the change');
  } else {
    console.log(`REFUSED: ${named} is not approved; the lock is version ${outcome.lock.version} (hash ${short(outcome.lock.hash)}, ${lockedBy(outcome.lock)}):`);
    for (const change of outcome.judgement.changes) console.log(`  ${change}`);
    console.log(`approve it: evident contract approve --reason TEXT --contract ${contract.path}`);
  }
}

function printApproval(outcome: Exclude<ApprovalOutcome, { kind: 'key-used' }>, contract: ContractContent & { path: string }, journalPath: string, json: boolean): void {
  if (json) {
    console.log(
      JSON.stringify({
        ok: outcome.ok,
        state: outcome.kind === 'approved' && outcome.repeated ? 'repeated' : outcome.kind,
        contract: contractJson(contract),
        lock: lockJson(outcome.lock),
        record: outcome.kind === 'approved' ? { id: outcome.record.id, idempotency_key: outcome.record.idempotency_key ?? null } : null,
        changes: outcome.kind === 'approved' ? outcome.changes : outcome.kind === 'drift' ? outcome.judgement.changes : [],
        message: outcome.kind === 'drift' ? outcome.message : null,
        journal: journalPath,
      }),
    );
    return;
  }
  const named = `contract ${JSON.stringify(contract.name)} version ${contract.version} (hash ${short(contract.hash)})`;
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
    console.log(`REFUSED: content changed under the locked version ${contract.version} is never approved (locked hash ${short(outcome.lock.hash)}, now ${short(contract.hash)}):`);
    for (const change of outcome.judgement.changes) console.log(`  ${change}`);
    console.log('bump the version, then approve the new one');
  }
}

function lockedBy(lock: ContractLock): string {
  return lock.approved_by === undefined ? `locked ${lock.locked_at}` : `approved by ${lock.approved_by} at ${lock.locked_at}`;
}

function contractJson(contract: ContractContent & { path: string }) {
  return { name: contract.name, version: contract.version, hash: contract.hash, path: contract.path };
}

function lockJson(lock: ContractLock) {
  const { spec: _spec, ...rest } = lock;
  return rest;
}
