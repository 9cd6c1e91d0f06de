// Where the state view is kept: `state/evident-state.json`, a lowdb database written
// atomically (temp file, fsync, rename) so a crash leaves the old view or the new one.
// A file that is not a view of this version reads as none: it is rebuilt, never trusted.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Low, type Adapter } from 'lowdb';
import { writeFileAtomic } from '../fs/atomic-write.ts';
import type { StatePaths } from '../paths/state-paths.ts';
import { emptyStateView, STATE_VIEW_VERSION, type StateView } from './state-view.ts';

export const STATE_VIEW_FILE = 'evident-state.json';

export function stateViewPath(paths: StatePaths): string {
  return join(paths.root, STATE_VIEW_FILE);
}

export function openStateViewFile(path: string): Low<StateView> {
  return new Low(new StateViewFile(path), emptyStateView());
}

/** lowdb's adapter for the view: steno's writer has no fsync and one temp name for every process, so the house atomic write instead. */
class StateViewFile implements Adapter<StateView> {
  private readonly path: string;

  constructor(path: string) {
    this.path = path;
  }

  async read(): Promise<StateView | null> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
    try {
      const value = JSON.parse(text) as unknown;
      return looksLikeView(value) ? value : null;
    } catch {
      return null;
    }
  }

  async write(view: StateView): Promise<void> {
    writeFileAtomic(this.path, `${JSON.stringify(withSortedKeys(view), null, 2)}\n`);
  }
}

function looksLikeView(value: unknown): value is StateView {
  if (value === null || typeof value !== 'object') return false;
  const v = value as Record<string, unknown>;
  const isObject = (x: unknown) => x !== null && typeof x === 'object' && !Array.isArray(x);
  return v.version === STATE_VIEW_VERSION && isObject(v.runs) && isObject(v.gates) && isObject(v.journals) && Array.isArray(v.blockers) && Array.isArray(v.signoffs);
}

/** Runs, gates and journals in key order: the same view is the same text, however it was folded. */
function withSortedKeys(view: StateView): StateView {
  const sorted = <T>(record: Record<string, T>) => Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return { ...view, runs: sorted(view.runs), gates: sorted(view.gates), journals: sorted(view.journals) };
}
