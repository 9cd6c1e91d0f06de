// The folders are the layers: cli/ over components/ over gates/ over src/, fleet/ apart,
// and no circle among the folders of src/ (DESIGN.md). The checker is made to fail on small
// trees that break each rule, and to pass one that keeps them; then it reads this
// repository, which must keep every rule.
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { checkLayers, LAYERS, scanImports, type LayerReport } from '../helpers/import-graph.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

describe('scanImports', () => {
  it('finds static, side-effect, re-export, type-only and dynamic imports with their lines', () => {
    const text = [
      "import { a } from './a.ts';", // 1
      "import type { B } from '../b.ts';", // 2
      'import {', // 3
      '  c,',
      '  type D,',
      "} from './c.ts';", // 6
      "import './side-effect.ts';", // 7
      "export * from './star.ts';", // 8
      "export { e } from './e.ts';", // 9
      "export type { F } from './f.ts';", // 10
      "import x, * as ns from 'node:path';", // 11
      "const m = await import('./dynamic.ts');", // 12
      "let t: typeof import('./typeof.ts') | null = null;", // 13
    ].join('\n');
    expect(scanImports(text, false)).toEqual([
      { specifier: './a.ts', line: 1, kind: 'static' },
      { specifier: '../b.ts', line: 2, kind: 'static' },
      { specifier: './c.ts', line: 3, kind: 'static' },
      { specifier: './side-effect.ts', line: 7, kind: 'static' },
      { specifier: './star.ts', line: 8, kind: 'static' },
      { specifier: './e.ts', line: 9, kind: 'static' },
      { specifier: './f.ts', line: 10, kind: 'static' },
      { specifier: 'node:path', line: 11, kind: 'static' },
      { specifier: './dynamic.ts', line: 12, kind: 'dynamic' },
      { specifier: './typeof.ts', line: 13, kind: 'dynamic' },
    ]);
  });

  it('ignores imports in comments and strings, local export lists and import.meta, but not one in a template expression', () => {
    const text = [
      "// import { a } from './comment.ts';",
      "/* import('./block.ts') */",
      "const s = \"import('./string.ts')\";",
      "const u = new URL('./x.ts', import.meta.url);",
      'const v = 1;',
      'export { v };',
      "const t = `${await import('./template.ts')} and import('./template-text.ts')`;", // 7
      "const r = /import\\('.\\/regex.ts'\\)/;",
      "const o = { import: 'not-a-module' };",
    ].join('\n');
    expect(scanImports(text, false)).toEqual([{ specifier: './template.ts', line: 7, kind: 'dynamic' }]);
  });

  it("reads JSX text as text: an apostrophe there opens no string, and an import after it is found", () => {
    const text = [
      "import { Text } from 'ink';",
      'export function A() {',
      "  return <Text color=\"red\">don't {'stop'} <b>it's</b></Text>;",
      '}',
      "export const later = () => import('../later.ts');", // 5
      "export const generic = <T,>(x: T) => x;",
      "export const after = () => import('../after.ts');", // 7
    ].join('\n');
    expect(scanImports(text, true)).toEqual([
      { specifier: 'ink', line: 1, kind: 'static' },
      { specifier: '../later.ts', line: 5, kind: 'dynamic' },
      { specifier: '../after.ts', line: 7, kind: 'dynamic' },
    ]);
  });

  it("finds `import x = require('…')`, skips an import of a computed name, and refuses a file it cannot parse", () => {
    const text = ["import fs = require('node:fs');", 'const name = "./x.ts";', 'const m = await import(name);'].join('\n');
    expect(scanImports(text, false)).toEqual([{ specifier: 'node:fs', line: 1, kind: 'static' }]);
    expect(() => scanImports("import { a from './a.ts';", false)).toThrow(/cannot parse/);
  });
});

