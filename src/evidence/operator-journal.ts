// The console-wide journal: operator actions (start, stop, approvals, sign-offs…) and the
// supervisor events outside any run, in `<artifacts>/operator/journal.jsonl`. Runs have
// journals of their own; this one ties the rest together. It is attested batch by batch
// with the installation's key (journal-attestation.ts), whose public key sits beside it,
// and only attested records count: `evident verify artifacts/operator` checks it.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { readAttested, type AttestedReading } from './journal-attestation.ts';
import { formatChainProblems } from './journal-chain.ts';
import { Journal } from './journal.ts';
import type { ContractRef } from './journal-record.ts';
import { readJournal } from './read-journal.ts';
import { PUBLIC_KEY_FILE } from './run-layout.ts';
import { loadOrCreateSigningKey } from './signing-key.ts';
import type { TrustedKey } from './trusted-keys.ts';
import { ArtifactExistsError, writeArtifact } from './write-artifact.ts';

export const OPERATOR_DIR = 'operator';

export function operatorJournalPath(artifactsDir: string): string {
  return join(artifactsDir, OPERATOR_DIR, 'journal.jsonl');
}

/** Opens the operator journal for writing, attesting every batch with the key in `keysDir` (made on first use). */
export async function openOperatorJournal(artifactsDir: string, keysDir: string, contract: ContractRef, actor: string): Promise<Journal> {
  const key = loadOrCreateSigningKey(keysDir);
  const journal = await Journal.open(operatorJournalPath(artifactsDir), { contract, actor, attest: key });
  const keyFile = join(artifactsDir, OPERATOR_DIR, PUBLIC_KEY_FILE);
  if (!existsSync(keyFile)) {
    try {
      writeArtifact(join(artifactsDir, OPERATOR_DIR), PUBLIC_KEY_FILE, key.publicKeyPem);
    } catch (error) {
      if (!(error instanceof ArtifactExistsError)) throw error;
    }
  }
  return journal;
}

/**
 * The operator journal's records that count: those attested by a trusted key, as on disk.
 * A broken chain throws (no lock or sign-off can be read from part of one); an attestation
 * that does not hold ends what counts, and is said in `problems`.
 */
export function readOperatorJournal(journalPath: string, trusted: readonly TrustedKey[]): AttestedReading {
  if (!existsSync(journalPath)) return { attested: [], attestedThrough: 0, gaps: [], problems: [], attestedAtAll: false };
  const reading = readJournal(journalPath);
  if (reading.problems.length > 0) throw new Error(formatChainProblems(journalPath, reading.problems));
  return readAttested(reading.records, trusted);
}
