// An operator's approval of the current contract: recorded in the operator journal with
// an idempotency key, it becomes the lock. Content changed under the same version is
// never approved: that must be a version bump.
import { approvalKey, CONTRACT_APPROVAL, contractLockFrom, judgeContract, lockFromRecord, refusalMessage, short, type ContractContent, type ContractLock } from './contract-lock.ts';
import { readOperatorRecords, type Refusal } from './ensure-contract-locked.ts';
import type { JournalRecord } from './journal-record.ts';
import { openOperatorJournal } from './operator-journal.ts';
import { newRecordId } from './record-id.ts';

export interface ApprovalRequest {
  artifactsDir: string;
  contract: ContractContent;
  /** The operator approving. */
  actor: string;
  reason: string;
  /** Default: `approvalKey(contract, lock in force)`, so approving the same contract twice is one record. */
  idempotencyKey?: string;
}

export type ApprovalOutcome =
  /** Recorded now, or recorded earlier under the same key (`repeated`: nothing written this time). */
  | { ok: true; kind: 'approved'; lock: ContractLock; record: JournalRecord; repeated: boolean; changes: string[] }
  /** The lock already is this version and content: nothing to approve, nothing recorded. */
  | { ok: true; kind: 'already-locked'; lock: ContractLock }
  | { ok: false; kind: 'drift'; judgement: Refusal; lock: ContractLock; message: string }
  /** The idempotency key names another action: a mistake in the call, not an approval. */
  | { ok: false; kind: 'key-used'; record: JournalRecord; message: string };

export async function approveContract(request: ApprovalRequest): Promise<ApprovalOutcome> {
  const { contract } = request;
  const journal = await openOperatorJournal(request.artifactsDir, { version: contract.version, hash: contract.hash }, request.actor);
  try {
    const records = readOperatorRecords(journal.path);
    const lock = contractLockFrom(records);
    const from = lock === null ? null : { version: lock.version, hash: lock.hash };
    const key = request.idempotencyKey ?? approvalKey(contract, from);
    // A retried delivery is answered from its first record, whatever the lock is now.
    const earlier = records.find((r) => r.idempotency_key === key);
    if (earlier !== undefined) return repeatOf(earlier, contract, key);

    const judgement = judgeContract(lock, contract);
    if (judgement.kind === 'same' && lock !== null) return { ok: true, kind: 'already-locked', lock };
    if (judgement.kind === 'drift' && lock !== null) {
      return { ok: false, kind: 'drift', judgement, lock, message: `refusing to approve: ${refusalMessage(judgement, lock, contract)}` };
    }
    // A record that comes back with another correlation id is a delivery that raced this one.
    const correlationId = newRecordId();
    const record = await journal.append({
      type: CONTRACT_APPROVAL,
      actor: request.actor,
      correlation_id: correlationId,
      payload: { name: contract.name, from, to: { version: contract.version, hash: contract.hash }, spec: contract.spec, reason: request.reason },
      idempotency_key: key,
    });
    if (record.correlation_id !== correlationId) return repeatOf(record, contract, key);
    return { ok: true, kind: 'approved', lock: lockFromRecord(record) as ContractLock, record, repeated: false, changes: judgement.kind === 'new-version' ? judgement.changes : [] };
  } finally {
    await journal.close();
  }
}

/** The record already holding the key: a repeat if it approved this contract, else the key was reused. */
function repeatOf(record: JournalRecord, contract: ContractContent, key: string): ApprovalOutcome {
  const approved = record.type === CONTRACT_APPROVAL ? lockFromRecord(record) : null;
  if (approved !== null && approved.version === contract.version && approved.hash === contract.hash) {
    return { ok: true, kind: 'approved', lock: approved, record, repeated: true, changes: [] };
  }
  return { ok: false, kind: 'key-used', record, message: `idempotency key ${JSON.stringify(key)} was already used by ${describe(record)}; use another key` };
}

function describe(record: JournalRecord): string {
  const to = record.payload.to as { version?: unknown; hash?: unknown } | undefined;
  const what = record.type === CONTRACT_APPROVAL && typeof to?.version === 'string' ? `the approval of version ${to.version} (hash ${short(String(to.hash))})` : `a ${record.type} record`;
  return `${what} by ${record.actor} at ${record.process_time}`;
}
