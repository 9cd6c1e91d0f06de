// Loading a contract file: read, parse, validate, check the services against each other,
// then resolve paths, order and hash. Every problem found is returned together, so an
// operator fixes a file in one pass rather than one error per run.
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { canonicalSha256 } from './canonical-json.ts';
import type { Contract, ContractProblem, ResolvedService } from './contract.ts';
import { dependencyOrder } from './dependency-order.ts';
import { findJsonSyntaxError } from './json-error-location.ts';
import { serviceRelationProblems } from './service-relations.ts';
import { validateSpec } from './validate-spec.ts';

export type LoadContractResult = { ok: true; contract: Contract } | { ok: false; problems: ContractProblem[] };

/** Loads and validates the contract at `path` (relative paths are taken from the current folder). */
export async function loadContract(path: string): Promise<LoadContractResult> {
  const file = resolve(path);
  const text = await readText(file);
  if (!text.ok) return { ok: false, problems: [text.problem] };
  const json = parseJson(text.value);
  if (!json.ok) return { ok: false, problems: [json.problem] };

  const validation = validateSpec(json.value);
  const problems = [...(validation.ok ? [] : validation.problems), ...serviceRelationProblems(json.value)];
  if (!validation.ok || problems.length > 0) return { ok: false, problems: byService(problems) };

  const spec = validation.spec;
  const order = dependencyOrder(spec.services.map((s) => ({ name: s.name, dependsOn: s.depends_on })));
  // serviceRelationProblems reports every cycle, so reaching here without an order is a bug.
  if (!order.ok) throw new Error(`dependency cycles were not reported as problems: ${JSON.stringify(order.cycles)}`);
  const folder = dirname(file);
  const byName = new Map(spec.services.map((s) => [s.name, s]));
  const services = order.order.flatMap((name): ResolvedService[] => {
    const service = byName.get(name);
    return service === undefined ? [] : [{ ...service, cwd: resolve(folder, service.cwd) }];
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

type Step<T> = { ok: true; value: T } | { ok: false; problem: ContractProblem };

const OS_REASONS: Record<string, string> = {
  ENOENT: 'no such file',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EISDIR: 'it is a folder, not a file',
  ENOTDIR: 'a part of the path is not a folder',
  ELOOP: 'too many symbolic links',
  ENAMETOOLONG: 'the path is too long',
};

async function readText(file: string): Promise<Step<string>> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const known = code === undefined ? undefined : OS_REASONS[code];
    // Node's own message already names the code and the path for rarer failures.
    const reason = known === undefined ? (error instanceof Error ? error.message : String(error)) : `${known} (${code})`;
    return { ok: false, problem: { path: 'file', message: `cannot read ${file}: ${reason}` } };
  }
  // Windows editors may save "Unicode" (UTF-16); decoding it as UTF-8 would give a baffling error.
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    return { ok: false, problem: { path: 'file', message: 'is UTF-16 text: save it as UTF-8' } };
  }
  try {
    return { ok: true, value: new TextDecoder('utf-8', { fatal: true }).decode(bytes) };
  } catch {
    return { ok: false, problem: { path: 'file', message: 'is not UTF-8 text: save it as UTF-8' } };
  }
}

function parseJson(text: string): Step<unknown> {
  // An editor may save a byte order mark; it is not part of the JSON, and columns are
  // counted without it, as the editor shows them.
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  if (/^[ \t\r\n]*$/.test(body)) {
    return { ok: false, problem: { path: 'file', message: 'is empty: expected a JSON object with "name", "version" and "services"' } };
  }
  try {
    return { ok: true, value: JSON.parse(body) };
  } catch (error) {
    const syntax = findJsonSyntaxError(body);
    if (syntax !== undefined) return { ok: false, problem: { path: `line ${syntax.line}:${syntax.column}`, message: syntax.message } };
    // Only if the scanner and JSON.parse ever disagree: still a clear, non-crashing answer.
    return { ok: false, problem: { path: 'file', message: `is not valid JSON: ${error instanceof Error ? error.message : String(error)}` } };
  }
}
