// Validates parsed JSON as a boot contract: the schema's problems, in plain words.
import type { ContractProblem } from './contract.ts';
import { validateAgainst } from './schema-problems.ts';
import { contractSchema, type ContractSpec } from './schema.ts';

export type SpecValidation = { ok: true; spec: ContractSpec } | { ok: false; problems: ContractProblem[] };

/** Validates `input` (parsed JSON) and applies defaults; on failure returns every problem found. */
export function validateSpec(input: unknown): SpecValidation {
  const result = validateAgainst(contractSchema, input);
  return result.ok ? { ok: true, spec: result.value } : result;
}
