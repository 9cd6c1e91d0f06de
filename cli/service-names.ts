// Service names given on the command line must be in the contract.
import type { Contract } from '../src/contract/contract.ts';
import { UsageError } from '../src/errors/exit-codes.ts';

export function requireKnownServices(contract: Contract, names: string[]): string[] {
  const known = contract.services.map((s) => s.name);
  const unknown = names.filter((n) => !known.includes(n));
  if (unknown.length > 0) {
    throw new UsageError(`unknown service${unknown.length > 1 ? 's' : ''} ${unknown.map((n) => `"${n}"`).join(', ')}; the contract has ${known.join(', ')}`);
  }
  return names;
}
