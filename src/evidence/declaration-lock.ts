// The lock on a declaration — the boot contract, the pipeline — that every gate run is
// held to. The first gate run (or `evident contract check` / `evident pipeline check`)
// records the declaration's version and content hash in the operator journal; from then
// on content changed under the same version is refused, and a new version is accepted
// only with an operator's recorded approval (its reason and its diff). A pipeline is
// locked like the contract: a gate relaxed to one 3-second cycle is another pipeline, and
// gate states are keyed by both hashes, so a new version re-opens every gate.
// Pure: records in, judgements out.
import { contractDiff } from './contract-diff.ts';
import type { JournalRecord } from './journal-record.ts';
import { redactValue } from '../redaction/redact.ts';

/** What is locked, how its records are named, and how an operator approves a new version. */
export interface LockSubject {
  noun: 'contract' | 'pipeline';
  /** Written the first time the declaration is checked: the lock, with the spec so later diffs can name fields. */
  lockedType: string;
  /** An operator accepts a new version (or the first one): it becomes the lock. */
  approvalType: string;
  /** The command that approves, said in every refusal. */
  approveCommand: string;
}

export const CONTRACT_LOCK: LockSubject = {
  noun: 'contract',
  lockedType: 'contract.locked',
  approvalType: 'operator.contract-approval',
  approveCommand: 'evident contract approve --reason TEXT',
};

export const PIPELINE_LOCK: LockSubject = {
  noun: 'pipeline',
  lockedType: 'pipeline.locked',
  approvalType: 'operator.pipeline-approval',
  approveCommand: 'evident pipeline approve --reason TEXT',
};

const SUBJECTS = [CONTRACT_LOCK, PIPELINE_LOCK];

export interface DeclarationIdentity {
  version: string;
  /** SHA-256 (hex) of the declaration's canonical JSON. */
  hash: string;
}

/** A declaration as the lock compares it: what it is called, its version, hash and validated spec. */
export interface Declaration extends DeclarationIdentity {
  name: string;
  spec: unknown;
}

/** The lock in force: the latest locking or approval record of its subject. */
export interface DeclarationLock extends Declaration {
  /** When it was locked or approved (the record's event_time). */
  locked_at: string;
  /** Who approved it; absent for a lock taken on the first check. */
  approved_by?: string;
  reason?: string;
  record_id: string;
}

export type LockJudgement =
  | { kind: 'unlocked' }
  | { kind: 'same' }
  | { kind: 'drift'; changes: string[] }
  | { kind: 'new-version'; from: DeclarationIdentity; to: DeclarationIdentity; changes: string[] };

export type Refusal = Extract<LockJudgement, { kind: 'drift' | 'new-version' }>;

/** The records' idempotency keys: the same content locked or approved twice is one record. */
export function lockKey(subject: LockSubject, declaration: DeclarationIdentity): string {
  return `${subject.noun}-lock:${declaration.version}:${declaration.hash}`;
}

/**
 * Names the lock approved from as well: approving 1.0.0 again after 1.1.0 was approved
 * (a roll-back) is a new action, not a repeat of the first approval of 1.0.0.
 */
export function approvalKey(subject: LockSubject, declaration: DeclarationIdentity, from: DeclarationIdentity | null): string {
  return `${subject.noun}-approval:${declaration.version}:${declaration.hash}${from === null ? '' : `:from:${from.version}:${from.hash}`}`;
}

/** The subject whose lock a record sets, or null for any other record. */
export function lockSubjectOf(record: JournalRecord): LockSubject | null {
  return SUBJECTS.find((s) => s.lockedType === record.type || s.approvalType === record.type) ?? null;
}

/** The lock a locking or approval record sets, or null for any other record. */
export function lockFromRecord(record: JournalRecord): DeclarationLock | null {
  const subject = lockSubjectOf(record);
  if (subject === null) return null;
  const p = record.payload;
  const approval = record.type === subject.approvalType;
  const to = approval ? (p.to as Partial<DeclarationIdentity> | undefined) : (p as Partial<DeclarationIdentity>);
  if (typeof to?.version !== 'string' || typeof to.hash !== 'string') return null;
  const name = typeof p.name === 'string' ? p.name : '';
  const lock: DeclarationLock = { name, version: to.version, hash: to.hash, spec: p.spec ?? null, locked_at: record.event_time, record_id: record.id };
  if (approval) {
    lock.approved_by = record.actor;
    if (typeof p.reason === 'string') lock.reason = p.reason;
  }
  return lock;
}

/** The subject's lock in force after these records (in file order): the last one that sets it. */
export function lockFrom(subject: LockSubject, records: readonly JournalRecord[]): DeclarationLock | null {
  let lock: DeclarationLock | null = null;
  for (const record of records) if (lockSubjectOf(record) === subject) lock = lockFromRecord(record) ?? lock;
  return lock;
}

/**
 * The current declaration against the lock. Same version with other content is drift,
 * refused whatever anyone approves: a change must bump the version. Another version
 * needs an operator's approval.
 */
export function judgeDeclaration(lock: Declaration | null, current: Declaration): LockJudgement {
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
 * One line saying why the declaration is refused and what to do: for drift it ends with
 * `; bump the version`, for a new version it says how to approve.
 */
export function refusalMessage(subject: LockSubject, judgement: Refusal, lock: Declaration, current: Declaration): string {
  const changes = judgement.changes.join('; ');
  if (judgement.kind === 'drift') {
    return `${subject.noun} ${JSON.stringify(current.name)} changed under version ${current.version} (locked hash ${short(lock.hash)}, now ${short(current.hash)}): ${changes}; bump the version`;
  }
  return (
    `${subject.noun} ${JSON.stringify(current.name)} version ${current.version} (hash ${short(current.hash)}) is not approved; the lock is version ${lock.version} (hash ${short(lock.hash)}): ${changes}; ` +
    `approve it with \`${subject.approveCommand}\``
  );
}

export function short(hash: string): string {
  return hash.slice(0, 12);
}