describe('checkLayers on small trees', () => {
  let root: string | null = null;
  afterEach(() => {
    if (root !== null) rmSync(root, { recursive: true, force: true });
    root = null;
  });

  /** A tree that keeps every rule: each layer imports the ones below it, and src/ folders in a line. */
  const CLEAN: Record<string, string> = {
    'cli/main.ts': "import { App } from '../components/App.tsx';\nimport { gate } from '../gates/gate.ts';\nimport { core } from '../src/a/core.ts';\nimport { parseArgs } from 'node:util';\nexport const main = () => [App, gate, core, parseArgs];\n",
    'components/App.tsx': "import { Text } from 'ink';\nimport { gate } from '../gates/gate.ts';\nexport const App = () => <Text>don't {String(gate)}</Text>;\n",
    'gates/gate.ts': "import { core } from '../src/a/core.ts';\nexport const gate = () => import('../src/b/leaf.ts').then(() => core);\n",
    'src/a/core.ts': "import { leaf } from '../b/leaf.ts';\nimport { z } from 'zod';\nexport const core = [leaf, z];\n",
    'src/b/leaf.ts': "import { c } from '../c/bottom.ts';\nexport const leaf = c;\n",
    'src/c/bottom.ts': "import { join } from 'node:path';\nexport const c = join;\n",
    'fleet/service.ts': "import { createServer } from 'node:http';\nimport { log } from './lib/log.ts';\nawait import('./lib/log.ts');\nexport const s = [createServer, log];\n",
    'fleet/lib/log.ts': 'export const log = console.log;\n',
    'test/anything.ts': "import { main } from '../cli/main.ts';\nimport { gate } from '../gates/gate.ts';\nexport const t = [main, gate];\n",
  };

  function tree(files: Record<string, string>): LayerReport {
    root = mkdtempSync(join(tmpdir(), 'evident-layers-'));
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), text);
    }
    return checkLayers(root);
  }

  function messages(report: LayerReport): string[] {
    return [...report.breaches.map((b) => b.message), ...report.cycles.map((c) => c.message)];
  }

  it('passes a tree that keeps every rule', () => {
    const report = tree(CLEAN);
    expect(messages(report)).toEqual([]);
    expect(report.filesRead).toBe(8); // test/ is not a layer: it may import anything
    expect([...report.srcGraph.get('a')!.keys()]).toEqual(['b']);
    expect([...report.srcGraph.get('b')!.keys()]).toEqual(['c']);
  });

  it.each([
    ['src/ importing gates/', 'src/c/up.ts', "export const x = 1;\nimport { gate } from '../../gates/gate.ts';\n", 2, '../../gates/gate.ts', 'gates/gate.ts'],
    ['src/ importing components/', 'src/c/up.ts', "import type { App } from '../../components/App.tsx';\n", 1, '../../components/App.tsx', 'components/App.tsx'],
    ['src/ importing cli/', 'src/c/up.ts', "export { main } from '../../cli/main.ts';\n", 1, '../../cli/main.ts', 'cli/main.ts'],
    ['src/ importing test/', 'src/c/up.ts', "import { t } from '../../test/anything.ts';\n", 1, '../../test/anything.ts', 'test/anything.ts'],
    ['gates/ importing components/', 'gates/soak/up.ts', "\n\nimport { App } from '../../components/App.tsx';\n", 3, '../../components/App.tsx', 'components/App.tsx'],
    ['gates/ importing cli/', 'gates/up.ts', "import '../cli/main.ts';\n", 1, '../cli/main.ts', 'cli/main.ts'],
    ['components/ importing cli/', 'components/hooks/use-up.ts', "import {\n  main,\n} from '../../cli/main.ts';\n", 1, '../../cli/main.ts', 'cli/main.ts'],
    ['fleet/ importing src/', 'fleet/lib/up.ts', "import { core } from '../../src/a/core.ts';\n", 1, '../../src/a/core.ts', 'src/a/core.ts'],
    ['a dynamic import from src/ into cli/', 'src/b/late.ts', "export async function late() {\n  return (await import('../../cli/main.ts')).main;\n}\n", 2, '../../cli/main.ts', 'cli/main.ts'],
    ['a dynamic import from components/ into cli/ after JSX text', 'components/Late.tsx', "import { Text } from 'ink';\nexport const Late = () => <Text>it's late</Text>;\nexport const load = () => import('../cli/main.ts');\n", 3, '../cli/main.ts', 'cli/main.ts'],
  ])('reports %s with its file, line and import', (_what, file, text, line, specifier, target) => {
    const report = tree({ ...CLEAN, [file]: text });
    expect(report.cycles).toEqual([]);
    expect(report.breaches).toEqual([expect.objectContaining({ kind: 'layer', file, line, specifier })]);
    expect(report.breaches[0]!.message).toContain(`${file}:${line}: `);
    expect(report.breaches[0]!.message).toContain(`'${specifier}'`);
    expect(report.breaches[0]!.message).toContain(`reaches ${target}`);
  });

  it('reports a package imported by fleet/, which may use only node', () => {
    const report = tree({ ...CLEAN, 'fleet/lib/zod.ts': "import { z } from 'zod/mini';\nexport const schema = z;\n" });
    expect(report.breaches).toEqual([expect.objectContaining({ kind: 'layer', file: 'fleet/lib/zod.ts', line: 1, specifier: 'zod/mini' })]);
    expect(report.breaches[0]!.message).toMatch(/^fleet\/lib\/zod\.ts:1: 'zod\/mini' is package zod/);
  });

  it('reports a relative import that reaches no file', () => {
    const report = tree({ ...CLEAN, 'gates/lost.ts': "import { gone } from '../src/a/gone.ts';\n" });
    expect(report.breaches).toEqual([expect.objectContaining({ kind: 'unresolved', file: 'gates/lost.ts', line: 1, specifier: '../src/a/gone.ts' })]);
  });

  it('names a circle of two src/ folders and one import on each edge', () => {
    const report = tree({ ...CLEAN, 'src/b/back.ts': "// b reaches back to a\nimport { core } from '../a/core.ts';\nexport const back = core;\n" });
    expect(report.breaches).toEqual([]);
    expect(report.cycles).toHaveLength(1);
    const [cycle] = report.cycles;
    expect(cycle!.folders).toEqual(['a', 'b', 'a']);
    expect(cycle!.edges).toEqual([
      { from: 'a', to: 'b', file: 'src/a/core.ts', line: 1, specifier: '../b/leaf.ts' },
      { from: 'b', to: 'a', file: 'src/b/back.ts', line: 2, specifier: '../a/core.ts' },
    ]);
    expect(cycle!.message).toBe(
      [
        'src/ folders import each other in a circle: a → b → a',
        "  a → b: src/a/core.ts:1 imports '../b/leaf.ts'",
        "  b → a: src/b/back.ts:2 imports '../a/core.ts'",
      ].join('\n'),
    );
  });

  it('names a circle of three src/ folders, through a dynamic import in a nested folder', () => {
    const report = tree({ ...CLEAN, 'src/c/deep/back.ts': "export const back = async () => {\n  const { core } = await import('../../a/core.ts');\n  return core;\n};\n" });
    expect(report.breaches).toEqual([]);
    expect(report.cycles).toHaveLength(1);
    expect(report.cycles[0]!.folders).toEqual(['a', 'b', 'c', 'a']);
    expect(report.cycles[0]!.edges.map((e) => `${e.from}→${e.to} ${e.file}:${e.line}`)).toEqual([
      'a→b src/a/core.ts:1',
      'b→c src/b/leaf.ts:1',
      'c→a src/c/deep/back.ts:2',
    ]);
    expect(report.cycles[0]!.message).toContain('a → b → c → a');
  });

  it('reports every breach of a tree, not only the first', () => {
    const report = tree({
      ...CLEAN,
      'src/c/up.ts': "import '../../gates/gate.ts';\nimport '../../cli/main.ts';\n",
      'gates/up.ts': "import '../components/App.tsx';\n",
    });
    expect(report.breaches.map((b) => `${b.file}:${b.line}`).sort()).toEqual(['gates/up.ts:1', 'src/c/up.ts:1', 'src/c/up.ts:2']);
  });
});

describe('checkLayers on this repository', () => {
  it('finds every layer folder and no import that breaks the table', () => {
    for (const layer of LAYERS) expect(existsSync(join(ROOT, layer.folder)), `${layer.folder}/ exists`).toBe(true);
    const report = checkLayers(ROOT);
    expect(report.filesRead).toBeGreaterThan(250);
    expect(report.breaches.map((b) => b.message)).toEqual([]);
  });

  it('finds no circle among the folders of src/: the supervisor emits events, the evidence records them', () => {
    const report = checkLayers(ROOT);
    expect(report.cycles.map((c) => c.message)).toEqual([]);
    expect(report.srcGraph.get('evidence')?.has('supervisor')).toBe(true);
    expect(report.srcGraph.get('supervisor')?.has('evidence') ?? false).toBe(false);
  });
});
