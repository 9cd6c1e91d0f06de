// One writer at a time per journal: `<journal>.lock`, created whole and exclusively (see
// src/fs/lock-file.ts), holding the writer's pid. It is held for one write batch only
// (milliseconds), so the console and a short CLI command can append to the same journal
// one after the other. A lock whose pid is gone was left by a crash and is taken over.
import { unlinkSync } from 'node:fs';
import { createLockFile, readLockFile, removeStaleLockFile } from '../fs/lock-file.ts';
import { isPidAlive } from '../fs/lock-holder.ts';

export interface JournalLockHolder {
  pid: number;
  acquired_at: string;
}

export interface JournalLock {
  path: string;
  holder: JournalLockHolder;
  release(): void;
}

export interface JournalLockOptions {
  /** How long to wait for a live holder to let go. Default 3000 ms. */
  waitMs?: number;
}

const MAX_BACKOFF_MS = 25;

export function journalLockPath(journalPath: string): string {
  return `${journalPath}.lock`;
}

export async function acquireJournalLock(journalPath: string, options: JournalLockOptions = {}): Promise<JournalLock> {
  const path = journalLockPath(journalPath);
  const deadline = Date.now() + (options.waitMs ?? 3_000);
  let backoff = 1;
  for (;;) {
    const holder: JournalLockHolder = { pid: process.pid, acquired_at: new Date().toISOString() };
    const text = `${JSON.stringify(holder)}\n`;
    if (createLockFile(path, text)) {
      return {
        path,
        holder,
        release: () => {
          // Only our own lock: never one another writer took over.
          if (readLockFile(path) === text) unlinkSync(path);
        },
      };
    }
    const judged = readLockFile(path);
    if (judged === null) continue; // released between our attempt and the read
    // Lock files appear whole, so one that does not parse is damaged: stale too.
    const current = parseHolder(judged);
    const stale = current === null || !isPidAlive(current.pid);
    if (stale && removeStaleLockFile(path, judged)) continue;
    if (Date.now() >= deadline) {
      const who = current === null ? 'a damaged lock file' : `pid ${current.pid} (since ${current.acquired_at})`;
      throw new Error(`journal ${journalPath} is locked by ${who}; if no evident process is writing it, remove ${path}`);
    }
    await new Promise((resolve) => setTimeout(resolve, backoff));
    backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
  }
}

function parseHolder(text: string): JournalLockHolder | null {
  try {
    const parsed = JSON.parse(text) as Partial<JournalLockHolder>;
    return Number.isInteger(parsed.pid) && typeof parsed.acquired_at === 'string' ? (parsed as JournalLockHolder) : null;
  } catch {
    return null;
  }
}
