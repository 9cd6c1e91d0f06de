// The live state view: read from state/, brought up to date with every journal record
// appended since it was written (each journal continued from its cursor), kept current
// by `apply` as a command records, and written back. Whenever the view cannot simply be
// continued — another artifacts folder, a journal gone (quarantined) or rewritten — it
// is rebuilt from the journals instead, so it never shows what the journals do not say.
import { join } from 'node:path';
import type { Low } from 'lowdb';
import type { JournalRecord } from '../evidence/journal-record.ts';
import { JOURNAL_FILE } from '../evidence/run-layout.ts';
import { OPERATOR_DIR } from '../evidence/operator-journal.ts';
import { installationTrustedKeys, type TrustedKey } from '../evidence/trusted-keys.ts';
import { findJournals, readJournalAfter, type JournalLocation } from './artifact-journals.ts';
import { stateFromJournals } from './rebuild-state.ts';
import type { StatePaths } from '../paths/state-paths.ts';
import { openStateViewFile, stateViewPath } from './state-view-file.ts';
import { foldJournal, foldRecord, journalKey, startCursor, type StateView } from './state-view.ts';

export class StateStore {
  readonly path: string;
  readonly artifactsDir: string;
  /** Journals with a broken chain found while catching up: their records from the break on are not in the view. */
  readonly problems: string[] = [];
  private readonly db: Low<StateView>;
  private readonly keysDir: string;
  private trustedKeys: readonly TrustedKey[] = [];

  private constructor(path: string, artifactsDir: string, db: Low<StateView>, keysDir: string) {
    this.path = path;
    this.artifactsDir = artifactsDir;
    this.db = db;
    this.keysDir = keysDir;
  }

  /** Keys whose attestations make operator records count: the installation's, read again while it has none (the first record makes its key). */
  private get trusted(): readonly TrustedKey[] {
    if (this.trustedKeys.length === 0) this.trustedKeys = installationTrustedKeys(this.keysDir);
    return this.trustedKeys;
  }

  /** Reads the view and folds in what the journals gained since; writes nothing until `apply` or `save`. */
  static async open(paths: StatePaths, artifactsDir: string): Promise<StateStore> {
    const path = stateViewPath(paths);
    const db = openStateViewFile(path);
    await db.read();
    const store = new StateStore(path, artifactsDir, db, paths.keys);
    store.catchUp();
    return store;
  }

  get view(): StateView {
    return this.db.data;
  }

  /**
   * Folds one record just written to the journal in `journalDir`, then writes the view.
   * A record that does not follow what the view has of that journal (another process
   * wrote in between, or it is a repeat already folded) is found by reading the journal on.
   */
  async apply(journalDir: string, record: JournalRecord): Promise<void> {
    const cursor = this.view.journals[journalKey(journalDir)] ?? startCursor();
    // The operator journal is read back from the file: its record counts once its attestation is there.
    if (record.prev_hash === cursor.head_hash && journalKey(journalDir) !== OPERATOR_DIR) {
      const next = foldRecord(this.view, journalDir, record);
      // The journal writes each record as JSON.stringify(record) and a newline.
      const bytes = cursor.bytes + Buffer.byteLength(JSON.stringify(record), 'utf8') + 1;
      const key = journalKey(journalDir);
      this.db.data = { ...next, journals: { ...next.journals, [key]: { ...(next.journals[key] ?? startCursor()), bytes } } };
    } else if (!this.continueJournal({ dir: journalDir, path: join(journalDir, JOURNAL_FILE) })) {
      this.rebuild();
    }
    await this.save();
  }

  async save(): Promise<void> {
    await this.db.write();
  }

  private catchUp(): void {
    const view = this.view;
    const foreign = view.artifacts_dir === null ? Object.keys(view.journals).length > 0 : view.artifacts_dir !== this.artifactsDir;
    if (foreign) return this.rebuild();
    if (view.artifacts_dir === null) this.db.data = { ...view, artifacts_dir: this.artifactsDir };
    const locations = findJournals(this.artifactsDir);
    const present = new Set(locations.map((l) => journalKey(l.dir)));
    if (Object.keys(view.journals).some((key) => !present.has(key))) return this.rebuild();
    for (const location of locations) {
      if (!this.continueJournal(location)) return this.rebuild();
    }
  }

  /** Folds the records a journal gained after its cursor; false when it cannot be continued. */
  private continueJournal(location: JournalLocation): boolean {
    const tail = readJournalAfter(location, this.view.journals[journalKey(location.dir)] ?? startCursor(), this.trusted);
    if (tail === null) return false;
    if (tail.problem !== null) this.problems.push(tail.problem);
    this.db.data = foldJournal(this.view, tail.content);
    return true;
  }

  private rebuild(): void {
    const rebuilt = stateFromJournals(this.artifactsDir, this.trusted);
    this.problems.splice(0, this.problems.length, ...rebuilt.problems);
    this.db.data = rebuilt.view;
  }
}
