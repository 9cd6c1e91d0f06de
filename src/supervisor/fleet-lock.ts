// One process controls the fleet at a time: state/fleet.lock names it (pid, start
// token, command). A lock whose holder is gone, or whose pid now belongs to someone
// else, is stale and taken over. The background supervisor (evident supervise) holds it
// only until another evident process wants the fleet: that one asks it to leave
// (supervisor-leave-request.ts) and takes the lock once it has.
import { mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createLockFile, readLockFile, removeStaleLockFile } from '../fs/lock-file.ts';
import type { Platform } from '../platform/platform.ts';
import { checkIdentity } from './process-identity.ts';
import { requestLeave, SUPERVISOR_PURPOSE } from './supervisor-leave-request.ts';

export interface LockHolder {
  pid: number;
  start_token: string;
  argv: string[];
  purpose: string;
  acquired_at: string;
  /** The gate run this holder drives, when it is a gate runner. */
  run_id?: string;
}

export type LockResult = { ok: true; release: () => void } | { ok: false; holder: LockHolder };

export function lockPath(stateRoot: string): string {
  return join(stateRoot, 'fleet.lock');
}

export async function acquireFleetLock(platform: Platform, stateRoot: string, purpose: string, runId?: string): Promise<LockResult> {
  const path = lockPath(stateRoot);
  mkdirSync(dirname(path), { recursive: true });
  const self = await platform.readProcess(process.pid);
  const holder: LockHolder = {
    pid: process.pid,
    start_token: self?.startToken ?? '',
    argv: self?.argv ?? process.argv,
    purpose,
    acquired_at: new Date().toISOString(),
    ...(runId === undefined ? {} : { run_id: runId }),
  };
  const text = `${JSON.stringify(holder, null, 2)}\n`;
  for (let attempt = 0; attempt < 20; attempt++) {
    // Contenders for one stale lock take turns; back off so the one removing it can finish.
    if (attempt > 1) await new Promise((r) => setTimeout(r, 5 * attempt));
    if (createLockFile(path, text)) {
      return {
        ok: true,
        release: () => {
          const current = readHolder(path);
          if (current?.pid === process.pid) rmSync(path, { force: true });
        },
      };
    }
    const judged = readLockFile(path);
    if (judged === null) continue; // released meanwhile
    const current = parseHolder(judged);
    if (current && current.pid !== process.pid) {
      const seen = await platform.readProcess(current.pid);
      if (checkIdentity(current, seen).same) {
        if (current.purpose !== SUPERVISOR_PURPOSE || purpose === SUPERVISOR_PURPOSE) return { ok: false, holder: current };
        if (!(await supervisorLeft(platform, stateRoot, current))) return { ok: false, holder: current };
        continue;
      }
    }
    removeStaleLockFile(path, judged);
  }
  throw new Error(`could not take the fleet lock at ${path}`);
}

/** Asks the background supervisor `holder` to let go of the fleet; true once its lock is gone (it finishes what it is doing first). */
async function supervisorLeft(platform: Platform, stateRoot: string, holder: LockHolder, timeoutMs = 30_000): Promise<boolean> {
  requestLeave(stateRoot, holder);
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const current = readHolder(lockPath(stateRoot));
    if (current?.pid !== holder.pid || current.start_token !== holder.start_token) return true;
    if (!checkIdentity(holder, await platform.readProcess(holder.pid)).same) return true;
    await new Promise((r) => setTimeout(r, 20));
  }
  return false;
}

/** Who holds the lock now, if anyone alive does. */
export async function currentLockHolder(platform: Platform, stateRoot: string): Promise<LockHolder | null> {
  const current = readHolder(lockPath(stateRoot));
  if (!current) return null;
  return checkIdentity(current, await platform.readProcess(current.pid)).same ? current : null;
}

function readHolder(path: string): LockHolder | null {
  return parseHolder(readLockFile(path));
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
