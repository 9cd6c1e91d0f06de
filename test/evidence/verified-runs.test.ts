// What the gates read before a run may stand for anything, on real run folders: a sealed,
// honest run verifies to its verdict (and is answered from the signed cache next time); a
// file changed after the check, even one restored to its old modification time, is checked
// again; a cache entry edited to say "verified" is not believed; an ended run its runner
// never sealed is sealed first when nobody owns it, and not while its runner lives.
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { judges } from '../../gates/load-judges.ts';
import '../../gates/registered-judges.ts';
import { RunWriter } from '../../src/evidence/run-writer.ts';
import { VerifiedRuns } from '../../src/evidence/verified-runs.ts';

let dir = '';
const stateRoot = () => join(dir, 'state');

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'evident-verified-runs-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function startRun(): Promise<RunWriter> {
  const run = await RunWriter.create({
    artifactsDir: join(dir, 'artifacts'),
    keysDir: join(stateRoot(), 'keys'),
    kind: 'shutdown',
    contract: { name: 'test', version: '1.0.0', hash: 'c'.repeat(64), path: '/x/contract.json' },
    actor: 'tester',
    criteria: { max_leftovers: 0 },
    parameters: {},
    snapshot: { config: {}, flags: {}, env: {}, serviceEnvNames: [], evidentVersion: 'test', platform: { os: 'linux', arch: 'x64', release: 'test' }, runtime: process.version },
  });
  await run.checkpoint('started');
  return run;
}

const verifier = () => VerifiedRuns.forState(stateRoot(), join(stateRoot(), 'keys'), judges);
const cacheFile = (runDir: string) => join(stateRoot(), 'cache', `verified-${runDir.split(/[\\/]/).at(-1)}.json`);

describe('VerifiedRuns', () => {
  it('verifies a sealed run to its verdict, answers from its signed cache, and checks again what changed since', async () => {
    const run = await startRun();
    const sealed = await run.finish();
    const first = await verifier().check(run.dir, { maySeal: false });
    expect(first).toMatchObject({ ok: true, status: sealed.verdict.status, problem: null, manifest_sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(readFileSync(cacheFile(run.dir), 'utf8')).toContain('"signature"');
    expect(await verifier().check(run.dir, { maySeal: false })).toEqual(first);

    // Edited, then given back its modification time: its change time still moved.
    const summary = readdirSync(run.dir).find((n) => n.includes('-summary-')) as string;
    const path = join(run.dir, summary);
    const { atime, mtime } = statSync(path);
    writeFileSync(path, readFileSync(path, 'utf8').replace('"FAILED"', '"PASSED"'));
    utimesSync(path, atime, mtime);
    expect(await verifier().check(run.dir, { maySeal: false })).toMatchObject({ ok: false, status: null, problem: expect.stringMatching(/^files .*-summary-.*: SHA-256 differs/) });
  });

  it('does not believe a cache entry edited to say the run verified', async () => {
    const run = await startRun();
    await run.finish();
    writeFileSync(join(run.dir, 'notes.txt'), 'added later');
    expect((await verifier().check(run.dir, { maySeal: false })).ok).toBe(false);
    const entry = JSON.parse(readFileSync(cacheFile(run.dir), 'utf8')) as { result: Record<string, unknown> };
    entry.result = { ok: true, status: 'PASSED', problem: null, manifest_sha256: 'f'.repeat(64) };
    writeFileSync(cacheFile(run.dir), JSON.stringify(entry));
    expect(await verifier().check(run.dir, { maySeal: false })).toMatchObject({ ok: false, problem: expect.stringMatching(/notes\.txt: not in the manifest/) });
  });

  it('seals an ended run nobody owns before verifying it, but leaves one a live runner owns alone', async () => {
    const run = await startRun();
    await run.journal.append({ type: 'run.end', correlation_id: run.id, payload: {} });
    await run.checkpoint('run ended');
    await run.journal.close();
    expect(await verifier().check(run.dir, { maySeal: false })).toMatchObject({ ok: false, problem: expect.stringMatching(/^manifest: no manifest/) });
    expect(readdirSync(run.dir).some((n) => n.includes('-manifest-'))).toBe(false);
    expect(await verifier().check(run.dir, { maySeal: true })).toMatchObject({ ok: true, status: 'FAILED' });
  });
});
