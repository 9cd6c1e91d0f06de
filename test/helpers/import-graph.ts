// The folders are the layers (DESIGN.md, "Where things live"): this reads every import in
// cli/, components/, gates/, src/ and fleet/ and reports each one that reaches a folder its
// layer may not import, and every circle among the folders of src/. It is the rule's only
// enforcement, so it reads each file with a real parser (oxc, which knows TypeScript and
// JSX: an import in a comment, a string or JSX text is no import) and finds static
// `import … from`, `import '…'`, `export … from` and `import('…')` with a string literal
// (type-only imports count: they are imports too).
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { parseSync, Visitor } from 'oxc-parser';

export interface ImportSite {
  specifier: string;
  line: number;
  kind: 'static' | 'dynamic';
}

export interface Layer {
  folder: string;
  /** top-level folders a file here may import (its own is always allowed) */
  mayImport: string[];
  /** which bare specifiers it may import: any package, or node's own modules only */
  packages: 'any' | 'node';
}

/** The table in DESIGN.md, top to bottom. */
export const LAYERS: Layer[] = [
  { folder: 'cli', mayImport: ['components', 'gates', 'src'], packages: 'any' },
  { folder: 'components', mayImport: ['gates', 'src'], packages: 'any' },
  { folder: 'gates', mayImport: ['src'], packages: 'any' },
  { folder: 'src', mayImport: [], packages: 'any' },
  { folder: 'fleet', mayImport: [], packages: 'node' },
];

export interface Breach {
  kind: 'layer' | 'unresolved' | 'cycle';
  /** the importing file, relative to the root, with forward slashes */
  file: string;
  line: number;
  specifier: string;
  message: string;
}

export interface FolderEdge {
  from: string;
  to: string;
  /** one import that makes the edge: the first by file and line */
  file: string;
  line: number;
  specifier: string;
}

export interface Cycle {
  /** the src/ folders in order, the first repeated at the end: ['a', 'b', 'a'] */
  folders: string[];
  edges: FolderEdge[];
  message: string;
}

export interface LayerReport {
  breaches: Breach[];
  cycles: Cycle[];
  /** the folder graph of src/: folder → folders it imports, each with one import */
  srcGraph: Map<string, Map<string, FolderEdge>>;
  filesRead: number;
}

// ---------------------------------------------------------------------------------------
// Scanning one file

/** A string literal's value, or null (an import of a computed name names no file). */
function literal(node: unknown): string | null {
  const value = (node as { type?: string; value?: unknown } | null)?.type === 'Literal' ? (node as { value: unknown }).value : null;
  return typeof value === 'string' ? value : null;
}

/**
 * Every import in one file's text, in order of position: static (`import … from`,
 * `import '…'`, `export … from`, `import x = require('…')`) and dynamic (`import('…')`,
 * and the type `import('…')`). Parsed by oxc, which knows TypeScript and JSX.
 */
export function scanImports(text: string, jsx: boolean): ImportSite[] {
  const parsed = parseSync(jsx ? 'source.tsx' : 'source.ts', text);
  if (parsed.errors.length > 0) throw new Error(`cannot parse: ${parsed.errors[0]!.message}`);
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') lineStarts.push(i + 1);
  const lineOf = (offset: number): number => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
  const found: { start: number; specifier: string; kind: ImportSite['kind'] }[] = [];
  const add = (start: number, source: unknown, kind: ImportSite['kind']): void => {
    const specifier = literal(source);
    if (specifier !== null) found.push({ start, specifier, kind });
  };
  new Visitor({
    ImportDeclaration: (node) => add(node.start, node.source, 'static'),
    ExportNamedDeclaration: (node) => add(node.start, node.source, 'static'),
    ExportAllDeclaration: (node) => add(node.start, node.source, 'static'),
    TSImportEqualsDeclaration: (node) => add(node.start, (node.moduleReference as { expression?: unknown }).expression, 'static'),
    ImportExpression: (node) => add(node.start, node.source, 'dynamic'),
    TSImportType: (node) => add(node.start, node.source, 'dynamic'),
  }).visit(parsed.program);
  return found.sort((a, b) => a.start - b.start).map(({ start, specifier, kind }) => ({ specifier, line: lineOf(start), kind }));
}

// ---------------------------------------------------------------------------------------
// The tree

function sourceFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const files: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules') files.push(...sourceFiles(path));
    } else if (/\.(ts|tsx|mts|cts)$/.test(entry.name)) {
      files.push(path);
    }
  }
  return files.sort();
}

function toPosix(path: string): string {
  return path.split(sep).join('/');
}

