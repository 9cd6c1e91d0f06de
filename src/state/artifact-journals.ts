// The journals a state view is folded from: the operator journal (its attested records
// only) and every run's, one folder each under the artifacts folder. Runs quarantined into
// invalidated/ are no longer evidence and are left out. Reads only; a torn last line (a
// writer mid-append) is left for the writer and not folded.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { readAttested } from '../evidence/journal-attestation.ts';
import { formatChainProblems } from '../evidence/journal-chain.ts';
import { OPERATOR_DIR } from '../evidence/operator-journal.ts';
import type { TrustedKey } from '../evidence/trusted-keys.ts';
import { INVALIDATED_DIR } from '../evidence/quarantine.ts';
import { readJournalFrom } from '../evidence/read-journal.ts';
import { JOURNAL_FILE } from '../evidence/run-layout.ts';
import type { JournalContent, JournalCursor } from './state-view.ts';

export interface JournalLocation {
  dir: string;
  path: string;
}

/** Every `<artifacts>/<folder>/journal.jsonl` but the quarantined ones, in folder-name order. */
export function findJournals(artifactsDir: string): JournalLocation[] {
  if (!existsSync(artifactsDir)) return [];
  return readdirSync(artifactsDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && entry.name !== INVALIDATED_DIR)
    .map((entry) => entry.name)
    .sort()
    .map((name) => ({ dir: join(artifactsDir, name), path: join(artifactsDir, name, JOURNAL_FILE) }))
    .filter((location) => existsSync(location.path));
}

export interface JournalTail {
  /** The records after the cursor, up to the first problem, and the bytes they reach to. */
  content: JournalContent;
  /** The chain's problems, if a line after the cursor is broken (its records are not folded). */
  problem: string | null;
}

/**
 * The records after `cursor`, read from its byte offset on and checked as the chain's
 * continuation. Null when the file no longer continues the cursor (gone, cut short,
 * rewritten): the view of it cannot be continued, only rebuilt. The operator journal is
 * attested (journal-attestation.ts): only the records attestations by a `trusted` key
 * cover are given, up to the last attestation; what follows waits for its attestation.
 */
export function readJournalAfter(location: JournalLocation, cursor: JournalCursor, trusted: readonly TrustedKey[] = []): JournalTail | null {
  let size: number;
  try {
    size = statSync(location.path).size;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  if (size < cursor.bytes) return null;
  const reading = readJournalFrom(location.path, cursor.bytes, { prevHash: cursor.head_hash, prevId: cursor.head_id, firstLine: cursor.records + 1 });
  // The very next line does not continue what was folded: the file was rewritten before the cursor.
  if (cursor.records > 0 && reading.count === 0 && reading.problems.length > 0) return null;
  const problem = reading.problems.length > 0 ? formatChainProblems(location.path, reading.problems, 3) : null;
  const bytesOf = (lines: number) => reading.lines.slice(0, lines).reduce((sum, line) => sum + Buffer.byteLength(line, 'utf8') + 1, cursor.bytes);
  if (basename(location.dir) === OPERATOR_DIR) {
    const attested = readAttested(reading.records, trusted, cursor.records);
    const through = attested.attestedThrough - cursor.records;
    const last = reading.records[through - 1];
    const problems = [
      ...(problem === null ? [] : [problem]),
      ...attested.problems.map((p) => `${location.path}: ${p}`),
      ...attested.gaps.map((g) => `${location.path}: records ${g.first}–${g.last} are attested by no one (written before attestation, by a writer that died, or by hand): they do not count`),
    ];
    return {
      content: {
        dir: location.dir,
        records: attested.attested,
        bytes: bytesOf(through),
        ...(last === undefined ? {} : { position: { records: attested.attestedThrough, head_hash: last.hash, head_id: last.id } }),
      },
      problem: problems.length > 0 ? problems.join('\n') : null,
    };
  }
  // Only what was folded counts as read: the bytes of the valid lines, not of a broken one after them.
  return { content: { dir: location.dir, records: reading.records, bytes: bytesOf(reading.count) }, problem };
}
