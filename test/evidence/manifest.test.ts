// The manifest's two layouts: exact text, round trips, malformed lines reported by line,
// and the sha256sum companion checked by the real `sha256sum -c` in a real folder.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hashFiles } from '../../src/evidence/hash-files.ts';
import { parseManifest, parseSha256sum, renderManifest, renderSha256sum, type ManifestEntry } from '../../src/evidence/manifest.ts';

const hasSha256sum = spawnSync('sha256sum', ['--version']).status === 0;
const A = 'a'.repeat(64);
const B = '0123456789abcdef'.repeat(4);
const C = 'f'.repeat(64);

const entries: ManifestEntry[] = [
  { name: 'journal.jsonl', sha256: B },
  { name: 'gate1-summary-20261122T053012Z.json', sha256: A },
  { name: 'config_snapshot.json', sha256: C },
];
const generated = new Date('2026-11-22T05:30:12Z');

describe('renderManifest', () => {
  it('writes the header and the entries in name order, two spaces before each hash', () => {
    expect(renderManifest({ gate: 1, generated, status: 'PASSED', entries })).toBe(
      [
        '# Gate 1 Evidence Manifest',
        '# Generated: 2026-11-22T05:30:12.000Z',
        '# Gate Status: PASSED',
        `config_snapshot.json  ${C}`,
        `gate1-summary-20261122T053012Z.json  ${A}`,
        `journal.jsonl  ${B}`,
        '',
      ].join('\n'),
    );
  });

  it('round-trips through parseManifest, names with spaces and folders included', () => {
    const withOdd = [...entries, { name: 'logs/web server.log', sha256: A }, { name: 'Z-upper.txt', sha256: B }];
    const parsed = parseManifest(renderManifest({ gate: 'Shutdown Check', generated, status: 'INTERRUPTED', entries: withOdd }));
    expect(parsed.problems).toEqual([]);
    expect(parsed.gate).toBe('Shutdown Check');
    expect(parsed.generated).toBe('2026-11-22T05:30:12.000Z');
    expect(parsed.status).toBe('INTERRUPTED');
    // Code-unit order: upper case before lower case, as LC_ALL=C sort has it.
    expect(parsed.entries.map((e) => e.name)).toEqual(['Z-upper.txt', 'config_snapshot.json', 'gate1-summary-20261122T053012Z.json', 'journal.jsonl', 'logs/web server.log']);
    expect(parsed.entries).toEqual(expect.arrayContaining(withOdd));
  });

  it.each([
    ['a newline', 'evil\nname.json', /newline/],
    ['a backslash', 'logs\\web.log', /backslash/],
    ['a leading #', '#notes.txt', /comment/],
    ['a way out of the folder', '../secrets.json', /inside the run folder/],
    ['an absolute path', '/etc/passwd', /absolute/],
    ['a drive path', 'C:/x.json', /absolute/],
    ['a trailing space', 'journal.jsonl ', /white space/],
    ['no name', '', /empty/],
  ])('refuses a name with %s', (_what, name, message) => {
    expect(() => renderManifest({ gate: 1, generated, status: 'PASSED', entries: [{ name, sha256: A }] })).toThrow(message);
    expect(() => renderSha256sum([{ name, sha256: A }])).toThrow(message);
  });

  it('refuses a bad hash, a name listed twice, an invalid date and a lower-case status', () => {
    expect(() => renderSha256sum([{ name: 'a', sha256: A.toUpperCase() }])).toThrow(/64 lower-case hexadecimal digits/);
    expect(() => renderSha256sum([{ name: 'a', sha256: A.slice(1) }])).toThrow(/64 lower-case/);
    expect(() => renderSha256sum([{ name: 'a', sha256: A }, { name: 'a', sha256: B }])).toThrow(/listed twice/);
    expect(() => renderManifest({ gate: 1, generated: new Date('nope'), status: 'PASSED', entries })).toThrow(/date is invalid/);
    expect(() => renderManifest({ gate: 1, generated, status: 'passed', entries })).toThrow(/upper-case word/);
    expect(() => renderManifest({ gate: 'a\nb', generated, status: 'PASSED', entries })).toThrow(/one line/);
  });
});

