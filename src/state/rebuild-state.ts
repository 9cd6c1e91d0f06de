// `evident state rebuild`: the state view recomputed from the journals alone — the
// operator journal and every run's — and written over whatever view was there.
import { installationTrustedKeys, type TrustedKey } from '../evidence/trusted-keys.ts';
import { findJournals, readJournalAfter } from './artifact-journals.ts';
import type { StatePaths } from '../paths/state-paths.ts';
import { openStateViewFile, stateViewPath } from './state-view-file.ts';
import { reduceState, startCursor, type JournalContent, type StateView } from './state-view.ts';

export interface RebuiltState {
  view: StateView;
  /** Journals with a broken chain: the view holds their records up to the first problem. */
  problems: string[];
}

/** Reads every journal under the artifacts folder and folds it (the operator journal's records attested by a `trusted` key); writes nothing. */
export function stateFromJournals(artifactsDir: string, trusted: readonly TrustedKey[], at = new Date()): RebuiltState {
  const contents: JournalContent[] = [];
  const problems: string[] = [];
  for (const location of findJournals(artifactsDir)) {
    const tail = readJournalAfter(location, startCursor(), trusted);
    // Gone between listing and reading (quarantined this instant): not evidence any more.
    if (tail === null) continue;
    contents.push(tail.content);
    if (tail.problem !== null) problems.push(tail.problem);
  }
  const view = reduceState(contents, artifactsDir);
  // Records read, attestations and records no attestation covers included: the journals' length.
  const records = contents.reduce((sum, c) => sum + (c.position?.records ?? c.records.length), 0);
  return { view: { ...view, rebuilt_from: { journals: contents.length, records, at: at.toISOString() } }, problems };
}

export async function rebuildState(artifactsDir: string, paths: StatePaths): Promise<RebuiltState & { path: string }> {
  const rebuilt = stateFromJournals(artifactsDir, installationTrustedKeys(paths.keys));
  const path = stateViewPath(paths);
  const db = openStateViewFile(path);
  db.data = rebuilt.view;
  await db.write();
  return { ...rebuilt, path };
}
