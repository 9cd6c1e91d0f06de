// Holding a run to the locked declarations: reads the subject's lock from the operator
// journal, takes it if there is none yet, and refuses a declaration that changed under the
// same version or a new version no operator approved. The gate runner calls this for the
// contract and for the pipeline before a gate; so do `evident contract check` and
// `evident pipeline check`.
import { judgeDeclaration, lockFrom, lockFromRecord, lockKey, refusalMessage, type Declaration, type DeclarationLock, type LockSubject, type Refusal } from './declaration-lock.ts';
import type { JournalRecord } from './journal-record.ts';
import { openOperatorJournal, readOperatorJournal } from './operator-journal.ts';
import { installationTrustedKeys } from './trusted-keys.ts';

export interface LockRequest {
  artifactsDir: string;
  /** The installation's keys: the journal is attested with its key, and only attested records count. */
  keysDir: string;
  /** The current declaration; recorded under the current contract (`recordedUnder`). */
  declaration: Declaration;
  /** The contract every operator record carries (for the contract lock, the declaration itself). */
  recordedUnder: { version: string; hash: string };
  /** Who is recorded as taking the lock. */
  actor: string;
}

export type LockOutcome =
  | { ok: true; kind: 'locked-now'; lock: DeclarationLock; record: JournalRecord }
  | { ok: true; kind: 'same'; lock: DeclarationLock }
  | { ok: false; kind: Refusal['kind']; judgement: Refusal; lock: DeclarationLock; message: string };

export async function ensureLocked(subject: LockSubject, request: LockRequest): Promise<LockOutcome> {
  const { declaration } = request;
  const journal = await openOperatorJournal(request.artifactsDir, request.keysDir, request.recordedUnder, request.actor);
  try {
    const lock = lockFrom(subject, readOperatorRecords(journal.path, request.keysDir));
    const judgement = judgeDeclaration(lock, declaration);
    if (judgement.kind === 'unlocked' || lock === null) {
      const record = await journal.append({
        type: subject.lockedType,
        payload: { name: declaration.name, version: declaration.version, hash: declaration.hash, spec: declaration.spec },
        idempotency_key: lockKey(subject, declaration),
      });
      return { ok: true, kind: 'locked-now', lock: lockFromRecord(record) as DeclarationLock, record };
    }
    if (judgement.kind === 'same') return { ok: true, kind: 'same', lock };
    return { ok: false, kind: judgement.kind, judgement, lock, message: refusalMessage(subject, judgement, lock, declaration) };
  } finally {
    await journal.close();
  }
}

/** The operator journal's records that count (attested by a key this installation trusts); a broken chain throws. */
export function readOperatorRecords(journalPath: string, keysDir: string): JournalRecord[] {
  return readOperatorJournal(journalPath, installationTrustedKeys(keysDir)).attested;
}
