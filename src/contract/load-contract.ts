// Loading a contract file: read, parse, validate, check the services against each other,
// then resolve paths, order and hash. Every problem found is returned together, so an
// operator fixes a file in one pass rather than one error per run.
import { dirname, resolve } from 'node:path';
import { canonicalSha256 } from './canonical-json.ts';
import type { Contract, ContractProblem, ResolvedService } from './contract.ts';
import { daemonFieldProblems } from './daemon-fields.ts';
import { dependencyOrder } from './dependency-order.ts';
import { readJsonFile } from './read-json-file.ts';
import { serviceRelationProblems } from './service-relations.ts';
import { resolveRestart } from './restart-policy.ts';
import { DEFAULT_STOP_SIGNAL } from './service-signals.ts';
import { validateSpec } from './validate-spec.ts';

export type LoadContractResult = { ok: true; contract: Contract } | { ok: false; problems: ContractProblem[] };

/** Loads and validates the contract at `path` (relative paths are taken from the current folder). */
export async function loadContract(path: string): Promise<LoadContractResult> {
  const file = resolve(path);
  const json = await readJsonFile(file, 'expected a JSON object with "name", "version" and "services"');
  if (!json.ok) return { ok: false, problems: [json.problem] };

  const validation = validateSpec(json.value);
  const problems = [...(validation.ok ? [] : validation.problems), ...serviceRelationProblems(json.value), ...daemonFieldProblems(json.value)];
  if (!validation.ok || problems.length > 0) return { ok: false, problems: byService(problems) };

  // `$schema` only points an editor at the JSON Schema: not part of what is declared, hashed or locked.
  const { $schema: _editorHint, ...spec } = validation.spec;
  const order = dependencyOrder(spec.services.map((s) => ({ name: s.name, dependsOn: s.depends_on })));
  // serviceRelationProblems reports every cycle, so reaching here without an order is a bug.
  if (!order.ok) throw new Error(`dependency cycles were not reported as problems: ${JSON.stringify(order.cycles)}`);
  const folder = dirname(file);
  const byName = new Map(spec.services.map((s) => [s.name, s]));
  const services = order.order.flatMap((name): ResolvedService[] => {
    const service = byName.get(name);
    if (service === undefined) return [];
    const { pid_file: pidFile, ...rest } = service;
    return [{
      ...rest,
      cwd: resolve(folder, service.cwd),
      stop_signal: service.stop_signal ?? DEFAULT_STOP_SIGNAL,
      daemonizes: service.daemonizes ?? false,
      restart: resolveRestart(service.restart),
      ...(pidFile === undefined ? {} : { pid_file: resolve(folder, pidFile) }),
    }];
  });
  return {
    ok: true,
    contract: { path: file, name: spec.name, version: spec.version, hash: canonicalSha256(spec), spec, services },
  };
}

/** Problems grouped by service (stable), so an operator fixes one service at a time; whole-contract ones first. */
function byService(problems: ContractProblem[]): ContractProblem[] {
  const serviceIndex = (p: ContractProblem) => Number(/^services\[(\d+)\]/.exec(p.path)?.[1] ?? -1);
  return problems.toSorted((a, b) => serviceIndex(a) - serviceIndex(b));
}

