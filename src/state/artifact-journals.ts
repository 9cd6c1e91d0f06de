// The journals a state view is folded from: the operator journal and every run's, one
// folder each under the artifacts folder. Runs quarantined into invalidated/ are no
// longer evidence and are left out. Reads only; a torn last line (a writer mid-append)
// is left for the writer and not folded.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { formatChainProblems } from '../evidence/journal-chain.ts';
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
 * rewritten): the view of it cannot be continued, only rebuilt.
 */
export function readJournalAfter(location: JournalLocation, cursor: JournalCursor): JournalTail | null {
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
  // Only what was folded counts as read: the bytes of the valid lines, not of a broken one after them.
  const bytes = reading.lines.slice(0, reading.count).reduce((sum, line) => sum + Buffer.byteLength(line, 'utf8') + 1, cursor.bytes);
  return {
    content: { dir: location.dir, records: reading.records, bytes },
    problem: reading.problems.length > 0 ? formatChainProblems(location.path, reading.problems, 3) : null,
  };
}
