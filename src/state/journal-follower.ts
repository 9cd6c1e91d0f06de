// Follows a journal another process is writing: each poll reads only the lines appended
// since the last one (a torn last line is left until it is whole) and folds them into a
// state, so a console can watch a 48-hour run without keeping its records.
import { join } from 'node:path';
import type { JournalRecord } from '../evidence/journal-record.ts';
import { JOURNAL_FILE } from '../evidence/run-layout.ts';
import { readJournalAfter } from './artifact-journals.ts';
import { startCursor, type JournalCursor } from './state-view.ts';

export class JournalFollower<T> {
  readonly dir: string;
  private cursor: JournalCursor = startCursor();
  private folded: T;
  private readonly fold: (state: T, record: JournalRecord) => T;
  /** Set when the journal stops continuing what was read (broken, cut short, rewritten). */
  problem: string | null = null;

  constructor(dir: string, initial: T, fold: (state: T, record: JournalRecord) => T) {
    this.dir = dir;
    this.folded = initial;
    this.fold = fold;
  }

  get state(): T {
    return this.folded;
  }

  /** Reads what was appended since the last poll; true when the state changed. */
  poll(): boolean {
    if (this.problem !== null) return false;
    let tail;
    try {
      tail = readJournalAfter({ dir: this.dir, path: join(this.dir, JOURNAL_FILE) }, this.cursor);
    } catch (error) {
      this.problem = (error as Error).message;
      return true;
    }
    if (tail === null) {
      // Not written yet (a run starting) is no problem; a journal that shrank is.
      if (this.cursor.records > 0) this.problem = `the journal in ${this.dir} no longer continues what was read`;
      return this.problem !== null;
    }
    if (tail.problem !== null) this.problem = tail.problem;
    const records = tail.content.records;
    if (records.length === 0) return tail.problem !== null;
    for (const record of records) this.folded = this.fold(this.folded, record);
    const last = records.at(-1) as JournalRecord;
    this.cursor = { records: this.cursor.records + records.length, head_hash: last.hash, head_id: last.id, bytes: tail.content.bytes };
    return true;
  }
}
