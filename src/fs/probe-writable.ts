// Whether a folder can take evidence: create it if needed, write a file, fsync it and
// remove it — what every journal append and artifact will do there. Null when all of
// that works, else what failed, in the operating system's words.
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, rmSync, statfsSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';

export function writableProblem(folder: string): string | null {
  const probe = join(folder, `.evident-write-probe-${process.pid}`);
  try {
    mkdirSync(folder, { recursive: true });
    const fd = openSync(probe, 'wx');
    try {
      writeSync(fd, 'evident write probe\n');
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    return null;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code ? `${(error as NodeJS.ErrnoException).code}: ${(error as Error).message}` : String(error);
  } finally {
    rmSync(probe, { force: true });
  }
}

/** Free bytes for an unprivileged writer on the file system holding `folder` (or its nearest existing parent). */
export function freeBytes(folder: string): number {
  let existing = folder;
  while (!existsSync(existing) && dirname(existing) !== existing) existing = dirname(existing);
  const stats = statfsSync(existing);
  return stats.bavail * stats.bsize;
}
