// SHA-256 of evidence files, streamed in fixed-size chunks so a multi-gigabyte journal or
// log is hashed in constant memory, and a few files at once so reading one overlaps
// hashing another.
import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';
import { join } from 'node:path';

export interface HashedFile {
  name: string;
  sha256: string;
  bytes: number;
}

// Large enough that per-read overhead vanishes next to hashing; small enough to stay in cache.
const CHUNK_BYTES = 1 << 20;
const DEFAULT_CONCURRENCY = 4;

/** SHA-256 (hex) of a file's content. */
export async function sha256File(path: string): Promise<string> {
  return (await hashOneFile(path)).sha256;
}

/**
 * SHA-256 and size of each of `names` (relative to `dir`), in the order given. Hashes at
 * most `concurrency` files at a time; rejects with the first error (a missing file…).
 */
export async function hashFiles(dir: string, names: readonly string[], concurrency = DEFAULT_CONCURRENCY): Promise<HashedFile[]> {
  if (!Number.isSafeInteger(concurrency) || concurrency < 1) throw new RangeError(`hashFiles: concurrency must be a whole number ≥ 1, got ${concurrency}`);
  const results: HashedFile[] = new Array<HashedFile>(names.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < names.length) {
      const index = next++;
      const name = names[index] as string;
      const { sha256, bytes } = await hashOneFile(join(dir, name));
      results[index] = { name, sha256, bytes };
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, names.length) }, worker));
  return results;
}

async function hashOneFile(path: string): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash('sha256');
  const handle = await open(path, 'r');
  try {
    // One buffer per file, reused for every chunk: hash.update consumes it before the next read.
    const buffer = Buffer.allocUnsafe(CHUNK_BYTES);
    let bytes = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, CHUNK_BYTES, null);
      if (bytesRead === 0) break;
      hash.update(buffer.subarray(0, bytesRead));
      bytes += bytesRead;
    }
    return { sha256: hash.digest('hex'), bytes };
  } finally {
    await handle.close();
  }
}
