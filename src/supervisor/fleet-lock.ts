// One process controls the fleet at a time: state/fleet.lock names it (pid, start
// token, command). A lock whose holder is gone, or whose pid now belongs to someone
// else, is stale and taken over.
import { createHash } from 'node:crypto';
import { closeSync, linkSync, mkdirSync, openSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Platform } from '../platform/platform.ts';
import { checkIdentity } from './process-identity.ts';

export interface LockHolder {
  pid: number;
  start_token: string;
  argv: string[];
  purpose: string;
  acquired_at: string;
}

/** A takeover claim is held for a few synchronous calls; one this old was left by a crash. */
const CLAIM_STALE_MS = 10_000;

export type LockResult = { ok: true; release: () => void } | { ok: false; holder: LockHolder };

export function lockPath(stateRoot: string): string {
  return join(stateRoot, 'fleet.lock');
}

export async function acquireFleetLock(platform: Platform, stateRoot: string, purpose: string): Promise<LockResult> {
  const path = lockPath(stateRoot);
  mkdirSync(dirname(path), { recursive: true });
  const self = await platform.readProcess(process.pid);
  const holder: LockHolder = {
    pid: process.pid,
    start_token: self?.startToken ?? '',
    argv: self?.argv ?? process.argv,
    purpose,
    acquired_at: new Date().toISOString(),
  };
  for (let attempt = 0; attempt < 20; attempt++) {
    // Contenders for one stale lock take turns; back off so the one removing it can finish.
    if (attempt > 1) await new Promise((r) => setTimeout(r, 5 * attempt));
    // The lock appears whole or not at all: written to a file of our own, then linked
    // into place (which fails if a lock is there), so no one reads it half-written.
    const temp = `${path}.${process.pid}.tmp`;
    try {
      writeFileSync(temp, `${JSON.stringify(holder, null, 2)}\n`);
      linkSync(temp, path);
      return {
        ok: true,
        release: () => {
          const current = readHolder(path);
          if (current?.pid === process.pid) rmSync(path, { force: true });
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    } finally {
      rmSync(temp, { force: true });
    }
    const judged = readText(path);
    const current = parseHolder(judged);
    if (current && current.pid !== process.pid) {
      const seen = await platform.readProcess(current.pid);
      if (checkIdentity(current, seen).same) return { ok: false, holder: current };
    }
    removeIfUnchanged(path, judged);
  }
  throw new Error(`could not take the fleet lock at ${path}`);
}

/** Who holds the lock now, if anyone alive does. */
export async function currentLockHolder(platform: Platform, stateRoot: string): Promise<LockHolder | null> {
  const current = readHolder(lockPath(stateRoot));
  if (!current) return null;
  return checkIdentity(current, await platform.readProcess(current.pid)).same ? current : null;
}

/**
 * Removes the stale lock that was judged, and only that one: while its holder was being
 * checked, another process may have taken the lock over and written its own. Of all the
 * processes that judged the same stale lock, only the one that creates the claim file
 * named after it may remove it, and only if it is still there.
 */
function removeIfUnchanged(path: string, judged: string | null): void {
  if (judged === null) return;
  const claim = `${path}.${createHash('sha256').update(judged).digest('hex').slice(0, 16)}.takeover`;
  try {
    closeSync(openSync(claim, 'wx'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    // Another process is removing it right now; a claim left by a crash is cleared.
    let age = 0;
    try {
      age = Date.now() - statSync(claim).mtimeMs;
    } catch {
      // Released meanwhile.
    }
    if (age > CLAIM_STALE_MS) rmSync(claim, { force: true });
    return;
  }
  try {
    if (readText(path) === judged) rmSync(path, { force: true });
  } finally {
    rmSync(claim, { force: true });
  }
}

function readHolder(path: string): LockHolder | null {
  return parseHolder(readText(path));
}

function readText(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

function parseHolder(text: string | null): LockHolder | null {
  if (text === null) return null;
  try {
    const parsed = JSON.parse(text) as LockHolder;
    return Number.isInteger(parsed.pid) ? parsed : null;
  } catch {
    return null;
  }
}
