// Makes sure the state folder and its subfolders exist and can be written, so a bad
// --state-dir is one clear sentence rather than a failure halfway through a start.
import { accessSync, constants, existsSync, mkdirSync, statSync } from 'node:fs';
import type { StatePaths } from '../paths/state-paths.ts';

/** Returns null when usable, else what is wrong, in words. */
export function prepareStateDir(paths: StatePaths): string | null {
  for (const folder of [paths.root, paths.pids, paths.logs, paths.data]) {
    try {
      mkdirSync(folder, { recursive: true });
      if (!statSync(folder).isDirectory()) return `state folder ${folder} is not a folder`;
      accessSync(folder, constants.W_OK);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EEXIST' || code === 'ENOTDIR') return `state folder ${folder}: a file is in the way`;
      if (code === 'EACCES' || code === 'EPERM') return `state folder ${folder} is not writable`;
      return `state folder ${folder}: ${(error as Error).message}`;
    }
  }
  return null;
}

/** For commands that only read state: a missing folder is an empty state, a file is not. */
export function checkStateDirReadable(paths: StatePaths): string | null {
  for (const folder of [paths.root, paths.pids]) {
    if (existsSync(folder) && !statSync(folder).isDirectory()) return `state folder ${folder}: a file is in the way`;
  }
  return null;
}
