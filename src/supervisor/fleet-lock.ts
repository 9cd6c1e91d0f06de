// One process controls the fleet at a time: state/fleet.lock names it (pid, start
// token, command). A lock whose holder is gone, or whose pid now belongs to someone
// else, is stale and taken over.
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
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
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, `${JSON.stringify(holder, null, 2)}\n`);
      closeSync(fd);
      return {
        ok: true,
        release: () => {
          const current = readHolder(path);
          if (current?.pid === process.pid) rmSync(path, { force: true });
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const current = readHolder(path);
    if (current && current.pid !== process.pid) {
      const seen = await platform.readProcess(current.pid);
      if (checkIdentity(current, seen).same) return { ok: false, holder: current };
    }
    rmSync(path, { force: true });
  }
  throw new Error(`could not take the fleet lock at ${path}`);
}

/** Who holds the lock now, if anyone alive does. */
export async function currentLockHolder(platform: Platform, stateRoot: string): Promise<LockHolder | null> {
  const current = readHolder(lockPath(stateRoot));
  if (!current) return null;
  return checkIdentity(current, await platform.readProcess(current.pid)).same ? current : null;
}

function readHolder(path: string): LockHolder | null {
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as LockHolder;
    return Number.isInteger(parsed.pid) ? parsed : null;
  } catch {
    return null;
  }
}
