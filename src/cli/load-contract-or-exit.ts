// Loads and validates the contract for a command; every problem listed, exit 2. A
// contract validated before (same bytes, same path, same validating code) comes from
// the cache in the state folder without loading zod. Kept apart from open-fleet.ts so
// `status` does not load the supervisor's modules.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Contract } from '../contract/contract.ts';
import { contractCacheKey, readCachedContract, writeCachedContract } from '../contract/contract-cache.ts';
import { UsageError } from './exit-codes.ts';

export const DEFAULT_CONTRACT = 'contracts/boot-contract.json';

export async function loadContractOrExit(path: string | undefined, stateRoot?: string): Promise<Contract> {
  const file = resolve(path ?? process.env.EVIDENT_CONTRACT ?? DEFAULT_CONTRACT);
  // Only an existing state folder gets a cache: a reading command never creates one.
  const cacheDir = stateRoot && existsSync(stateRoot) ? join(stateRoot, 'cache') : null;
  let key: string | null = null;
  if (cacheDir) {
    try {
      key = contractCacheKey(file, readFileSync(file));
      const cached = readCachedContract(cacheDir, key);
      if (cached) return cached;
    } catch {
      // Unreadable: the loader below says why, precisely.
    }
  }
  const [{ loadContract }, { formatProblems }] = await Promise.all([import('../contract/load-contract.ts'), import('../contract/format-problems.ts')]);
  const loaded = await loadContract(file);
  if (!loaded.ok) throw new UsageError(formatProblems(file, loaded.problems).trimEnd());
  if (cacheDir && key) writeCachedContract(cacheDir, key, loaded.contract);
  return loaded.contract;
}
