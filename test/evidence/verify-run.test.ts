// A real recorded run (`evident down --record` on a real two-service fleet), verified as
// written, then tampered with in every way a reviewer must catch: each tamper is named by
// file and check, and `--quarantine` moves the run aside with the reason.
import { spawnSync } from 'node:child_process';
import { generateKeyPairSync, sign } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.ts';
import { fixtureService } from '../helpers/temp-fleet.ts';

interface Check {
  check: string;
  ok: boolean;
  file: string | null;
  detail: string;
}

let dir = '';
let original = '';
let cases = 0;
const common = () => ['--contract', join(dir, 'contract.json'), '--state-dir', join(dir, 'state')];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'evident-verify-'));
  writeFileSync(
    join(dir, 'contract.json'),
    JSON.stringify({ name: 'verify fleet', version: '1.0.0', services: [fixtureService('alpha', 'http-ok.ts', 17170), fixtureService('beta', 'http-ok.ts', 17171, { depends_on: ['alpha'] })] }),
  );
  const up = await runCli(['up', ...common()]);
  expect(up.exitCode, up.stderr).toBe(0);
  const down = await runCli(['down', '--record', '--artifacts-dir', join(dir, 'artifacts'), '--actor', 'tester', ...common()]);
  expect(down.exitCode, down.stderr + down.stdout).toBe(0);
  expect(down.stdout).toMatch(/shutdown check PASSED: evidence in /);
  const runs = readdirSync(join(dir, 'artifacts')).filter((name) => name !== 'operator');
  expect(runs).toHaveLength(1);
  original = join(dir, 'artifacts', runs[0] as string);
}, 60_000);

afterAll(async () => {
  await runCli(['down', ...common()]);
  rmSync(dir, { recursive: true, force: true });
});

/** A copy of the run to tamper with. */
function copyRun(): string {
  cases += 1;
  const copy = join(dir, 'tamper', `case-${cases}`);
  cpSync(original, copy, { recursive: true });
  return copy;
}

async function verify(run: string, ...flags: string[]): Promise<{ exitCode: number; checks: Check[]; quarantined: { moved_to: string; reason_file: string } | null }> {
  // The test installation's own key is the one trusted, as on the machine that ran it.
  const result = await runCli(['verify', run, '--json', '--state-dir', join(dir, 'state'), ...flags]);
  const parsed = JSON.parse(result.stdout) as { checks: Check[]; quarantined: { moved_to: string; reason_file: string } | null };
  return { exitCode: result.exitCode, checks: parsed.checks, quarantined: parsed.quarantined };
}

const failed = (checks: Check[]) => checks.filter((c) => !c.ok).map((c) => `${c.check}:${c.file ?? ''}`);
const fileNamed = (run: string, pattern: RegExp) => readdirSync(run).find((n) => pattern.test(n)) as string;

function flipByte(path: string, at = 0.5): void {
  const bytes = readFileSync(path);
  const i = Math.floor(bytes.length * at);
  bytes[i] = (bytes[i] as number) ^ 0x01;
  writeFileSync(path, bytes);
}

