// Makes sure the state folder and its subfolders exist, are ours alone and can be written,
// so a bad --state-dir is one clear sentence rather than a failure halfway through a start.
// The state folder holds pid files (evident signals what they name) and the signing keys
// (evident trusts them): a folder another user can write is refused, never used.
import { accessSync, constants, existsSync, mkdirSync, statSync } from 'node:fs';
import type { StatePaths } from '../paths/state-paths.ts';
import { foreignControlProblem } from '../platform/owner-only.ts';

const HOW_TO_FIX = 'make it yours alone (chown, then chmod 700), or choose another';

/** The folders of a state folder that hold what evident signals or trusts. */
function trustedFolders(paths: StatePaths): string[] {
  return [paths.root, paths.pids, paths.logs, paths.data, paths.keys];
}

/** Returns null when usable, else what is wrong, in words. New folders are created owner-only. */
export function prepareStateDir(paths: StatePaths): string | null {
  for (const folder of [paths.root, paths.pids, paths.logs, paths.data]) {
    try {
      mkdirSync(folder, { recursive: true, mode: 0o700 });
      if (!statSync(folder).isDirectory()) return `state folder ${folder} is not a folder`;
      accessSync(folder, constants.W_OK);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EEXIST' || code === 'ENOTDIR') return `state folder ${folder}: a file is in the way`;
      if (code === 'EACCES' || code === 'EPERM') return `state folder ${folder} is not writable`;
      return `state folder ${folder}: ${(error as Error).message}`;
    }
  }
  return checkStateDirTrusted(paths);
}

/** For commands that only read state: a missing folder is an empty state, a file is not. */
export function checkStateDirReadable(paths: StatePaths): string | null {
  for (const folder of [paths.root, paths.pids]) {
    if (existsSync(folder) && !statSync(folder).isDirectory()) return `state folder ${folder}: a file is in the way`;
  }
  return checkStateDirTrusted(paths);
}

/** Null when every existing folder of the state folder is controlled by this user alone. */
export function checkStateDirTrusted(paths: StatePaths): string | null {
  for (const folder of trustedFolders(paths)) {
    if (!existsSync(folder)) continue;
    const problem = foreignControlProblem(folder);
    if (problem !== null) return `state folder ${folder} ${problem}: ${HOW_TO_FIX}`;
  }
  return null;
}
