// The evidence manifest in two layouts of the same entries: the human one, with a header
// saying which gate, when and with what verdict, and the `sha256sum` one, so a reviewer
// can check a run folder with `sha256sum -c` and no evident at all. Both list entries in
// name order (by UTF-16 code unit, as `LC_ALL=C sort` orders ASCII), one per line.
//
// sha256sum escapes a name holding a backslash or a newline with a leading `\`; rather
// than carry that escaping, evident refuses such names (and others a reader would
// misread) when rendering, and reports them when parsing.

export interface ManifestEntry {
  /** A path relative to the run folder, with `/` between folders. */
  name: string;
  /** SHA-256, 64 lowercase hex digits. */
  sha256: string;
}

export interface ManifestInput {
  gate: number | string;
  /** The hardening phase the pipeline names (`3`): the title reads `# Phase 3 Gate 1 Evidence Manifest`. */
  phase?: string;
  generated: Date;
  /** The gate's verdict as written in the summary: PASSED, FAILED, INTERRUPTED… */
  status: string;
  entries: readonly ManifestEntry[];
}

export interface ManifestProblem {
  /** 1-based line number in the text. */
  line: number;
  message: string;
}

export interface ParsedManifest {
  /** Null where the header line is missing or malformed (a problem says which). */
  gate: string | null;
  /** The phase the title names, or null when it names none. */
  phase: string | null;
  /** ISO 8601, as written. */
  generated: string | null;
  status: string | null;
  entries: ManifestEntry[];
  problems: ManifestProblem[];
}

export interface ParsedSha256sum {
  entries: ManifestEntry[];
  problems: ManifestProblem[];
}

const SHA256 = /^[0-9a-f]{64}$/;
// A gate number or a short title (`1`, `Shutdown Check`): one line of printable text.
const GATE = /^[^\s\u0000-\u001f\u007f](?:[^\u0000-\u001f\u007f]*[^\s\u0000-\u001f\u007f])?$/;
const STATUS = /^[A-Z]+(?:_[A-Z]+)*$/;
const PHASE = /^[A-Za-z0-9][A-Za-z0-9.-]{0,15}$/;
const TITLE = /^# (?:Phase ([A-Za-z0-9][A-Za-z0-9.-]{0,15}) )?Gate (.*) Evidence Manifest$/;
const GENERATED = /^# Generated: (.*)$/;
const GATE_STATUS = /^# Gate Status: (.*)$/;

/**
 * ```
 * # Phase 3 Gate 1 Evidence Manifest           (# Gate 1 Evidence Manifest without a phase)
 * # Generated: 2026-11-22T05:30:12.000Z
 * # Gate Status: PASSED
 * gate1-summary-20261122T053012Z.json  <sha256>
 * journal.jsonl  <sha256>
 * ```
 */
export function renderManifest(input: ManifestInput): string {
  const gate = String(input.gate);
  if (!GATE.test(gate)) throw new RangeError(`manifest: gate ${JSON.stringify(gate)} must be one line of printable text without leading or trailing spaces`);
  if (Number.isNaN(input.generated.getTime())) throw new RangeError('manifest: the generated date is invalid');
  if (!STATUS.test(input.status)) throw new RangeError(`manifest: status ${JSON.stringify(input.status)} must be an upper-case word like PASSED`);
  if (input.phase !== undefined && !PHASE.test(input.phase)) throw new RangeError(`manifest: phase ${JSON.stringify(input.phase)} must be a short name such as 3`);
  const title = input.phase === undefined ? `# Gate ${gate} Evidence Manifest` : `# Phase ${input.phase} Gate ${gate} Evidence Manifest`;
  const header = [title, `# Generated: ${input.generated.toISOString()}`, `# Gate Status: ${input.status}`];
  return `${[...header, ...checkedSorted(input.entries).map((e) => `${e.name}  ${e.sha256}`)].join('\n')}\n`;
}

/** `<sha256>  <name>` lines, sorted by name: the format `sha256sum -c` checks. */
export function renderSha256sum(entries: readonly ManifestEntry[]): string {
  return checkedSorted(entries)
    .map((e) => `${e.sha256}  ${e.name}\n`)
    .join('');
}

export function parseManifest(text: string): ParsedManifest {
  const parsed: ParsedManifest = { gate: null, phase: null, generated: null, status: null, entries: [], problems: [] };
  const lines = splitLines(text);
  const header: [RegExp, string, (match: RegExpExecArray, line: number) => void][] = [
    [
      TITLE,
      '# [Phase <phase> ]Gate <gate> Evidence Manifest',
      (match, line) => {
        const value = match[2] as string;
        if (!GATE.test(value)) return problem(line, `gate ${JSON.stringify(value)} must be one line of printable text`);
        parsed.gate = value;
        parsed.phase = match[1] ?? null;
      },
    ],
    [GENERATED, '# Generated: <ISO 8601 time>', (match, line) => (isCanonicalIso(match[1] as string) ? (parsed.generated = match[1] as string) : problem(line, `generated ${JSON.stringify(match[1])} must be an ISO 8601 UTC time like 2026-11-22T05:30:12.000Z`))],
    [GATE_STATUS, '# Gate Status: <STATUS>', (match, line) => (STATUS.test(match[1] as string) ? (parsed.status = match[1] as string) : problem(line, `status ${JSON.stringify(match[1])} must be an upper-case word like PASSED`))],
  ];
  function problem(line: number, message: string): void {
    parsed.problems.push({ line, message });
  }
  header.forEach(([pattern, expected, take], i) => {
    const line = lines[i];
    if (line === undefined) return problem(i + 1, `missing header line: expected ${JSON.stringify(expected)}`);
    if (line.endsWith('\r')) return problem(i + 1, CRLF);
    const match = pattern.exec(line);
    if (match === null) return problem(i + 1, `expected ${JSON.stringify(expected)}, got ${JSON.stringify(line)}`);
    take(match, i + 1);
  });
  const seen = new Set<string>();
  let previous: string | null = null;
  for (let i = header.length; i < lines.length; i++) {
    const text = lines[i] as string;
    const line = i + 1;
    const entry = parseEntryLine(text, line, 'name-first', parsed.problems);
    if (entry === null) continue;
    if (seen.has(entry.name)) problem(line, `${JSON.stringify(entry.name)} is listed twice`);
    else if (previous !== null && entry.name < previous) problem(line, `${JSON.stringify(entry.name)} is out of name order (after ${JSON.stringify(previous)})`);
    seen.add(entry.name);
    previous = entry.name;
    parsed.entries.push(entry);
  }
  return parsed;
}

