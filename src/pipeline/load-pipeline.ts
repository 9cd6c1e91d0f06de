// Loading a pipeline file: read, parse, validate, check the gates against each other,
// then hash. Every problem is returned together, as for the boot contract.
import { resolve } from 'node:path';
import { canonicalSha256 } from '../contract/canonical-json.ts';
import type { ContractProblem } from '../contract/contract.ts';
import { readJsonFile } from '../contract/read-json-file.ts';
import { validateAgainst } from '../contract/schema-problems.ts';
import type { Pipeline } from './pipeline.ts';
import { pipelineSchema, type PipelineSpec } from './pipeline-schema.ts';

export type LoadPipelineResult = { ok: true; pipeline: Pipeline } | { ok: false; problems: ContractProblem[] };

export { DEFAULT_PIPELINE_PATH } from './pipeline.ts';

export async function loadPipeline(path: string): Promise<LoadPipelineResult> {
  const file = resolve(path);
  const json = await readJsonFile(file, 'expected a JSON object with "name", "version" and "gates"');
  if (!json.ok) return { ok: false, problems: [json.problem] };
  const validation = validateAgainst(pipelineSchema, json.value);
  if (!validation.ok) return { ok: false, problems: validation.problems };
  const problems = gateOrderProblems(validation.value);
  if (problems.length > 0) return { ok: false, problems };
  // `$schema` only points an editor at the JSON Schema: not part of what is declared, hashed or locked.
  const { $schema: _editorHint, ...spec } = validation.value;
  return { ok: true, pipeline: { path: file, name: spec.name, version: spec.version, hash: canonicalSha256(spec), spec, gates: spec.gates } };
}

/** Ids are unique; prerequisites can only come first and a release only last. */
export function gateOrderProblems(spec: PipelineSpec): ContractProblem[] {
  const problems: ContractProblem[] = [];
  const seen = new Map<string, number>();
  spec.gates.forEach((gate, index) => {
    const first = seen.get(gate.id);
    if (first !== undefined) problems.push({ path: `gates[${index}].id`, message: `"${gate.id}" is already the id of gates[${first}]` });
    else seen.set(gate.id, index);
    if (gate.kind === 'preflight' && index !== 0) {
      problems.push({ path: `gates[${index}].kind`, message: 'a "preflight" gate checks the machine before anything else: it must be the first gate' });
    }
    if (gate.kind === 'release' && index !== spec.gates.length - 1) {
      problems.push({ path: `gates[${index}].kind`, message: 'a "release" gate judges every gate before it: it must be the last gate' });
    }
  });
  return problems;
}
