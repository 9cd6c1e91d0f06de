// Sealing a run that ended, on real run folders: a runner that died before sealing has
// its run sealed later with the verdict it would have written; one that died between
// writing its end and signing it is closed INTERRUPTED, the unsigned tail moved aside;
// records a forger appends are never sealed; a live run's journal refuses lines from
// anyone else; sealing twice is sealing once; a run of another installation is refused.
import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import '../../gates/registered-judges.ts';
import { GENESIS_HASH } from '../../src/evidence/journal-record.ts';
import { RunWriter } from '../../src/evidence/run-writer.ts';
import { needsSeal, sealRun } from '../../src/evidence/seal-run.ts';
import { loadOrCreateSigningKey } from '../../src/evidence/signing-key.ts';
import { installationTrustedKeys } from '../../src/evidence/trusted-keys.ts';
import { verifyRunReport } from '../../src/evidence/verify-run.ts';
import { readRecords, rechain, writeRecords } from '../helpers/forge.ts';
import { nextUlid } from '../helpers/next-ulid.ts';

let dir = '';
const keysDir = () => join(dir, 'state', 'keys');

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'evident-seal-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A shutdown-check run as `evident down --record` starts one, its start signed. */
async function startRun(): Promise<RunWriter> {
  const run = await RunWriter.create({
    artifactsDir: join(dir, 'artifacts'),
    keysDir: keysDir(),
    kind: 'shutdown',
    contract: { name: 'test', version: '1.0.0', hash: 'c'.repeat(64), path: '/x/contract.json' },
    actor: 'tester',
    criteria: { max_leftovers: 0 },
    parameters: {},
    snapshot: { config: {}, flags: {}, env: {}, serviceEnvNames: [], evidentVersion: 'test', platform: { os: 'linux', arch: 'x64', release: 'test' }, runtime: process.version },
  });
  await run.checkpoint('started');
  await run.record({ type: 'supervisor.stopped', payload: { service: 'alpha', graceful: true, durationMs: 12 } });
  return run;
}

const trusted = () => ({ trustedKeys: installationTrustedKeys(keysDir()) });
const sealFiles = (runDir: string) => readdirSync(runDir).filter((n) => /-manifest-|SHA256SUMS|-summary-/.test(n));

describe('sealing a run that ended', () => {
  it('seals a run whose runner died after signing its end, with the verdict the runner would have written; twice is once', async () => {
    const run = await startRun();
    await run.journal.append({ type: 'run.end', correlation_id: run.id, payload: {} });
    await run.checkpoint('run ended');
    await run.journal.close();
    // The runner died here: no verdict record, no summary, no manifest.
    expect(needsSeal(run.dir)).toBe(true);
    expect((await verifyRunReport(run.dir, trusted())).ok).toBe(false);

    const sealed = await sealRun(run.dir, loadOrCreateSigningKey(keysDir()));
    expect(sealed.verdict.status).toBe('FAILED'); // no leftover check was ever recorded
    const report = await verifyRunReport(run.dir, trusted());
    expect(report.checks.filter((c) => !c.ok)).toEqual([]);
    expect(report.verdict?.status).toBe('FAILED');
    expect(needsSeal(run.dir)).toBe(false);

    const journalBefore = readFileSync(join(run.dir, 'journal.jsonl'), 'utf8');
    const again = await sealRun(run.dir, loadOrCreateSigningKey(keysDir()));
    expect(again).toEqual(sealed);
    expect(readFileSync(join(run.dir, 'journal.jsonl'), 'utf8')).toBe(journalBefore);
    expect(sealFiles(run.dir)).toHaveLength(4); // summary, manifest, its signature, SHA256SUMS
  });

  it('closes INTERRUPTED a run whose end was never signed, moving the unsigned records aside', async () => {
    const run = await startRun();
    await run.journal.flush();
    // Died between writing its end and signing it: the end, and the record before it, are signed by no one.
    await run.journal.append({ type: 'run.end', correlation_id: run.id, payload: {} });
    await run.journal.close();
    const sealed = await sealRun(run.dir, loadOrCreateSigningKey(keysDir()));
    expect(sealed.verdict.status).toBe('INTERRUPTED');
    const records = readRecords(run.dir);
    expect(records.map((r) => r.type)).toEqual(['run.start', 'journal.repair', 'run.interrupted', 'run.end', 'run.verdict']);
    const repair = records[1]?.payload as { found: string; aside_file: string };
    expect(repair.found).toBe('2 record(s) after the last signed checkpoint');
    expect(readFileSync(join(run.dir, repair.aside_file), 'utf8')).toMatch(/"type":"supervisor.stopped".*\n.*"type":"run.end"/s);
    expect((await verifyRunReport(run.dir, trusted())).ok).toBe(true);
  });

  it('never seals records a forger appended: an end added by hand ends nothing', async () => {
    const run = await startRun();
    await run.journal.close();
    // A run cut off mid-way (no end), with a forged PASSED ending appended and re-chained.
    const records = readRecords(run.dir);
    const last = records.at(-1);
    if (last === undefined) throw new Error('no records');
    const forged = rechain([...records, { ...last, id: nextUlid(last.id), type: 'run.end', payload: {}, prev_hash: GENESIS_HASH, hash: '' }]);
    writeRecords(run.dir, forged);
    const sealed = await sealRun(run.dir, loadOrCreateSigningKey(keysDir()));
    expect(sealed.verdict.status).toBe('INTERRUPTED');
    expect(readRecords(run.dir).filter((r) => r.type === 'run.end')).toHaveLength(1);
    expect(readRecords(run.dir).find((r) => r.type === 'run.interrupted')?.payload.detected_by).toBe('sealer');
  });

  it("refuses a run signed by another installation's key, and writes nothing into it", async () => {
    const run = await startRun();
    await run.journal.append({ type: 'run.end', correlation_id: run.id, payload: {} });
    await run.checkpoint('run ended');
    await run.journal.close();
    const before = readdirSync(run.dir).sort();
    const other = loadOrCreateSigningKey(join(dir, 'other-state', 'keys'));
    await expect(sealRun(run.dir, other)).rejects.toThrow(/signed by another key than this installation's/);
    expect(readdirSync(run.dir).sort()).toEqual(before);
  });
});

describe("a live run's journal", () => {
  it('refuses lines another process appended: they are never caught up and signed', async () => {
    const run = await startRun();
    await run.journal.flush();
    appendFileSync(join(run.dir, 'journal.jsonl'), `${JSON.stringify({ forged: true })}\n`);
    await expect(run.record({ type: 'supervisor.stopped', payload: { service: 'beta' } })).rejects.toThrow(/was appended to by another process while its writer owns it/);
    await run.journal.close().catch(() => {});
  });
});
