// Where runtime data lives. `state/` (pid files, logs, service data) and `artifacts/`
// default to folders under the current directory and can be moved with --state-dir /
// EVIDENT_STATE_DIR and --artifacts-dir / EVIDENT_ARTIFACTS_DIR.
import { createHash } from 'node:crypto';
import { join, resolve } from 'node:path';

export interface StatePaths {
  root: string;
  pids: string;
  logs: string;
  data: string;
  /** The Ed25519 key pair that signs evidence (owner-only). */
  keys: string;
  /** Leftovers found by the last check, kept so a later `evident zombies --reap` knows them. */
  leftovers: string;
  /**
   * A tag every service of this state folder carries in its environment (EVIDENT_FLEET),
   * so a descendant that escaped its process group is still recognisable as ours.
   */
  fleetTag: string;
}

export function resolveStatePaths(flag: string | undefined, env = process.env): StatePaths {
  const root = resolve(flag ?? env.EVIDENT_STATE_DIR ?? 'state');
  return {
    root,
    pids: join(root, 'pids'),
    logs: join(root, 'logs'),
    data: join(root, 'data'),
    keys: join(root, 'keys'),
    leftovers: join(root, 'leftovers.json'),
    fleetTag: createHash('sha256').update(root).digest('hex').slice(0, 16),
  };
}

export function resolveArtifactsDir(flag: string | undefined, env = process.env): string {
  return resolve(flag ?? env.EVIDENT_ARTIFACTS_DIR ?? 'artifacts');
}
