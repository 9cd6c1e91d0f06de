// One writer at a time per journal: `<journal>.lock`, created exclusively and holding the
// writer's pid. It is held for one write batch only (milliseconds), so the console and a
// short CLI command can append to the same journal one after the other. A lock whose
// pid is gone was left by a crash and is taken over.
import { closeSync, openSync, readFileSync, rmSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { createHash } from 'node:crypto';

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

/** Between `wx` and the write of the pid the file is empty; one empty this long was left by a crash. */
const UNWRITTEN_STALE_MS = 2_000;
/** A takeover claim lives for a few synchronous calls; one this old was left by a crash. */
const CLAIM_STALE_MS = 10_000;
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
    if (tryCreate(path, text)) {
      return {
        path,
        holder,
        release: () => {
          // Only our own lock: never one another writer took over.
          if (readText(path) === text) unlinkSync(path);
        },
      };
    }
    const judged = readText(path);
    if (judged === null) continue; // released between our attempt and the read
    const current = parseHolder(judged);
    const stale = current === null ? ageMs(path) > UNWRITTEN_STALE_MS : !isAlive(current.pid);
    if (stale && removeIfUnchanged(path, judged)) continue;
    if (Date.now() >= deadline) {
      const who = current === null ? 'a writer that has not yet written its pid' : `pid ${current.pid} (since ${current.acquired_at})`;
      throw new Error(`journal ${journalPath} is locked by ${who}; if no evident process is writing it, remove ${path}`);
    }
    await new Promise((resolve) => setTimeout(resolve, backoff));
    backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
  }
}

function tryCreate(path: string, text: string): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'wx');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  try {
    writeSync(fd, text);
  } catch (error) {
    closeSync(fd);
    rmSync(path, { force: true });
    throw error;
  }
  closeSync(fd);
  return true;
}

/** Alive, or alive under another user (EPERM). */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes the stale lock that was judged and only that one: two writers may judge the
 * same stale lock, and the slower must not remove the fresh lock the faster one made.
 * Only the writer that creates the claim named after the judged content removes it.
 * True when the way is clear to try again now.
 */
function removeIfUnchanged(path: string, judged: string): boolean {
  const claim = `${path}.${createHash('sha256').update(judged).digest('hex').slice(0, 16)}.takeover`;
  try {
    closeSync(openSync(claim, 'wx'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    // Another writer is removing it right now; a claim left by a crash is cleared.
    if (ageMs(claim) > CLAIM_STALE_MS) rmSync(claim, { force: true });
    return false;
  }
  try {
    if (readText(path) === judged) rmSync(path, { force: true });
    return true;
  } finally {
    rmSync(claim, { force: true });
  }
}

function ageMs(path: string): number {
  try {
    return Date.now() - statSync(path).mtimeMs;
  } catch {
    return 0;
  }
}

function readText(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
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
