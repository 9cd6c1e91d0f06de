// The folders are the layers (DESIGN.md, "Where things live"): this reads every import in
// cli/, components/, gates/, src/ and fleet/ and reports each one that reaches a folder its
// layer may not import, and every circle among the folders of src/. It is the rule's only
// enforcement, so it reads the source itself: a small scanner that knows comments, strings,
// template literals, regular expressions and JSX text (an apostrophe in `<Text>don't</Text>`
// is not a string), and finds static `import … from`, `import '…'`, `export … from` and
// `import('…')` with a string literal (type-only imports count: they are imports too).
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';

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

interface Token {
  type: 'ident' | 'string' | 'punct' | 'other';
  value: string;
  line: number;
}

const EXPRESSION_KEYWORDS = new Set([
  'return', 'typeof', 'instanceof', 'in', 'of', 'new', 'delete', 'void', 'throw', 'case', 'do', 'else', 'yield', 'await',
]);

function isIdentStart(c: string | undefined): boolean {
  return c !== undefined && /[A-Za-z_$\u0080-\uffff]/.test(c);
}

function isIdentPart(c: string | undefined): boolean {
  return c !== undefined && /[A-Za-z0-9_$\u0080-\uffff]/.test(c);
}

class Scanner {
  private pos = 0;
  private line = 1;
  readonly tokens: Token[] = [];
  private readonly text: string;
  private readonly jsx: boolean;

  constructor(text: string, jsx: boolean) {
    this.text = text;
    this.jsx = jsx;
  }

  scan(): Token[] {
    this.code(null);
    return this.tokens;
  }

  private peek(offset = 0): string | undefined {
    return this.text[this.pos + offset];
  }

  private advance(): string {
    const c = this.text[this.pos++]!;
    if (c === '\n') this.line++;
    return c;
  }

  private push(type: Token['type'], value: string, line: number): void {
    this.tokens.push({ type, value, line });
  }

  /** Whether the last token leaves the scanner where an expression may begin (so `/` starts a regular expression and `<` a JSX element). */
  private expressionMayStart(): boolean {
    const last = this.tokens[this.tokens.length - 1];
    if (!last) return true;
    if (last.type === 'ident') return EXPRESSION_KEYWORDS.has(last.value);
    if (last.type === 'punct') return !(last.value === ')' || last.value === ']' || last.value === '}');
    return false;
  }

  /** Code until the closing character `until` (a `}` ending a template or JSX expression), or the end. */
  private code(until: '}' | null): void {
    let depth = 0;
    while (this.pos < this.text.length) {
      const c = this.peek()!;
      const line = this.line;
      if (c === '\n' || c === ' ' || c === '\t' || c === '\r') {
        this.advance();
      } else if (c === '/' && this.peek(1) === '/') {
        while (this.pos < this.text.length && this.peek() !== '\n') this.advance();
      } else if (c === '/' && this.peek(1) === '*') {
        this.advance();
        this.advance();
        while (this.pos < this.text.length && !(this.peek() === '*' && this.peek(1) === '/')) this.advance();
        this.advance();
        this.advance();
      } else if (c === "'" || c === '"') {
        this.push('string', this.quoted(c), line);
      } else if (c === '`') {
        this.template();
        this.push('other', '`template`', line);
      } else if (c === '/' && this.expressionMayStart()) {
        this.regex();
        this.push('other', '/regex/', line);
      } else if (c === '<' && this.jsx && this.expressionMayStart() && this.tryJsxElement()) {
        this.push('other', '<jsx>', line);
      } else if (isIdentStart(c)) {
        let word = '';
        while (isIdentPart(this.peek())) word += this.advance();
        this.push('ident', word, line);
      } else if (/[0-9]/.test(c)) {
        while (isIdentPart(this.peek()) || this.peek() === '.') this.advance();
        this.push('other', 'number', line);
      } else {
        if (c === '{') depth++;
        if (c === '}') {
          if (depth === 0 && until === '}') {
            this.advance();
            return;
          }
          depth--;
        }
        this.advance();
        if (c === '=' && this.peek() === '>') {
          this.advance();
          this.push('punct', '=>', line);
        } else if (c === '?' && this.peek() === '.' && !/[0-9]/.test(this.peek(1) ?? '')) {
          this.advance();
          this.push('punct', '.', line);
        } else {
          this.push('punct', c, line);
        }
      }
    }
  }

  private quoted(quote: string): string {
    this.advance();
    let value = '';
    while (this.pos < this.text.length) {
      const c = this.advance();
      if (c === '\\') {
        value += this.advance();
      } else if (c === quote || c === '\n') {
        break;
      } else {
        value += c;
      }
    }
    return value;
  }

  private template(): void {
    this.advance();
    while (this.pos < this.text.length) {
      const c = this.advance();
      if (c === '\\') {
        this.advance();
      } else if (c === '`') {
        return;
      } else if (c === '$' && this.peek() === '{') {
        this.advance();
        this.code('}');
      }
    }
  }

