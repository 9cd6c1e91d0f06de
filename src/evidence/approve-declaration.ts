// An operator's approval of the current declaration (contract or pipeline): recorded in
// the operator journal with its reason and what changed from the lock, under an
// idempotency key, it becomes the lock. Content changed under the same version is never
// approved: that must be a version bump.
import { approvalKey, judgeDeclaration, lockFrom, lockFromRecord, lockSubjectOf, refusalMessage, short, type Declaration, type DeclarationLock, type LockSubject, type Refusal } from './declaration-lock.ts';
import { readOperatorRecords } from './ensure-locked.ts';
import type { JournalRecord } from './journal-record.ts';
import { openOperatorJournal } from './operator-journal.ts';
import { newRecordId } from './record-id.ts';

export interface ApprovalRequest {
  artifactsDir: string;
  /** The installation's keys: the journal is attested with its key, and only attested records count. */
  keysDir: string;
  declaration: Declaration;
  /** The contract every operator record carries. */
  recordedUnder: { version: string; hash: string };
  /** The operator approving. */
  actor: string;
  reason: string;
  /** Default: `approvalKey(subject, declaration, lock in force)`, so approving the same declaration twice is one record. */
  idempotencyKey?: string;
}

export type ApprovalOutcome =
  /** Recorded now, or recorded earlier under the same key (`repeated`: nothing written this time). */
  | { ok: true; kind: 'approved'; lock: DeclarationLock; record: JournalRecord; repeated: boolean; changes: string[] }
  /** The lock already is this version and content: nothing to approve, nothing recorded. */
  | { ok: true; kind: 'already-locked'; lock: DeclarationLock }
  | { ok: false; kind: 'drift'; judgement: Refusal; lock: DeclarationLock; message: string }
  /** The idempotency key names another action: a mistake in the call, not an approval. */
  | { ok: false; kind: 'key-used'; record: JournalRecord; message: string };

export async function approveDeclaration(subject: LockSubject, request: ApprovalRequest): Promise<ApprovalOutcome> {
  const { declaration } = request;
  const journal = await openOperatorJournal(request.artifactsDir, request.keysDir, request.recordedUnder, request.actor);
  try {
    const records = readOperatorRecords(journal.path, request.keysDir);
    const lock = lockFrom(subject, records);
    const from = lock === null ? null : { version: lock.version, hash: lock.hash };
    const key = request.idempotencyKey ?? approvalKey(subject, declaration, from);
    // A retried delivery is answered from its first record, whatever the lock is now.
    const earlier = records.find((r) => r.idempotency_key === key);
    if (earlier !== undefined) return repeatOf(subject, earlier, declaration, key);

    const judgement = judgeDeclaration(lock, declaration);
    if (judgement.kind === 'same' && lock !== null) return { ok: true, kind: 'already-locked', lock };
    if (judgement.kind === 'drift' && lock !== null) {
      return { ok: false, kind: 'drift', judgement, lock, message: `refusing to approve: ${refusalMessage(subject, judgement, lock, declaration)}` };
    }
    const changes = judgement.kind === 'new-version' ? judgement.changes : [];
    // A record that comes back with another correlation id is a delivery that raced this one.
    const correlationId = newRecordId();
    const record = await journal.append({
      type: subject.approvalType,
      actor: request.actor,
      correlation_id: correlationId,
      payload: { name: declaration.name, from, to: { version: declaration.version, hash: declaration.hash }, spec: declaration.spec, reason: request.reason, changes },
      idempotency_key: key,
    });
    if (record.correlation_id !== correlationId) return repeatOf(subject, record, declaration, key);
    return { ok: true, kind: 'approved', lock: lockFromRecord(record) as DeclarationLock, record, repeated: false, changes };
  } finally {
    await journal.close();
  }
}

/** The record already holding the key: a repeat if it approved this declaration, else the key was reused. */
function repeatOf(subject: LockSubject, record: JournalRecord, declaration: Declaration, key: string): ApprovalOutcome {
  const approved = record.type === subject.approvalType ? lockFromRecord(record) : null;
  if (approved !== null && approved.version === declaration.version && approved.hash === declaration.hash) {
    return { ok: true, kind: 'approved', lock: approved, record, repeated: true, changes: [] };
  }
  return { ok: false, kind: 'key-used', record, message: `idempotency key ${JSON.stringify(key)} was already used by ${describe(record)}; use another key` };
}

function describe(record: JournalRecord): string {
  const to = record.payload.to as { version?: unknown; hash?: unknown } | undefined;
  const subject = lockSubjectOf(record);
  const what = subject !== null && record.type === subject.approvalType && typeof to?.version === 'string' ? `the approval of ${subject.noun} version ${to.version} (hash ${short(String(to.hash))})` : `a ${record.type} record`;
  return `${what} by ${record.actor} at ${record.process_time}`;
}
