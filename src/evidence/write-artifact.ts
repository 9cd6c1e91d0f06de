// Evidence is never overwritten. An artifact is written to a temp file, fsync'd, then
// hard-linked to its final name: link fails with EEXIST when the name is taken, so the
// artifact appears whole or not at all and an existing one is never replaced, even by
// two writers racing for the same name (a rename would silently replace).
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, linkSync, mkdirSync, openSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { syncFolder } from '../fs/atomic-write.ts';
import { plainFileNameProblem } from './artifact-name.ts';

export interface WrittenArtifact {
  path: string;
  /** SHA-256 (hex) of the bytes written. */
  sha256: string;
  bytes: number;
}

export class ArtifactExistsError extends Error {
  readonly path: string;
  constructor(path: string) {
    super(`evidence is never overwritten: ${path} already exists`);
    this.name = 'ArtifactExistsError';
    this.path = path;
  }
}

export interface WriteArtifactOptions {
  /** File mode on creation (before the umask); 0o644 unless given. */
  mode?: number;
}

/** Writes `dir/name` once; throws ArtifactExistsError if it is already there. */
export function writeArtifact(dir: string, name: string, content: string | Uint8Array, options: WriteArtifactOptions = {}): WrittenArtifact {
  const problem = plainFileNameProblem(name);
  if (problem !== null) throw new RangeError(`artifact name: ${problem}`);
  const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
  mkdirSync(dir, { recursive: true });
  const path = join(dir, name);
  const temp = join(dir, `.${name}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  const fd = openSync(temp, 'wx', options.mode ?? 0o644);
  try {
    try {
      writeAll(fd, bytes);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    linkSync(temp, path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw new ArtifactExistsError(path);
    throw error;
  } finally {
    unlinkSync(temp);
  }
  syncFolder(dir);
  return { path, sha256: createHash('sha256').update(bytes).digest('hex'), bytes: bytes.byteLength };
}

// writeSync may write less than asked (large buffers, some file systems).
function writeAll(fd: number, bytes: Uint8Array): void {
  let offset = 0;
  while (offset < bytes.byteLength) offset += writeSync(fd, bytes, offset, bytes.byteLength - offset);
}
