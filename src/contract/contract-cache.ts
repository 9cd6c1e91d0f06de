// A validated declaration (the boot contract, a pipeline), kept in state/cache/ under a
// key that covers everything the validation depends on: the file's exact bytes, its path
// (relative cwd values resolve against it), and the code that validates (every module of
// this folder and of src/pipeline). A changed byte in any of them is another key, so a
// cached declaration is never stale; a hit lets a command skip loading zod (~85 ms and
// ~10-17 MB), which status and the console feel.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeFileAtomic } from '../fs/atomic-write.ts';
import type { Contract } from './contract.ts';
import { isReadableDeclaration } from './read-json-file.ts';

let validatorFingerprint: string | null = null;

/** A hash of the validating code itself: this folder's modules, as they run. */
function fingerprint(): string {
  if (validatorFingerprint !== null) return validatorFingerprint;
  const hash = createHash('sha256');
  for (const relative of ['.', '../pipeline/']) {
    const folder = fileURLToPath(new URL(relative, import.meta.url));
    for (const file of readdirSync(folder).sort()) {
      if (!/\.(js|ts)$/.test(file)) continue;
      hash.update(relative).update(file).update('\0').update(readFileSync(join(folder, file))).update('\0');
    }
  }
  validatorFingerprint = hash.digest('hex');
  return validatorFingerprint;
}

export function contractCacheKey(path: string, bytes: Uint8Array): string {
  return createHash('sha256').update(fingerprint()).update('\0').update(path).update('\0').update(bytes).digest('hex');
}

export function readCachedContract(cacheDir: string, key: string): Contract | null {
  return readCached<Contract>(cacheDir, 'contract', key);
}

export function writeCachedContract(cacheDir: string, key: string, contract: Contract): void {
  writeCached(cacheDir, 'contract', key, contract);
}

/** A declaration of `kind` (`contract`, `pipeline`) cached under `key`, or null. */
export function readCached<T>(cacheDir: string, kind: string, key: string): T | null {
  try {
    const cached = JSON.parse(readFileSync(join(cacheDir, `${kind}-${key}.json`), 'utf8')) as { key?: string; value?: T; contract?: T };
    if (cached.key !== key) return null;
    return cached.value ?? cached.contract ?? null;
  } catch {
    return null;
  }
}

export function writeCached(cacheDir: string, kind: string, key: string, value: unknown): void {
  try {
    writeFileAtomic(join(cacheDir, `${kind}-${key}.json`), JSON.stringify({ key, value }));
  } catch {
    // A cache that cannot be written only costs the next command the validation.
  }
}

/**
 * The declaration at `file`, from the cache in `<stateRoot>/cache` when validated before,
 * else from `load` (which validates, and may throw for bad input), then cached. Only an
 * existing state folder gets a cache: a reading command never creates one.
 */
export async function loadCached<T>(kind: string, file: string, stateRoot: string | undefined, load: () => Promise<T>): Promise<T> {
  const cacheDir = stateRoot && existsSync(stateRoot) ? join(stateRoot, 'cache') : null;
  let key: string | null = null;
  // Only a regular file of a declaration's size is read for its key: a FIFO or /dev/zero would hang or never end.
  if (cacheDir && isReadableDeclaration(file)) {
    try {
      key = contractCacheKey(file, readFileSync(file));
      const cached = readCached<T>(cacheDir, kind, key);
      if (cached) return cached;
    } catch {
      // Unreadable: the loader says why, precisely.
    }
  }
  const loaded = await load();
  if (cacheDir && key) writeCached(cacheDir, kind, key, loaded);
  return loaded;
}