  private regex(): void {
    this.advance();
    let inClass = false;
    while (this.pos < this.text.length) {
      const c = this.advance();
      if (c === '\\') this.advance();
      else if (c === '[') inClass = true;
      else if (c === ']') inClass = false;
      else if (c === '/' && !inClass) break;
      else if (c === '\n') break;
    }
    while (isIdentPart(this.peek())) this.advance();
  }

  /** A JSX element or fragment at `<`; if what follows is not one (a type parameter list `<T,>`), nothing is consumed. */
  private tryJsxElement(): boolean {
    const saved = { pos: this.pos, line: this.line, tokens: this.tokens.length };
    if (this.jsxElement()) return true;
    this.pos = saved.pos;
    this.line = saved.line;
    this.tokens.length = saved.tokens;
    return false;
  }

  private skipSpace(): void {
    while (/\s/.test(this.peek() ?? '')) this.advance();
  }

  private jsxName(): string {
    let name = '';
    while (isIdentPart(this.peek()) || this.peek() === '.' || this.peek() === '-' || this.peek() === ':') name += this.advance();
    return name;
  }

  private jsxElement(): boolean {
    this.advance(); // <
    this.skipSpace();
    const name = this.jsxName();
    if (name === '' && this.peek() !== '>') return false;
    if (name !== '' && !isIdentStart(name[0])) return false;
    // attributes
    for (;;) {
      this.skipSpace();
      const c = this.peek();
      if (c === undefined) return false;
      if (c === '/' && this.peek(1) === '>') {
        this.advance();
        this.advance();
        return true;
      }
      if (c === '>') {
        this.advance();
        break;
      }
      if (c === '{') {
        this.advance();
        this.code('}');
        continue;
      }
      if (!isIdentStart(c)) return false;
      this.jsxName();
      this.skipSpace();
      if (this.peek() !== '=') continue;
      this.advance();
      this.skipSpace();
      const v = this.peek();
      if (v === '"' || v === "'") {
        const quote = this.advance();
        while (this.pos < this.text.length && this.peek() !== quote) this.advance();
        this.advance();
      } else if (v === '{') {
        this.advance();
        this.code('}');
      } else if (v === '<') {
        if (!this.jsxElement()) return false;
      } else {
        return false;
      }
    }
    // children: text, {expressions}, elements, until </name>
    for (;;) {
      const c = this.peek();
      if (c === undefined) return false;
      if (c === '{') {
        this.advance();
        this.code('}');
      } else if (c === '<' && this.peek(1) === '/') {
        this.advance();
        this.advance();
        this.skipSpace();
        const closing = this.jsxName();
        this.skipSpace();
        if (this.peek() !== '>' || closing !== name) return false;
        this.advance();
        return true;
      } else if (c === '<') {
        if (!this.jsxElement()) return false;
      } else {
        this.advance();
      }
    }
  }
}

/** Every import in one file's text, in order: static (`import … from`, `import '…'`, `export … from`) and dynamic (`import('…')`). */
export function scanImports(text: string, jsx: boolean): ImportSite[] {
  const tokens = new Scanner(text, jsx).scan();
  const sites: ImportSite[] = [];
  const at = (i: number): Token | undefined => tokens[i];
  const is = (i: number, type: Token['type'], value?: string): boolean => at(i)?.type === type && (value === undefined || at(i)?.value === value);
  // After `import`/`export`, the clause up to `from '…'`: names, braces, commas, `*`, `as`, `type`.
  const fromClause = (start: number): string | null => {
    for (let i = start; i < tokens.length; i++) {
      const t = tokens[i]!;
      if (t.type === 'ident' && t.value === 'from' && is(i + 1, 'string')) return at(i + 1)!.value;
      if (t.type === 'ident') continue;
      if (t.type === 'punct' && ['{', '}', ',', '*'].includes(t.value)) continue;
      return null;
    }
    return null;
  };
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.type !== 'ident' || is(i - 1, 'punct', '.')) continue;
    if (t.value === 'import') {
      if (is(i + 1, 'punct', '(')) {
        if (is(i + 2, 'string') && (is(i + 3, 'punct', ')') || is(i + 3, 'punct', ','))) {
          sites.push({ specifier: at(i + 2)!.value, line: t.line, kind: 'dynamic' });
        }
      } else if (is(i + 1, 'string')) {
        sites.push({ specifier: at(i + 1)!.value, line: t.line, kind: 'static' });
      } else if (is(i + 1, 'ident') || is(i + 1, 'punct', '{') || is(i + 1, 'punct', '*')) {
        const specifier = fromClause(i + 1);
        if (specifier !== null) sites.push({ specifier, line: t.line, kind: 'static' });
      }
    } else if (t.value === 'export') {
      const next = is(i + 1, 'ident', 'type') ? i + 2 : i + 1;
      if (is(next, 'punct', '{') || is(next, 'punct', '*')) {
        const specifier = fromClause(next);
        if (specifier !== null) sites.push({ specifier, line: t.line, kind: 'static' });
      }
    }
  }
  return sites;
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
