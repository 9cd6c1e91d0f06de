// Checks the operator journal folder from its files alone, as `evident verify` checks a
// run: nothing in the folder but the journal, its public key and the tails a writer moved
// aside (each named by a `journal.repair` record with its hash); the hash chain from the
// first record to the last; and every record inside a range a trusted key attested, with
// nothing after the last attestation. Reads only, never following a symbolic link.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { folderEntries } from '../fs/folder-entries.ts';
import { ATTEST_TYPE, readAttested } from './journal-attestation.ts';
import { journalLockPath } from './journal-lock.ts';
import { readJournal } from './read-journal.ts';
import { JOURNAL_FILE, PUBLIC_KEY_FILE } from './run-layout.ts';
import type { TrustedKey } from './trusted-keys.ts';
import type { CheckName, CheckResult } from './verify-run.ts';

const TORN = /^journal\.jsonl\.torn-[0-9A-HJKMNP-TV-Z]{26}$/;

export interface OperatorJournalReport {
  ok: boolean;
  checks: CheckResult[];
  /** Records in the journal, attestations included, and the keys that attested them. */
  records: number;
  attestedBy: string[];
}

export function verifyOperatorJournal(dir: string, options: { trustedKeys: readonly TrustedKey[] }): OperatorJournalReport {
  const results: CheckResult[] = [];
  const pass = (check: CheckName, file: string | null, detail: string) => results.push({ check, ok: true, file, detail });
  const fail = (check: CheckName, file: string | null, detail: string) => results.push({ check, ok: false, file, detail });
  const entries = folderEntries(dir);
  const lockName = journalLockPath(JOURNAL_FILE);
  for (const entry of entries) {
    if (entry.kind !== 'file') fail('files', entry.name, `a ${entry.kind}, not a regular file: the operator folder holds regular files only`);
    else if (entry.name === lockName) fail('files', entry.name, 'a writer holds the journal right now: verify it when no evident process is writing');
    else if (entry.name !== JOURNAL_FILE && entry.name !== PUBLIC_KEY_FILE && !TORN.test(entry.name)) fail('files', entry.name, 'not part of the operator journal: added by hand?');
  }
  if (!results.some((r) => r.check === 'files')) pass('files', null, `${entries.map((e) => e.name).join(', ')}: the journal, its public key and the tails a writer moved aside, nothing else`);

  const names = new Set(entries.filter((e) => e.kind === 'file').map((e) => e.name));
  if (!names.has(JOURNAL_FILE)) {
    fail('journal', JOURNAL_FILE, 'missing');
    return { ok: false, checks: results, records: 0, attestedBy: [] };
  }
  const reading = readJournal(join(dir, JOURNAL_FILE));
  const records = reading.records;
  if (reading.problems.length > 0) fail('journal', JOURNAL_FILE, reading.problems.map((p) => p.message).join('; '));
  else if (reading.torn) fail('journal', JOURNAL_FILE, `torn last line at byte ${reading.torn.offset} (${reading.torn.length} bytes): the next evident command moves it aside`);
  else pass('journal', JOURNAL_FILE, `${records.length} records, hash chain intact`);

  const attested = readAttested(records, options.trustedKeys);
  const problems = [...attested.problems];
  for (const gap of attested.gaps) problems.push(`records ${gap.first}–${gap.last} are in no attested range (written before the journal was attested, or added by hand)`);
  const tail = records.length - attested.attestedThrough;
  if (attested.problems.length === 0 && tail > 0) problems.push(`${tail} record(s) after the last attestation (${records.at(-1)?.type} by ${records.at(-1)?.actor}): written by a writer that died before attesting them, or by hand`);
  if (options.trustedKeys.length === 0) problems.push('no key is trusted here: pass --trusted-key FILE (the installation public key you were given), or run verify on the installation itself');
  const keys = [...new Set(records.filter((r) => r.type === ATTEST_TYPE).map((r) => String(r.payload.key_id)))];
  if (problems.length > 0) fail('attestation', JOURNAL_FILE, problems.join('; '));
  else {
    const trustedAs = keys.map((id) => `key ${id} (${options.trustedKeys.find((k) => k.keyId === id)?.source ?? '?'})`).join(', ');
    pass('attestation', JOURNAL_FILE, `every record of ${records.length} is attested, by ${trustedAs || 'no key: the journal is empty'}`);
  }

  // Every tail moved aside is the one its repair record names, and every named one is here.
  const repairs = records.filter((r) => r.type === 'journal.repair');
  const repairProblems: string[] = [];
  for (const repair of repairs) {
    const file = String(repair.payload.aside_file ?? '');
    if (!names.has(file)) repairProblems.push(`${file}: named by the repair record ${repair.id} but missing`);
    else if (createHash('sha256').update(readFileSync(join(dir, file))).digest('hex') !== repair.payload.sha256) repairProblems.push(`${file}: its SHA-256 is not the one the repair record ${repair.id} gives`);
  }
  for (const name of names) if (TORN.test(name) && !repairs.some((r) => r.payload.aside_file === name)) repairProblems.push(`${name}: no repair record names it`);
  if (repairProblems.length > 0) fail('repairs', null, repairProblems.join('; '));
  else pass('repairs', null, repairs.length === 0 ? 'no tail was ever moved aside' : `${repairs.length} tail(s) moved aside, each as its repair record says`);

  return { ok: results.every((r) => r.ok), checks: results, records: records.length, attestedBy: keys };
}
