// The console-wide journal: operator actions (start, stop, approvals, sign-offs…) and the
// supervisor events outside any run, in `<artifacts>/operator/journal.jsonl`. Runs have
// journals of their own; this one ties the rest together.
import { join } from 'node:path';
import { Journal } from './journal.ts';
import type { ContractRef } from './journal-record.ts';

export const OPERATOR_DIR = 'operator';

export function operatorJournalPath(artifactsDir: string): string {
  return join(artifactsDir, OPERATOR_DIR, 'journal.jsonl');
}

export function openOperatorJournal(artifactsDir: string, contract: ContractRef, actor: string): Promise<Journal> {
  return Journal.open(operatorJournalPath(artifactsDir), { contract, actor });
}
