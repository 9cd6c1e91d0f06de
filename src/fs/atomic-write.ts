// Writes a file so that a crash at any instant leaves either the old or the new
// content, never half of one: temp file, fsync, rename, fsync of the folder. The temp
// file has an unpredictable name and is created new, so nothing planted in its place
// (a file, a symbolic link) is ever written through.
import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { CREATE_NEW } from '../platform/open-flags.ts';

export function writeFileAtomic(path: string, content: string | Uint8Array, mode = 0o644): void {
  const folder = dirname(path);
  mkdirSync(folder, { recursive: true });
  const temp = join(folder, `.${basename(path)}.${randomBytes(8).toString('hex')}.tmp`);
  const fd = openSync(temp, CREATE_NEW, mode);
  try {
    writeSync(fd, typeof content === 'string' ? Buffer.from(content) : content);
    fsyncSync(fd);
  } catch (error) {
    closeSync(fd);
    rmSync(temp, { force: true });
    throw error;
  }
  closeSync(fd);
  renameSync(temp, path);
  syncFolder(folder);
}

/** Makes a rename or unlink in `folder` durable. Windows cannot open folders: skipped there. */
export function syncFolder(folder: string): void {
  if (process.platform === 'win32') return;
  const fd = openSync(folder, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
