// SHA-256 of real files, checked against known vectors and against the real `sha256sum`.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hashFiles, sha256File } from '../../src/evidence/hash-files.ts';

const hasSha256sum = spawnSync('sha256sum', ['--version']).status === 0;

let dir = '';
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'evident-hash-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** name → hash, as the real sha256sum prints them. */
function sha256sumOf(names: string[]): Map<string, string> {
  const result = spawnSync('sha256sum', ['--', ...names], { cwd: dir, encoding: 'utf8' });
  expect(result.status).toBe(0);
  return new Map(result.stdout.trimEnd().split('\n').map((line) => [line.slice(66), line.slice(0, 64)] as [string, string]));
}

describe('sha256File', () => {
  it('matches the published SHA-256 test vectors', async () => {
    writeFileSync(join(dir, 'empty'), '');
    writeFileSync(join(dir, 'abc'), 'abc');
    expect(await sha256File(join(dir, 'empty'))).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(await sha256File(join(dir, 'abc'))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it.skipIf(!hasSha256sum)('agrees with sha256sum on a file of several read chunks with a ragged end', async () => {
    writeFileSync(join(dir, 'big.bin'), randomBytes(5 * (1 << 20) + 12345));
    expect(await sha256File(join(dir, 'big.bin'))).toBe(sha256sumOf(['big.bin']).get('big.bin'));
  });

  it('rejects a missing file, naming it', async () => {
    await expect(sha256File(join(dir, 'gone.json'))).rejects.toThrow(/ENOENT.*gone\.json/);
  });
});

describe('hashFiles', () => {
  it.skipIf(!hasSha256sum)('hashes many files a few at a time, in the order given, with sizes, as sha256sum does', async () => {
    const sizes = [0, 1, 4096, (1 << 20) - 1, 1 << 20, (1 << 20) + 1, 3_000_000, 17, 65_536, 250_000, 7, 2_100_000];
    const names = sizes.map((size, i) => `file-${String(i).padStart(2, '0')} (${size}).bin`).reverse();
    names.forEach((name, i) => writeFileSync(join(dir, name), randomBytes(sizes[sizes.length - 1 - i] as number)));
    const expected = sha256sumOf(names);
    for (const concurrency of [1, 3, 64]) {
      const hashed = await hashFiles(dir, names, concurrency);
      expect(hashed.map((h) => h.name)).toEqual(names);
      for (const [i, h] of hashed.entries()) {
        expect(h.sha256).toBe(expected.get(h.name));
        expect(h.bytes).toBe(sizes[sizes.length - 1 - i]);
      }
    }
  });

  it('returns nothing for no names, and rejects with the missing file among many', async () => {
    expect(await hashFiles(dir, [])).toEqual([]);
    writeFileSync(join(dir, 'a.json'), '{}');
    await expect(hashFiles(dir, ['a.json', 'missing.jsonl', 'a.json'])).rejects.toThrow(/missing\.jsonl/);
    await expect(hashFiles(dir, ['a.json'], 0)).rejects.toThrow(/concurrency must be a whole number/);
  });
});
