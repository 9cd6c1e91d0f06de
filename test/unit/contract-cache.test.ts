// The validated-contract cache: keyed by bytes, path and validating code; a hit returns
// what was stored (validation skipped); anything changed is a miss.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadContractOrExit } from '../../cli/load-contract-or-exit.ts';
import { contractCacheKey, readCachedContract, writeCachedContract } from '../../src/contract/contract-cache.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'evident-cache-'));
  dirs.push(dir);
  return dir;
}

const contractText = JSON.stringify({
  name: 'cached',
  version: '1.0.0',
  services: [{ name: 'web', command: 'node', args: ['web.js'], port: 17399, health: { kind: 'tcp' } }],
});

describe('contract cache', () => {
  it('keys on the exact bytes and the path', () => {
    const bytes = Buffer.from(contractText);
    const key = contractCacheKey('/a/contract.json', bytes);
    expect(contractCacheKey('/a/contract.json', Buffer.from(contractText))).toBe(key);
    expect(contractCacheKey('/b/contract.json', bytes)).not.toBe(key);
    expect(contractCacheKey('/a/contract.json', Buffer.from(`${contractText} `))).not.toBe(key);
  });

  it('validates on a miss, stores the result, and serves it on the next load', async () => {
    const dir = tempDir();
    const file = join(dir, 'contract.json');
    writeFileSync(file, contractText);
    const state = join(dir, 'state');
    // A state folder that does not exist gets no cache (a reading command creates none).
    await loadContractOrExit(file, state);
    expect(existsSync(state)).toBe(false);
    mkdirSync(state);
    const first = await loadContractOrExit(file, state);
    expect(first.services[0]).toMatchObject({ name: 'web', cwd: dir, startup_timeout_s: 90 });
    const key = contractCacheKey(file, readFileSync(file));
    expect(readCachedContract(join(state, 'cache'), key)).toEqual(first);
    // What the cache holds is what a hit returns: proof the validation was skipped.
    writeCachedContract(join(state, 'cache'), key, { ...first, name: 'from the cache' });
    expect((await loadContractOrExit(file, state)).name).toBe('from the cache');
    // One changed byte: a miss, validated again.
    writeFileSync(file, contractText.replace('"cached"', '"edited"'));
    expect((await loadContractOrExit(file, state)).name).toBe('edited');
  });

  it('never caches a bad contract', async () => {
    const dir = tempDir();
    const file = join(dir, 'contract.json');
    writeFileSync(file, contractText.replace('17399', '"70o1"'));
    await expect(loadContractOrExit(file, join(dir, 'state'))).rejects.toThrow('services[0].port: expected a number 1–65535, got "70o1"');
    await expect(loadContractOrExit(file, join(dir, 'state'))).rejects.toThrow('services[0].port');
  });
});
