// A validated contract, kept in state/cache/ under a key that covers everything the
// validation depends on: the contract file's exact bytes, its path (relative cwd values
// resolve against it), and the code that validates (every module of this folder). A
// changed byte in any of them is another key, so a cached contract is never stale; a
// hit lets a command skip loading zod (~85 ms and ~17 MB), which status and the
// console's first frame feel.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeFileAtomic } from '../fs/atomic-write.ts';
import type { Contract } from './contract.ts';

let validatorFingerprint: string | null = null;

/** A hash of the validating code itself: this folder's modules, as they run. */
function fingerprint(): string {
  if (validatorFingerprint !== null) return validatorFingerprint;
  const folder = fileURLToPath(new URL('.', import.meta.url));
  const hash = createHash('sha256');
  for (const file of readdirSync(folder).sort()) {
    if (!/\.(js|ts)$/.test(file)) continue;
    hash.update(file).update('\0').update(readFileSync(join(folder, file))).update('\0');
  }
  validatorFingerprint = hash.digest('hex');
  return validatorFingerprint;
}

export function contractCacheKey(path: string, bytes: Uint8Array): string {
  return createHash('sha256').update(fingerprint()).update('\0').update(path).update('\0').update(bytes).digest('hex');
}

export function readCachedContract(cacheDir: string, key: string): Contract | null {
  try {
    const cached = JSON.parse(readFileSync(join(cacheDir, `contract-${key}.json`), 'utf8')) as { key?: string; contract?: Contract };
    return cached.key === key && cached.contract ? cached.contract : null;
  } catch {
    return null;
  }
}

export function writeCachedContract(cacheDir: string, key: string, contract: Contract): void {
  try {
    writeFileAtomic(join(cacheDir, `contract-${key}.json`), JSON.stringify({ key, contract }));
  } catch {
    // A cache that cannot be written only costs the next command the validation.
  }
}
