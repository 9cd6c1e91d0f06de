// Artifact names (pure) and writing artifacts that are never overwritten (real files,
// and real processes racing for one name).
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { artifactTimestamp, gateArtifactName, parseGateArtifactName, plainFileNameProblem } from '../../src/evidence/artifact-name.ts';
import { ArtifactExistsError, writeArtifact } from '../../src/evidence/write-artifact.ts';

describe('artifact names', () => {
  const stamp = '20261122T053012Z';

  it('stamp times in UTC to the second, without colons', () => {
    expect(artifactTimestamp(new Date('2026-11-22T05:30:12.987Z'))).toBe(stamp);
    expect(artifactTimestamp(new Date('2026-11-22T06:30:12+01:00'))).toBe(stamp);
    expect(() => artifactTimestamp(new Date('not a date'))).toThrow(/invalid/);
  });

  it('follow the gate convention, and parse back', () => {
    expect(gateArtifactName(1, 'summary', stamp, 'json')).toBe('gate1-summary-20261122T053012Z.json');
    expect(gateArtifactName('1', 'manifest', stamp, 'sha256')).toBe('gate1-manifest-20261122T053012Z.sha256');
    expect(gateArtifactName('shutdown', 'manifest', stamp, 'sha256.sig')).toBe('shutdown-manifest-20261122T053012Z.sha256.sig');
    expect(gateArtifactName(3, 'public-key', stamp, 'pem')).toBe('gate3-public-key-20261122T053012Z.pem');
    expect(parseGateArtifactName('gate1-summary-20261122T053012Z.json')).toEqual({ gate: '1', kind: 'summary', timestamp: stamp, ext: 'json' });
    expect(parseGateArtifactName('gate3-public-key-20261122T053012Z.pem')).toEqual({ gate: '3', kind: 'public-key', timestamp: stamp, ext: 'pem' });
    expect(parseGateArtifactName('shutdown-manifest-20261122T053012Z.sha256.sig')).toEqual({ gate: 'shutdown', kind: 'manifest', timestamp: stamp, ext: 'sha256.sig' });
    expect(parseGateArtifactName('journal.jsonl')).toBeNull();
    expect(parseGateArtifactName('gate1-diary-20261122T053012Z.json')).toBeNull();
  });

  it('sort in time order as text', () => {
    const names = ['2026-11-22T05:30:12Z', '2026-11-22T05:30:09Z', '2027-01-01T00:00:00Z'].map((t) => gateArtifactName(1, 'summary', artifactTimestamp(new Date(t)), 'json'));
    expect([...names].sort()).toEqual([names[1], names[0], names[2]]);
  });

  it('refuse path separators and anything else that would not be one plain file name', () => {
    expect(() => gateArtifactName('../1', 'summary', stamp, 'json')).toThrow(/path separator/);
    expect(() => gateArtifactName('1', 'summary', stamp, 'json/../../x')).toThrow(/path separator/);
    expect(() => gateArtifactName('a\\b', 'summary', stamp, 'json')).toThrow(/path separator/);
    expect(() => gateArtifactName('Gate 1', 'summary', stamp, 'json')).toThrow(/lower-case letters and digits/);
    expect(() => gateArtifactName(1.5, 'summary', stamp, 'json')).toThrow(/whole number/);
    expect(() => gateArtifactName(1, 'summary', '2026-11-22T05:30:12Z', 'json')).toThrow(/timestamp/);
    expect(() => gateArtifactName(1, 'summary', stamp, '.json')).toThrow(/without a leading dot/);
    expect(() => gateArtifactName(1, 'diary' as 'summary', stamp, 'json')).toThrow(/kind "diary" must be one of/);
  });

  it('plainFileNameProblem explains what is wrong with a file name', () => {
    expect(plainFileNameProblem('journal.jsonl')).toBeNull();
    expect(plainFileNameProblem('a/b')).toMatch(/path separator/);
    expect(plainFileNameProblem('a\\b')).toMatch(/path separator/);
    expect(plainFileNameProblem('..')).toMatch(/not a file name/);
    expect(plainFileNameProblem('a\nb')).toMatch(/control character/);
    expect(plainFileNameProblem('a:b')).toMatch(/Windows/);
    expect(plainFileNameProblem('a.')).toMatch(/Windows drops/);
    expect(plainFileNameProblem('')).toMatch(/empty/);
  });
});

