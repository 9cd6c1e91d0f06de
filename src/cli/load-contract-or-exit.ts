// Loads and validates the contract for a command; every problem listed, exit 2. Kept
// apart from open-fleet.ts so `status` does not load the supervisor's modules.
import { resolve } from 'node:path';
import type { Contract } from '../contract/contract.ts';
import { formatProblems } from '../contract/format-problems.ts';
import { loadContract } from '../contract/load-contract.ts';
import { UsageError } from './exit-codes.ts';

export const DEFAULT_CONTRACT = 'contracts/boot-contract.json';

export async function loadContractOrExit(path: string | undefined): Promise<Contract> {
  const file = resolve(path ?? process.env.EVIDENT_CONTRACT ?? DEFAULT_CONTRACT);
  const loaded = await loadContract(file);
  if (!loaded.ok) throw new UsageError(formatProblems(file, loaded.problems).trimEnd());
  return loaded.contract;
}
