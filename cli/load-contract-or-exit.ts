// Loads and validates the contract for a command; every problem listed, exit 2. A
// contract validated before (same bytes, same path, same validating code) comes from
// the cache in the state folder without loading zod. Kept apart from open-fleet.ts so
// `status` does not load the supervisor's modules.
import { resolve } from 'node:path';
import type { Contract } from '../src/contract/contract.ts';
import { loadCached } from '../src/contract/contract-cache.ts';
import { UsageError } from '../src/errors/exit-codes.ts';

export const DEFAULT_CONTRACT = 'contracts/boot-contract.json';

export async function loadContractOrExit(path: string | undefined, stateRoot?: string): Promise<Contract> {
  const file = resolve(path ?? process.env.EVIDENT_CONTRACT ?? DEFAULT_CONTRACT);
  return loadCached('contract', file, stateRoot, async () => {
    const [{ loadContract }, { formatProblems }] = await Promise.all([import('../src/contract/load-contract.ts'), import('../src/contract/format-problems.ts')]);
    const loaded = await loadContract(file);
    if (!loaded.ok) throw new UsageError(formatProblems(file, loaded.problems).trimEnd());
    return loaded.contract;
  });
}