describe('parseManifest', () => {
  it('reports each malformed line with its number and what is wrong', () => {
    const text = [
      '# Gate 1 Evidence Manifest',
      '# Generated: yesterday',
      '# Gate Status: PASSED',
      `config_snapshot.json  ${C}`,
      `journal.jsonl ${B}`,
      `summary.json  ${A.slice(0, 63)}`,
      '',
      `config_snapshot.json  ${C}`,
      `../escape.json  ${A}`,
      `a-late-name.json  ${A}`,
      `windows.json  ${A}\r`,
      '# a stray comment',
      `z.json  ${A}`,
    ].join('\n');
    const parsed = parseManifest(text);
    expect(parsed.problems.map((p) => p.line)).toEqual([2, 5, 6, 7, 8, 9, 10, 11, 12]);
    const byLine = new Map(parsed.problems.map((p) => [p.line, p.message]));
    expect(byLine.get(2)).toMatch(/ISO 8601/);
    expect(byLine.get(5)).toMatch(/two spaces/);
    expect(byLine.get(6)).toMatch(/64 lower-case hexadecimal digits/);
    expect(byLine.get(7)).toBe('blank line');
    expect(byLine.get(8)).toMatch(/listed twice/);
    expect(byLine.get(9)).toMatch(/inside the run folder/);
    expect(byLine.get(10)).toMatch(/out of name order/);
    expect(byLine.get(11)).toMatch(/CRLF/);
    expect(byLine.get(12)).toMatch(/comment after the header/);
    expect(parsed.entries.map((e) => e.name)).toEqual(['config_snapshot.json', 'config_snapshot.json', 'a-late-name.json', 'z.json']);
    expect(parsed.generated).toBeNull();
    expect(parsed.status).toBe('PASSED');
  });

  it('reports a missing or wrong header on its line', () => {
    expect(parseManifest('').problems).toEqual([
      { line: 1, message: 'missing header line: expected "# [Phase <phase> ]Gate <gate> Evidence Manifest"' },
      { line: 2, message: 'missing header line: expected "# Generated: <ISO 8601 time>"' },
      { line: 3, message: 'missing header line: expected "# Gate Status: <STATUS>"' },
    ]);
    const noTitle = parseManifest(`# Evidence\n# Generated: 2026-11-22T05:30:12.000Z\n# Gate Status: failed\n`);
    expect(noTitle.problems).toEqual([
      { line: 1, message: 'expected "# [Phase <phase> ]Gate <gate> Evidence Manifest", got "# Evidence"' },
      { line: 3, message: 'status "failed" must be an upper-case word like PASSED' },
    ]);
  });
});

describe('parseSha256sum', () => {
  it('reads what it renders, and the binary-mode marker sha256sum -b writes', () => {
    expect(parseSha256sum(renderSha256sum(entries))).toEqual({ entries: [...entries].sort((a, b) => (a.name < b.name ? -1 : 1)), problems: [] });
    expect(parseSha256sum(`${A} *journal.jsonl\n# a comment\n`)).toEqual({ entries: [{ name: 'journal.jsonl', sha256: A }], problems: [] });
  });

  it('reports malformed lines by number', () => {
    const text = [`${A}  ok.json`, `${A} single-space.json`, `\\${A}  esc\\\\aped`, `SHA256 (bsd.json) = ${A}`, `${A.toUpperCase()}  upper.json`, `${A}  ok.json`, `${A}  ../up.json`].join('\n');
    const parsed = parseSha256sum(text);
    expect(parsed.entries.map((e) => e.name)).toEqual(['ok.json', 'ok.json']);
    expect(parsed.problems.map((p) => p.line)).toEqual([2, 3, 4, 5, 6, 7]);
    const [spacing, escaped, bsd, upper, twice, outside] = parsed.problems.map((p) => p.message);
    expect(spacing).toMatch(/two spaces between/);
    expect(escaped).toMatch(/escaped name/);
    expect(bsd).toMatch(/BSD-style/);
    expect(upper).toMatch(/64 lower-case hexadecimal digits/);
    expect(twice).toMatch(/"ok.json" is listed twice/);
    expect(outside).toMatch(/"..\/up.json" must name a file inside the run folder/);
  });
});

describe('the sha256sum companion', () => {
  let dir = '';
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'evident-manifest-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it.skipIf(!hasSha256sum)('passes `sha256sum -c` in the run folder, fails after one byte flips, and matches sha256sum’s own output', async () => {
    const names = ['journal.jsonl', 'gate1-summary-20261122T053012Z.json', 'config_snapshot.json', 'logs/web server.log'];
    mkdirSync(join(dir, 'logs'));
    for (const [i, name] of names.entries()) writeFileSync(join(dir, name), `content of ${name}\n`.repeat(i * 1000 + 1));
    const listed = await hashFiles(dir, names);
    writeFileSync(join(dir, 'SHA256SUMS'), renderSha256sum(listed));

    const check = () => spawnSync('sha256sum', ['-c', '--strict', 'SHA256SUMS'], { cwd: dir, encoding: 'utf8' });
    const good = check();
    expect(good.stdout).toBe(['config_snapshot.json: OK', 'gate1-summary-20261122T053012Z.json: OK', 'journal.jsonl: OK', 'logs/web server.log: OK', ''].join('\n'));
    expect(good.status).toBe(0);

    // What sha256sum itself prints for the same files parses to the same entries.
    const own = spawnSync('sha256sum', ['--', ...names], { cwd: dir, encoding: 'utf8' });
    const parsedOwn = parseSha256sum(own.stdout);
    expect(parsedOwn.problems).toEqual([]);
    expect(renderSha256sum(parsedOwn.entries)).toBe(readFileSync(join(dir, 'SHA256SUMS'), 'utf8'));

    const journal = join(dir, 'journal.jsonl');
    const bytes = readFileSync(journal);
    bytes[3] = (bytes[3] as number) ^ 0x20;
    writeFileSync(journal, bytes);
    const bad = check();
    expect(bad.status).toBe(1);
    expect(bad.stdout).toContain('journal.jsonl: FAILED');
    expect(bad.stdout).toContain('logs/web server.log: OK');
  });
});
