// Pipelines as operators write them: the shipped one loads; every kind of mistake is
// reported with the field path and what was expected, all at once.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PIPELINE_JSON_SCHEMA_PATH, pipelineJsonSchemaText } from '../../cli/write-json-schema.ts';
import { DEFAULT_PIPELINE_PATH, loadPipeline } from '../../src/pipeline/load-pipeline.ts';
import { findGate, previousGate } from '../../src/pipeline/pipeline.ts';

const dir = mkdtempSync(join(tmpdir(), 'evident-pipeline-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let files = 0;
function writePipeline(content: unknown): string {
  const path = join(dir, `pipeline-${files++}.json`);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return path;
}

const shipped = () => JSON.parse(readFileSync(DEFAULT_PIPELINE_PATH, 'utf8')) as { gates: Record<string, unknown>[] } & Record<string, unknown>;

async function problemsOf(content: unknown): Promise<string[]> {
  const result = await loadPipeline(writePipeline(content));
  if (result.ok) throw new Error('expected problems, the pipeline loaded');
  return result.problems.map((p) => `${p.path}: ${p.message}`);
}

describe('loadPipeline', () => {
  it('loads the shipped pipeline: prerequisites, Gates 1 to 5, release, in order, with defaults filled in', async () => {
    const result = await loadPipeline(DEFAULT_PIPELINE_PATH);
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    const { pipeline } = result;
    expect(pipeline.gates.map((g) => g.id)).toEqual(['prerequisites', 'gate1', 'gate2', 'gate3', 'gate4', 'gate5', 'release']);
    expect(pipeline.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(pipeline.spec.environment).toEqual({ PYTHONHASHSEED: '0' });
    const gate1 = findGate(pipeline, '1');
    expect(gate1?.kind === 'start-stop-cycles' && gate1.parameters).toEqual({ cycles: 10, duration_s: 1800, interval_s: 5 });
    expect(findGate(pipeline, 'prerequisites')?.kind).toBe('preflight');
    expect(findGate(pipeline, '9')).toBeUndefined();
    expect(previousGate(pipeline, gate1 ?? pipeline.gates[0]!)?.id).toBe('prerequisites');
    expect(previousGate(pipeline, pipeline.gates[0]!)).toBeNull();
  });

  it('fills in defaults for a gate declared with only its id, title and kind', async () => {
    const result = await loadPipeline(writePipeline({ name: 'p', version: '1.0.0', gates: [{ id: 'gate1', title: 'G1', kind: 'start-stop-cycles' }] }));
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    expect(result.pipeline.gates[0]).toMatchObject({ parameters: { cycles: 10, duration_s: 1800, interval_s: 5 }, criteria: { max_failed_health_checks: 0, max_leftovers: 0 } });
    expect(result.pipeline.spec.environment).toEqual({});
  });

  it('names each bad field with what was expected, all in one pass', async () => {
    const spec = shipped();
    (spec.gates[1] as { parameters: Record<string, unknown> }).parameters = { cycles: 'ten', duration_s: -1, interval_s: 5, cycle: 3 };
    spec.gates[2] = { ...spec.gates[2], kind: 'chaos' };
    spec.version = 'one';
    expect(await problemsOf(spec)).toEqual([
      'version: expected a semantic version such as 1.0.0, got "one"',
      'gates[1].parameters.cycles: expected a number 1–10000, got "ten"',
      'gates[1].parameters.duration_s: expected a number of seconds above 0 and at most 604800, got -1',
      'gates[1].parameters.cycle: unknown field (did you mean "cycles"?)',
      'gates[2].kind: expected "preflight", "start-stop-cycles", "soak", "security", "backup-restore", "determinism" or "release", got "chaos"',
    ]);
  });

  it('refuses a repeated id, prerequisites after a gate, and a release before the end', async () => {
    const spec = shipped();
    spec.gates = [spec.gates[1]!, spec.gates[0]!, spec.gates[6]!, { ...spec.gates[1]! }];
    expect(await problemsOf(spec)).toEqual([
      'gates[1].kind: a "preflight" gate checks the machine before anything else: it must be the first gate',
      'gates[2].kind: a "release" gate judges every gate before it: it must be the last gate',
      'gates[3].id: "gate1" is already the id of gates[0]',
    ]);
  });

  it('gives a JSON syntax error its line and column, and an empty file or no gates a plain message', async () => {
    expect(await problemsOf('{\n  "name": "p",\n  "version": "1.0.0"\n  "gates": []\n}')).toEqual([expect.stringMatching(/^line 4:3: /)]);
    expect(await problemsOf('  \n')).toEqual(['file: is empty: expected a JSON object with "name", "version" and "gates"']);
    expect(await problemsOf({ name: 'p', version: '1.0.0', gates: [] })).toEqual(['gates: expected at least one gate']);
    expect(await problemsOf({ name: 'p', version: '1.0.0', gates: [{ id: 'Gate 1', title: 'x', kind: 'release' }], environment: { 'BAD NAME': '1' } })).toEqual([
      'environment["BAD NAME"]: expected an environment variable name, got "BAD NAME"',
      'gates[0].id: expected a short lowercase id of letters, digits and dashes, such as "gate1", got "Gate 1"',
    ]);
  });

  it('declares the traffic profile and criteria of Gate 2, and reports a bad endpoint by its path', async () => {
    const result = await loadPipeline(DEFAULT_PIPELINE_PATH);
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    const gate2 = findGate(result.pipeline, '2');
    if (gate2?.kind !== 'soak') throw new Error(`gate2 is ${gate2?.kind}`);
    expect(gate2.parameters.traffic.endpoints.map((e) => [e.name, e.path, e.rate_per_s, e.stream])).toEqual([
      ['chat', '/v1/chat', 1, true],
      ['action', '/v1/action', 0.5, false],
      ['tool', '/v1/tools/run', 0.25, false],
    ]);
    expect(gate2.parameters.traffic.session_cycle?.every_s).toBe(300);
    expect(gate2.criteria).toMatchObject({ max_error_rate: 0.005, max_memory_growth: 0.05, max_restarts: 0, sustained: [{ metric: 'p95_ms', above: 2000, minutes: 3 }] });

    const spec = shipped();
    const traffic = (spec.gates[2] as { parameters: { traffic: { endpoints: Record<string, unknown>[] } } }).parameters.traffic;
    traffic.endpoints[0] = { ...traffic.endpoints[0], rate_per_s: 0, path: 'v1/chat' };
    expect(await problemsOf(spec)).toEqual([
      'gates[2].parameters.traffic.endpoints[0].path: expected a path starting with "/", got "v1/chat"',
      'gates[2].parameters.traffic.endpoints[0].rate_per_s: expected requests per second above 0, got 0',
    ]);
  });

  it('reports a missing file by its path', async () => {
    const result = await loadPipeline(join(dir, 'nope.json'));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems[0]?.message).toMatch(/cannot read .*nope\.json: no such file \(ENOENT\)/);
  });
});

describe('contracts/pipeline.schema.json', () => {
  it('is exactly what the generator produces from the zod schema (regenerate: node cli/write-json-schema.ts)', () => {
    expect(readFileSync(PIPELINE_JSON_SCHEMA_PATH, 'utf8')).toBe(pipelineJsonSchemaText());
  });

  it('lists every gate kind for editors', () => {
    const schema = JSON.parse(pipelineJsonSchemaText()) as { properties: { gates: { items: { oneOf: { properties: { kind: { const?: string; enum?: string[] } } }[] } } } };
    const kinds = schema.properties.gates.items.oneOf.flatMap((g) => g.properties.kind.const ?? g.properties.kind.enum ?? []);
    expect(kinds).toEqual(['preflight', 'start-stop-cycles', 'soak', 'security', 'backup-restore', 'determinism', 'release']);
  });
});