describe('writeArtifact', () => {
  let dir = '';
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'evident-artifact-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes the content and reports its path, SHA-256 and size, leaving no temp file', () => {
    const content = '{"status":"PASSED"}\n';
    const written = writeArtifact(join(dir, 'run'), 'gate1-summary-20261122T053012Z.json', content);
    expect(written).toEqual({
      path: join(dir, 'run', 'gate1-summary-20261122T053012Z.json'),
      sha256: createHash('sha256').update(content).digest('hex'),
      bytes: Buffer.byteLength(content),
    });
    expect(readFileSync(written.path, 'utf8')).toBe(content);
    expect(readdirSync(join(dir, 'run'))).toEqual(['gate1-summary-20261122T053012Z.json']);
    const binary = writeArtifact(dir, 'x.sig', new Uint8Array([0, 255, 10, 13]));
    expect([...readFileSync(binary.path)]).toEqual([0, 255, 10, 13]);
    expect(binary.bytes).toBe(4);
  });

  it('refuses to overwrite: the original stays intact, the error names the file, no temp file is left', () => {
    const first = writeArtifact(dir, 'journal-summary.json', 'original\n');
    let caught: unknown;
    try {
      writeArtifact(dir, 'journal-summary.json', 'forged\n');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ArtifactExistsError);
    expect((caught as ArtifactExistsError).path).toBe(first.path);
    expect((caught as Error).message).toBe(`evidence is never overwritten: ${first.path} already exists`);
    expect(readFileSync(first.path, 'utf8')).toBe('original\n');
    expect(readdirSync(dir)).toEqual(['journal-summary.json']);
  });

  it('refuses a file put there by something else, too', () => {
    writeFileSync(join(dir, 'config_hash.txt'), 'hand-written\n');
    expect(() => writeArtifact(dir, 'config_hash.txt', 'abc\n')).toThrow(ArtifactExistsError);
    expect(readFileSync(join(dir, 'config_hash.txt'), 'utf8')).toBe('hand-written\n');
    expect(readdirSync(dir)).toEqual(['config_hash.txt']);
  });

  it('refuses names that are not one plain file name, writing nothing', () => {
    expect(() => writeArtifact(dir, '../escape.json', 'x')).toThrow(/path separator/);
    expect(() => writeArtifact(dir, 'sub/inner.json', 'x')).toThrow(/path separator/);
    expect(readdirSync(dir)).toEqual([]);
  });

  it.skipIf(process.platform === 'win32')('creates the file with the mode asked for', () => {
    const key = writeArtifact(dir, 'owner-only.pem', 'k', { mode: 0o600 });
    expect(statSync(key.path).mode & 0o777).toBe(0o600);
  });

  it('lets exactly one of several processes racing for one name write it', async () => {
    const module = pathToFileURL(join(import.meta.dirname, '../../src/evidence/write-artifact.ts')).href;
    // Every racer waits for the same instant, so their writes overlap rather than follow Node's start-up order.
    const startAt = Date.now() + 1500;
    const racer = (n: number) =>
      new Promise<{ n: number; code: number | null; stderr: string }>((resolve) => {
        const script = `const { writeArtifact, ArtifactExistsError } = await import(${JSON.stringify(module)});
          while (Date.now() < ${startAt});
          try { writeArtifact(${JSON.stringify(dir)}, 'summary.json', ${JSON.stringify(`writer ${n}\n`)}.repeat(20_000)); }
          catch (error) { process.exit(error instanceof ArtifactExistsError ? 3 : 4); }`;
        execFile(process.execPath, ['--input-type=module', '-e', script], (error, _stdout, stderr) => resolve({ n, code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stderr }));
      });
    const results = await Promise.all(Array.from({ length: 8 }, (_, n) => racer(n)));
    const winners = results.filter((r) => r.code === 0);
    expect(results.filter((r) => r.code !== 0 && r.code !== 3)).toEqual([]);
    expect(winners).toHaveLength(1);
    expect(readFileSync(join(dir, 'summary.json'), 'utf8')).toBe(`writer ${winners[0]?.n}\n`.repeat(20_000));
    expect(readdirSync(dir)).toEqual(['summary.json']);
  });
});
