// The contract lock: the first gate run (or `evident contract check`) records the
// contract's version and content hash in the operator journal; from then on a contract
// whose content changed under the same version is refused, and a new version is
// accepted only with an operator's recorded approval. Pure: records in, judgements out.
import { contractDiff } from './contract-diff.ts';
import type { JournalRecord } from './journal-record.ts';
import { redactValue } from './redact.ts';

/** Written the first time a contract is checked: the lock, with the spec so later diffs can name fields. */
export const CONTRACT_LOCKED = 'contract.locked';
/** An operator accepts a new version (or the first one): it becomes the lock. */
export const CONTRACT_APPROVAL = 'operator.contract-approval';

export interface ContractIdentity {
  version: string;
  /** SHA-256 (hex) of the contract's canonical JSON. */
  hash: string;
}

/** A contract as the lock compares it: what it is called, its version, hash and validated spec. */
export interface ContractContent extends ContractIdentity {
  name: string;
  spec: unknown;
}

/** The lock in force: the latest `contract.locked` or approval record. */
export interface ContractLock extends ContractContent {
  /** When it was locked or approved (the record's event_time). */
  locked_at: string;
  /** Who approved it; absent for a lock taken on the first check. */
  approved_by?: string;
  reason?: string;
  record_id: string;
}

export type ContractJudgement =
  | { kind: 'unlocked' }
  | { kind: 'same' }
  | { kind: 'drift'; changes: string[] }
  | { kind: 'new-version'; from: ContractIdentity; to: ContractIdentity; changes: string[] };

/** The records' idempotency keys: the same content locked or approved twice is one record. */
export function lockKey(contract: ContractIdentity): string {
  return `contract-lock:${contract.version}:${contract.hash}`;
}

/**
 * Names the lock approved from as well: approving 1.0.0 again after 1.1.0 was approved
 * (a roll-back) is a new action, not a repeat of the first approval of 1.0.0.
 */
export function approvalKey(contract: ContractIdentity, from: ContractIdentity | null): string {
  return `contract-approval:${contract.version}:${contract.hash}${from === null ? '' : `:from:${from.version}:${from.hash}`}`;
}

/** The lock a `contract.locked` or approval record sets, or null for any other record. */
export function lockFromRecord(record: JournalRecord): ContractLock | null {
  if (record.type !== CONTRACT_LOCKED && record.type !== CONTRACT_APPROVAL) return null;
  const p = record.payload;
  const to = record.type === CONTRACT_APPROVAL ? (p.to as Partial<ContractIdentity> | undefined) : (p as Partial<ContractIdentity>);
  if (typeof to?.version !== 'string' || typeof to.hash !== 'string') return null;
  const name = typeof p.name === 'string' ? p.name : '';
  const lock: ContractLock = { name, version: to.version, hash: to.hash, spec: p.spec ?? null, locked_at: record.event_time, record_id: record.id };
  if (record.type === CONTRACT_APPROVAL) {
    lock.approved_by = record.actor;
    if (typeof p.reason === 'string') lock.reason = p.reason;
  }
  return lock;
}

/** The lock in force after these records (in file order): the last one that sets it. */
export function contractLockFrom(records: readonly JournalRecord[]): ContractLock | null {
  let lock: ContractLock | null = null;
  for (const record of records) lock = lockFromRecord(record) ?? lock;
  return lock;
}

/**
 * The current contract against the lock. Same version with other content is drift,
 * refused whatever anyone approves: a change must bump the version. Another version
 * needs an operator's approval.
 */
export function judgeContract(lock: ContractContent | null, current: ContractContent): ContractJudgement {
  if (lock === null) return { kind: 'unlocked' };
  if (lock.version === current.version && lock.hash === current.hash) return { kind: 'same' };
  const changes = lockedSpecChanges(lock.spec, current.spec);
  if (lock.version === current.version) return { kind: 'drift', changes };
  return { kind: 'new-version', from: { version: lock.version, hash: lock.hash }, to: { version: current.version, hash: current.hash }, changes };
}

/**
 * The lock's spec was redacted when it was journaled, so the current one is redacted the
 * same way before comparing. A changed secret then shows no field of its own, and is
 * named as such rather than leaving a refusal with no reason.
 */
function lockedSpecChanges(lockedSpec: unknown, currentSpec: unknown): string[] {
  const changes = contractDiff(lockedSpec, redactValue(currentSpec));
  return changes.length > 0 ? changes : ['a value redacted as secret changed (the journal keeps no secret, so which one cannot be shown)'];
}

/**
 * One line saying why the contract is refused and what to do: for drift it ends with
 * `; bump the version`, for a new version it says how to approve.
 */
export function refusalMessage(judgement: Extract<ContractJudgement, { kind: 'drift' | 'new-version' }>, lock: ContractContent, current: ContractContent): string {
  const changes = judgement.changes.join('; ');
  if (judgement.kind === 'drift') {
    return `contract ${JSON.stringify(current.name)} changed under version ${current.version} (locked hash ${short(lock.hash)}, now ${short(current.hash)}): ${changes}; bump the version`;
  }
  return (
    `contract ${JSON.stringify(current.name)} version ${current.version} (hash ${short(current.hash)}) is not approved; the lock is version ${lock.version} (hash ${short(lock.hash)}): ${changes}; ` +
    'approve it with `evident contract approve --reason TEXT`'
  );
}

export function short(hash: string): string {
  return hash.slice(0, 12);
}
