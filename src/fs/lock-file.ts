// The file mechanics shared by evident's locks (the fleet lock, journal writer locks):
// a lock file that appears whole or not at all, and the safe removal of a stale one.
// Deciding whether a holder is still alive is the caller's business.
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, linkSync, openSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';
import { CREATE_NEW } from '../platform/open-flags.ts';

/** A takeover claim is held for a few synchronous calls; one this old was left by a crash. */
const CLAIM_STALE_MS = 10_000;

/**
 * Creates the lock file with `text`, or returns false if one is there. Written to a file
 * of our own, then linked into place (which fails if the name exists), so no one ever
 * reads a half-written lock.
 */
export function createLockFile(path: string, text: string): boolean {
  // An unpredictable name, created new: a link planted at a guessable name is never written through.
  const temp = `${path}.${randomBytes(8).toString('hex')}.tmp`;
  try {
    const fd = openSync(temp, CREATE_NEW, 0o644);
    try {
      writeSync(fd, text);
    } finally {
      closeSync(fd);
    }
    linkSync(temp, path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    rmSync(temp, { force: true });
  }
}

export function readLockFile(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

/**
 * Removes the stale lock that was judged, and only that one: while its holder was being
 * checked, another process may have taken the lock over and written its own. Of all the
 * processes that judged the same stale lock, only the one that creates the claim file
 * named after it may remove it, and only if it is still there. True when this process
 * removed it (or it was already gone), so trying again now makes sense.
 */
export function removeStaleLockFile(path: string, judged: string): boolean {
  const claim = `${path}.${createHash('sha256').update(judged).digest('hex').slice(0, 16)}.takeover`;
  try {
    closeSync(openSync(claim, 'wx'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    // Another process is removing it right now; a claim left by a crash is cleared.
    if (ageMs(claim) > CLAIM_STALE_MS) rmSync(claim, { force: true });
    return false;
  }
  try {
    if (readLockFile(path) === judged) rmSync(path, { force: true });
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
