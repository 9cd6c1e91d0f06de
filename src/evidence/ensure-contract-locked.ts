// Holding a run to the locked contract: reads the lock from the operator journal, takes it
// if there is none yet, and refuses a contract that changed under the same version or a
// new version no operator approved. The gate runner calls this before a gate; so does
// `evident contract check`.
import { contractLockFrom, CONTRACT_LOCKED, judgeContract, lockFromRecord, lockKey, refusalMessage, type ContractContent, type ContractJudgement, type ContractLock } from './contract-lock.ts';
import { formatChainProblems } from './journal-chain.ts';
import type { JournalRecord } from './journal-record.ts';
import { openOperatorJournal } from './operator-journal.ts';
import { readJournal } from './read-journal.ts';

export interface ContractLockRequest {
  artifactsDir: string;
  contract: ContractContent;
  /** Who is recorded as taking the lock. */
  actor: string;
}

export type Refusal = Extract<ContractJudgement, { kind: 'drift' | 'new-version' }>;

export type ContractLockOutcome =
  | { ok: true; kind: 'locked-now'; lock: ContractLock; record: JournalRecord }
  | { ok: true; kind: 'same'; lock: ContractLock }
  | { ok: false; kind: Refusal['kind']; judgement: Refusal; lock: ContractLock; message: string };

export async function ensureContractLocked(request: ContractLockRequest): Promise<ContractLockOutcome> {
  const { contract } = request;
  const journal = await openOperatorJournal(request.artifactsDir, { version: contract.version, hash: contract.hash }, request.actor);
  try {
    const lock = contractLockFrom(readOperatorRecords(journal.path));
    const judgement = judgeContract(lock, contract);
    if (judgement.kind === 'unlocked' || lock === null) {
      const record = await journal.append({
        type: CONTRACT_LOCKED,
        payload: { name: contract.name, version: contract.version, hash: contract.hash, spec: contract.spec },
        idempotency_key: lockKey(contract),
      });
      return { ok: true, kind: 'locked-now', lock: lockFromRecord(record) as ContractLock, record };
    }
    if (judgement.kind === 'same') return { ok: true, kind: 'same', lock };
    return { ok: false, kind: judgement.kind, judgement, lock, message: refusalMessage(judgement, lock, contract) };
  } finally {
    await journal.close();
  }
}

/** The operator journal's records as on disk; a broken chain throws (no lock can be read from part of one). */
export function readOperatorRecords(journalPath: string): JournalRecord[] {
  const reading = readJournal(journalPath);
  if (reading.problems.length > 0) throw new Error(formatChainProblems(journalPath, reading.problems));
  return reading.records;
}