describe('evident verify', () => {
  it('accepts the run as written, prints one line per check, and sha256sum agrees', async () => {
    const { exitCode, checks } = await verify(original);
    expect(exitCode).toBe(0);
    expect(checks.map((c) => c.check)).toEqual(['manifest', 'files', 'sha256sums', 'signature', 'journal', 'key', 'checkpoint', 'config', 'summary']);
    expect(checks.every((c) => c.ok)).toBe(true);
    const plain = await runCli(['verify', original, '--state-dir', join(dir, 'state')]);
    expect(plain.stdout.split('\n').filter((l) => l.startsWith('ok   '))).toHaveLength(9);
    const summary = JSON.parse(readFileSync(join(original, fileNamed(original, /-summary-/)), 'utf8')) as Record<string, unknown>;
    expect(summary).toMatchObject({ kind: 'shutdown', status: 'PASSED', services_stopped: 2, leftovers: [], zombie_pids_detected: 0, zombie_pids: [] });
    // The standard tools agree, with no evident involved.
    const sums = spawnSync('sha256sum', ['-c', 'SHA256SUMS'], { cwd: original, encoding: 'utf8' });
    expect(sums.status, sums.stdout + sums.stderr).toBe(0);
    expect(sums.stdout).toMatch(/journal\.jsonl: OK/);
    const manifest = fileNamed(original, /-manifest-.*\.sha256$/);
    const openssl = spawnSync('openssl', ['pkeyutl', '-verify', '-pubin', '-inkey', 'public-key.pem', '-rawin', '-in', manifest, '-sigfile', `${manifest}.sig`], { cwd: original, encoding: 'utf8' });
    expect(openssl.stdout).toMatch(/Signature Verified Successfully/);
  });

  it.each([
    ['journal.jsonl', 'journal'],
    ['config_snapshot.json', 'config'],
    ['config_hash.txt', 'config'],
    ['checkpoints.jsonl', 'checkpoint'],
    ['public-key.pem', 'signature'],
  ])('catches one flipped byte in %s (files + %s)', async (name, check) => {
    const run = copyRun();
    flipByte(join(run, name), name === 'public-key.pem' ? 0.6 : 0.5);
    const { exitCode, checks } = await verify(run);
    expect(exitCode).toBe(1);
    expect(failed(checks)).toContain(`files:${name}`);
    expect(failed(checks).some((f) => f.startsWith(`${check}:`))).toBe(true);
  });

  it('catches a flipped byte in the summary, the manifest, SHA256SUMS and the signature', async () => {
    const summaryRun = copyRun();
    const summary = fileNamed(summaryRun, /-summary-/);
    flipByte(join(summaryRun, summary), 0.05);
    expect(failed((await verify(summaryRun)).checks)).toContain(`files:${summary}`);

    const manifestRun = copyRun();
    const manifest = fileNamed(manifestRun, /-manifest-.*\.sha256$/);
    flipByte(join(manifestRun, manifest), 0.9);
    expect(failed((await verify(manifestRun)).checks)).toContain(`signature:${manifest}.sig`);

    const sumsRun = copyRun();
    flipByte(join(sumsRun, 'SHA256SUMS'), 0.3);
    expect(failed((await verify(sumsRun)).checks)).toEqual(['sha256sums:SHA256SUMS']);

    const sigRun = copyRun();
    flipByte(join(sigRun, `${manifest}.sig`), 0.5);
    expect(failed((await verify(sigRun)).checks)).toEqual([`signature:${manifest}.sig`]);
  });

  it('catches a deleted journal line, two swapped lines and a cut-off tail', async () => {
    const lines = (run: string) => readFileSync(join(run, 'journal.jsonl'), 'utf8').trimEnd().split('\n');
    const write = (run: string, l: string[]) => writeFileSync(join(run, 'journal.jsonl'), `${l.join('\n')}\n`);

    const deleted = copyRun();
    const d = lines(deleted);
    write(deleted, [...d.slice(0, 3), ...d.slice(4)]);
    const dChecks = (await verify(deleted)).checks;
    expect(failed(dChecks)).toContain('journal:journal.jsonl');
    expect(dChecks.find((c) => c.check === 'journal')?.detail).toMatch(/line 4/);

    const swapped = copyRun();
    const s = lines(swapped);
    [s[2], s[3]] = [s[3] as string, s[2] as string];
    write(swapped, s);
    expect(failed((await verify(swapped)).checks)).toContain('journal:journal.jsonl');

    // Cutting whole records off the end leaves a valid chain: only the signed checkpoint shows it.
    const cut = copyRun();
    write(cut, lines(cut).slice(0, -3));
    const cutChecks = (await verify(cut)).checks;
    expect(cutChecks.find((c) => c.check === 'journal')?.ok).toBe(true);
    expect(cutChecks.find((c) => c.check === 'checkpoint')?.detail).toMatch(/tail was cut off/);
  });

  it('catches an edited verdict even when the manifest is rehashed, and a forgery signed with another key', async () => {
    const run = copyRun();
    const summaryName = fileNamed(run, /-summary-/);
    const summary = JSON.parse(readFileSync(join(run, summaryName), 'utf8')) as Record<string, unknown>;
    summary.services_stopped = 3;
    writeFileSync(join(run, summaryName), `${JSON.stringify(summary, null, 2)}\n`);
    // The forger rebuilds SHA256SUMS and the manifest and signs with a key of their own.
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    writeFileSync(join(run, 'public-key.pem'), publicKey.export({ type: 'spki', format: 'pem' }));
    const manifestName = fileNamed(run, /-manifest-.*\.sha256$/);
    const { sha256File } = await import('../../src/evidence/hash-files.ts');
    const names = readdirSync(run).filter((n) => n !== manifestName && n !== 'SHA256SUMS' && !n.endsWith('.sig')).sort();
    const hashes = await Promise.all(names.map(async (n) => `${n}  ${await sha256File(join(run, n))}`));
    const header = readFileSync(join(run, manifestName), 'utf8').split('\n').slice(0, 3);
    const manifest = `${[...header, ...hashes].join('\n')}\n`;
    writeFileSync(join(run, manifestName), manifest);
    writeFileSync(join(run, 'SHA256SUMS'), `${hashes.map((h) => h.split('  ').reverse().join('  ')).join('\n')}\n`);
    writeFileSync(join(run, `${manifestName}.sig`), sign(null, Buffer.from(manifest), privateKey));

    const { exitCode, checks } = await verify(run);
    expect(exitCode).toBe(1);
    expect(checks.find((c) => c.check === 'files')?.ok).toBe(true);
    expect(checks.find((c) => c.check === 'signature')?.ok).toBe(true);
    expect(failed(checks)).toEqual(expect.arrayContaining([`summary:${summaryName}`, 'key:public-key.pem', 'checkpoint:checkpoints.jsonl']));
    expect(checks.find((c) => c.check === 'summary')?.detail).toMatch(/services_stopped: the summary says 3, the journal gives 2/);
  });

  it('checks the key against --trusted-key', async () => {
    const trusted = join(dir, 'state', 'keys', 'evident-ed25519.pub');
    expect((await verify(original, '--trusted-key', trusted)).exitCode).toBe(0);
    const other = join(dir, 'other.pub');
    writeFileSync(other, generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }));
    const { checks } = await verify(original, '--trusted-key', other);
    expect(failed(checks)).toEqual(['key:public-key.pem']);
  });

  it('--quarantine moves a failing run into invalidated/ with a file saying why, and leaves a good run alone', async () => {
    expect((await verify(original, '--quarantine')).quarantined).toBeNull();
    expect(existsSync(original)).toBe(true);

    const run = copyRun();
    truncateSync(join(run, 'journal.jsonl'), 100);
    const { exitCode, quarantined } = await verify(run, '--quarantine', '--actor', 'reviewer');
    expect(exitCode).toBe(1);
    expect(existsSync(run)).toBe(false);
    expect(quarantined?.moved_to).toBe(join(dir, 'tamper', 'invalidated', `case-${cases}`));
    expect(existsSync(join(quarantined?.moved_to as string, 'journal.jsonl'))).toBe(true);
    const why = readFileSync(quarantined?.reason_file as string, 'utf8');
    expect(why).toMatch(/by reviewer at /);
    expect(why).toMatch(/FAIL files journal\.jsonl: SHA-256 differs/);
  });

  it('refuses bad input with exit 2', async () => {
    expect((await runCli(['verify'])).exitCode).toBe(2);
    expect((await runCli(['verify', join(dir, 'no-such-run')])).exitCode).toBe(2);
    // The artifacts folder itself is not a run: exit 2, naming the runs inside.
    const parent = await runCli(['verify', join(dir, 'artifacts')]);
    expect(parent.exitCode).toBe(2);
    expect(parent.stderr).toContain(`is not a run folder (no journal.jsonl, no manifest); run folders in it: ${original.split(/[\\/]/).pop()}`);
    const badKey = await runCli(['verify', original, '--trusted-key', join(dir, 'contract.json')]);
    expect(badKey.exitCode).toBe(2);
    expect(badKey.stderr).toMatch(/not a PEM public key/);
  });
});
