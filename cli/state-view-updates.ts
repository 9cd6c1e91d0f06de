// Keeping the state view current from a command that records. The view is only a view:
// if it cannot be read or written, the command's record still stands, and the operator
// is told how to recompute the view rather than the command failing.
import type { JournalRecord } from '../src/evidence/journal-record.ts';
import type { StatePaths } from '../src/paths/state-paths.ts';
import { StateStore } from '../src/state/state-store.ts';

export async function openStateViewOrWarn(paths: StatePaths, artifactsDir: string): Promise<StateStore | null> {
  try {
    const store = await StateStore.open(paths, artifactsDir);
    for (const problem of store.problems) console.error(`evident: warning: ${problem}\n  the state view leaves out the records from the first problem on`);
    return store;
  } catch (error) {
    warn(error);
    return null;
  }
}

/** Folds the record just written (in the journal in `journalDir`), if any, and writes the view. */
export async function saveStateViewOrWarn(store: StateStore | null, journalDir: string, record: JournalRecord | null): Promise<void> {
  if (store === null) return;
  try {
    if (record === null) await store.save();
    else await store.apply(journalDir, record);
  } catch (error) {
    warn(error);
  }
}

function warn(error: unknown): void {
  console.error(`evident: warning: the state view was not updated (${(error as Error).message}); \`evident state rebuild\` recomputes it from the journals`);
}