/**
 * Lines of `sha256sum` output: `<sha256>  <name>` (or `<sha256> *<name>`, binary mode);
 * `#` lines are comments, as sha256sum itself treats them.
 */
export function parseSha256sum(text: string): ParsedSha256sum {
  const parsed: ParsedSha256sum = { entries: [], problems: [] };
  const seen = new Set<string>();
  splitLines(text).forEach((text, i) => {
    if (text.startsWith('#')) return;
    const entry = parseEntryLine(text, i + 1, 'hash-first', parsed.problems);
    if (entry === null) return;
    if (seen.has(entry.name)) parsed.problems.push({ line: i + 1, message: `${JSON.stringify(entry.name)} is listed twice` });
    seen.add(entry.name);
    parsed.entries.push(entry);
  });
  return parsed;
}

/**
 * Why `name` cannot be a manifest entry, or null when it can: it must be a relative path
 * inside the run folder that both layouts carry verbatim and a reader cannot misread.
 */
export function manifestNameProblem(name: string): string | null {
  if (name === '') return 'the name is empty';
  if (/[\u0000-\u001f\u007f]/.test(name)) return `${JSON.stringify(name)} contains a newline or another control character (sha256sum would escape it)`;
  if (name.includes('\\')) return `${JSON.stringify(name)} contains a backslash (sha256sum would escape it; use / between folders)`;
  if (name.startsWith('#')) return `${JSON.stringify(name)} starts with #, which marks a comment line`;
  if (name.trim() !== name) return `${JSON.stringify(name)} starts or ends with white space`;
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name)) return `${JSON.stringify(name)} is an absolute path; names are relative to the run folder`;
  if (name.split('/').some((part) => part === '' || part === '.' || part === '..')) return `${JSON.stringify(name)} must name a file inside the run folder (no empty, . or .. parts)`;
  return null;
}

const CRLF = 'the line ends with a carriage return: the file was rewritten with Windows (CRLF) line endings';

function parseEntryLine(text: string, line: number, layout: 'name-first' | 'hash-first', problems: ManifestProblem[]): ManifestEntry | null {
  const fail = (message: string): null => {
    problems.push({ line, message });
    return null;
  };
  if (text === '') return fail('blank line');
  if (text.endsWith('\r')) return fail(CRLF);
  let name: string;
  let sha256: string;
  if (layout === 'name-first') {
    if (text.startsWith('#')) return fail(`a comment after the header: ${JSON.stringify(text)}`);
    const split = text.lastIndexOf('  ');
    if (split <= 0) return fail(`expected "<name>  <sha256>" (two spaces between), got ${JSON.stringify(text)}`);
    name = text.slice(0, split);
    sha256 = text.slice(split + 2);
  } else {
    if (text.startsWith('\\')) return fail('an escaped name (leading \\): names with a backslash or a newline are not accepted');
    if (/^SHA256 \(/.test(text)) return fail('a BSD-style "SHA256 (name) = hash" line: expected "<sha256>  <name>"');
    const match = /^(\S+) [ *](.*)$/.exec(text);
    if (match === null) return fail(`expected "<sha256>  <name>" (two spaces between), got ${JSON.stringify(text)}`);
    sha256 = match[1] as string;
    name = match[2] as string;
  }
  if (!SHA256.test(sha256)) return fail(`the hash ${JSON.stringify(sha256)} must be 64 lower-case hexadecimal digits`);
  const nameProblem = manifestNameProblem(name);
  if (nameProblem !== null) return fail(nameProblem);
  return { name, sha256 };
}

function checkedSorted(entries: readonly ManifestEntry[]): ManifestEntry[] {
  const seen = new Set<string>();
  for (const entry of entries) {
    const problem = manifestNameProblem(entry.name);
    if (problem !== null) throw new RangeError(`manifest entry: ${problem}`);
    if (!SHA256.test(entry.sha256)) throw new RangeError(`manifest entry ${JSON.stringify(entry.name)}: hash ${JSON.stringify(entry.sha256)} must be 64 lower-case hexadecimal digits`);
    if (seen.has(entry.name)) throw new RangeError(`manifest entry ${JSON.stringify(entry.name)} is listed twice`);
    seen.add(entry.name);
  }
  return [...entries].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** The text's lines; the newline ending the last line does not start another. */
function splitLines(text: string): string[] {
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

function isCanonicalIso(value: string): boolean {
  const date = new Date(value);
  return !Number.isNaN(date.getTime()) && date.toISOString() === value;
}