/** A relative specifier's file, as Node and TypeScript would find it, or null. */
function resolveRelative(fromFile: string, specifier: string): string | null {
  const base = resolve(dirname(fromFile), specifier);
  const candidates = [base, base.replace(/\.js$/, '.ts'), base.replace(/\.jsx$/, '.tsx'), base.replace(/\.mjs$/, '.mts'), `${base}.ts`, `${base}.tsx`, join(base, 'index.ts'), join(base, 'index.tsx')];
  for (const candidate of candidates) {
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  return null;
}

function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

/**
 * Reads every source file under the layers' folders of `root` and reports each import that
 * breaks the table, each relative import that reaches no file, and each circle among the
 * folders of `src/` (a file in src/A importing src/B is an edge A → B).
 */
export function checkLayers(root: string, layers: Layer[] = LAYERS): LayerReport {
  const breaches: Breach[] = [];
  const srcGraph = new Map<string, Map<string, FolderEdge>>();
  let filesRead = 0;
  for (const layer of layers) {
    const allowed = new Set([layer.folder, ...layer.mayImport]);
    for (const path of sourceFiles(join(root, layer.folder))) {
      filesRead++;
      const file = toPosix(relative(root, path));
      const sites = scanImports(readFileSync(path, 'utf8'), /\.tsx$/.test(path));
      for (const site of sites) {
        const { specifier, line } = site;
        const how = site.kind === 'dynamic' ? `import('${specifier}')` : `'${specifier}'`;
        const breach = (kind: Breach['kind'], why: string): void => {
          breaches.push({ kind, file, line, specifier, message: `${file}:${line}: ${how} ${why}` });
        };
        if (specifier.startsWith('.') || specifier.startsWith('/')) {
          const target = specifier.startsWith('/') ? (existsSync(specifier) ? specifier : null) : resolveRelative(path, specifier);
          if (target === null) {
            breach('unresolved', 'reaches no file');
            continue;
          }
          const targetRel = toPosix(relative(root, target));
          const [targetFolder] = targetRel.split('/');
          if (targetRel.startsWith('../') || !allowed.has(targetFolder!)) {
            const may = layer.mayImport.length === 0 ? `only ${layer.folder}/` : `only ${layer.folder}/, ${layer.mayImport.map((f) => `${f}/`).join(', ')}`;
            breach('layer', `reaches ${targetRel}: a file in ${layer.folder}/ may import ${may}`);
            continue;
          }
          if (layer.folder === 'src' && targetFolder === 'src') {
            const from = file.split('/')[1]!;
            const to = targetRel.split('/')[1]!;
            if (from !== to && file.split('/').length > 2 && targetRel.split('/').length > 2) {
              const edges = srcGraph.get(from) ?? new Map<string, FolderEdge>();
              srcGraph.set(from, edges);
              if (!edges.has(to)) edges.set(to, { from, to, file, line, specifier });
            }
          }
        } else if (layer.packages === 'node' && !isBuiltin(specifier)) {
          breach('layer', `is package ${packageName(specifier)}: a file in ${layer.folder}/ may import only node's own modules and ${layer.folder}/`);
        }
      }
    }
  }
  return { breaches, cycles: folderCycles(srcGraph), srcGraph, filesRead };
}

/** One circle for each group of src/ folders that reach each other (a strongly connected component), the shortest through its first folder. */
export function folderCycles(graph: Map<string, Map<string, FolderEdge>>): Cycle[] {
  const nodes = [...new Set([...graph.keys(), ...[...graph.values()].flatMap((e) => [...e.keys()])])].sort();
  const next = (n: string): string[] => [...(graph.get(n)?.keys() ?? [])].sort();
  // Tarjan's strongly connected components.
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  const visit = (n: string): void => {
    index.set(n, counter);
    low.set(n, counter);
    counter++;
    stack.push(n);
    onStack.add(n);
    for (const m of next(n)) {
      if (!index.has(m)) {
        visit(m);
        low.set(n, Math.min(low.get(n)!, low.get(m)!));
      } else if (onStack.has(m)) {
        low.set(n, Math.min(low.get(n)!, index.get(m)!));
      }
    }
    if (low.get(n) === index.get(n)) {
      const component: string[] = [];
      let m: string;
      do {
        m = stack.pop()!;
        onStack.delete(m);
        component.push(m);
      } while (m !== n);
      if (component.length > 1) components.push(component.sort());
    }
  };
  for (const n of nodes) if (!index.has(n)) visit(n);
  return components
    .sort((a, b) => a[0]!.localeCompare(b[0]!))
    .map((component) => {
      const members = new Set(component);
      const start = component[0]!;
      // Breadth-first from start, inside the component, back to start.
      const parent = new Map<string, string>();
      const queue = [start];
      let last: string | undefined;
      while (queue.length > 0 && last === undefined) {
        const n = queue.shift()!;
        for (const m of next(n)) {
          if (!members.has(m)) continue;
          if (m === start) {
            last = n;
            break;
          }
          if (!parent.has(m)) {
            parent.set(m, n);
            queue.push(m);
          }
        }
      }
      const path = [start];
      for (let n = last!; n !== start; n = parent.get(n)!) path.splice(1, 0, n);
      path.push(start);
      const edges = path.slice(1).map((to, i) => graph.get(path[i]!)!.get(to)!);
      const message = `src/ folders import each other in a circle: ${path.join(' → ')}\n${edges.map((e) => `  ${e.from} → ${e.to}: ${e.file}:${e.line} imports '${e.specifier}'`).join('\n')}`;
      return { folders: path, edges, message };
    });
}
