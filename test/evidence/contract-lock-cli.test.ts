// `evident contract check|approve` on real files: the first check locks the contract in
// the operator journal, changed content under the same version is refused with every
// changed field, a new version passes only once approved, and an approval delivered
// twice is one record.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JournalRecord } from '../../src/evidence/journal-record.ts';
import { readJournal } from '../../src/evidence/read-journal.ts';
import { runCli } from '../helpers/run-cli.ts';
import { fixtureService } from '../helpers/temp-fleet.ts';

let dir = '';
const contractPath = () => join(dir, 'contract.json');
const journalPath = () => join(dir, 'artifacts', 'operator', 'journal.jsonl');
const common = () => ['--contract', contractPath(), '--artifacts-dir', join(dir, 'artifacts'), '--state-dir', join(dir, 'state'), '--actor', 'alice'];

function writeContract(version: string, alphaPort: number, betaEnv: Record<string, string> = { API_TOKEN: 'tok-secret-1' }): void {
  const services = [fixtureService('alpha', 'http-ok.ts', alphaPort), fixtureService('beta', 'http-ok.ts', 17189, { env: betaEnv })];
  writeFileSync(contractPath(), JSON.stringify({ name: 'lock fleet', version, services }, null, 2));
}

function records(type?: string): JournalRecord[] {
  const reading = readJournal(journalPath());
  expect(reading.problems).toEqual([]);
  return type === undefined ? reading.records : reading.records.filter((r) => r.type === type);
}

function liveLock(): Record<string, unknown> | null {
  return (JSON.parse(readFileSync(join(dir, 'state', 'evident-state.json'), 'utf8')) as { contract_lock: Record<string, unknown> | null }).contract_lock;
}

async function check(...extra: string[]) {
  return runCli(['contract', 'check', ...common(), ...extra]);
}

async function approve(...extra: string[]) {
  return runCli(['contract', 'approve', ...common(), ...extra]);
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'evident-contract-lock-'));
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

// One story, in order: each step starts from the journal the one before left.
describe('evident contract', () => {
  it('locks the contract on the first check: version, hash and spec (secrets redacted) in the operator journal', async () => {
    writeContract('1.0.0', 17188);
    const first = await check();
    expect(first.exitCode, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/^locked now: contract "lock fleet" version 1\.0\.0 \(hash [0-9a-f]{12}\) is the lock/);
    const [locked, ...more] = records('contract.locked');
    expect(more).toEqual([]);
    expect(locked?.actor).toBe('alice');
    expect(locked?.payload).toMatchObject({ name: 'lock fleet', version: '1.0.0', spec: { services: [{ name: 'alpha', port: 17188 }, { name: 'beta', env: { API_TOKEN: '[redacted]' } }] } });
    expect(readFileSync(journalPath(), 'utf8')).not.toContain('tok-secret-1');
    // Every record carries the contract it was made under.
    expect(locked?.contract).toEqual({ version: '1.0.0', hash: locked?.payload.hash });
    expect(liveLock()).toMatchObject({ version: '1.0.0', hash: locked?.payload.hash, record_id: locked?.id });

    const again = await check('--json');
    expect(again.exitCode).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ ok: true, state: 'same', lock: { version: '1.0.0', hash: locked?.payload.hash } });
    expect(records('contract.locked')).toHaveLength(1);
  });

  it('refuses content changed under the same version with exit 3, listing every changed field', async () => {
    writeContract('1.0.0', 17187, { API_TOKEN: 'tok-secret-1', LOG_LEVEL: 'debug' });
    const plain = await check();
    expect(plain.exitCode).toBe(3);
    expect(plain.stdout).toContain('REFUSED: contract "lock fleet" changed under version 1.0.0');
    expect(plain.stdout).toContain('  services[0].port: 17188 → 17187\n');
    expect(plain.stdout).toContain('  services[1].env.LOG_LEVEL: added "debug"\n');
    const json = JSON.parse((await check('--json')).stdout) as { ok: boolean; state: string; changes: string[]; message: string };
    expect(json).toMatchObject({ ok: false, state: 'drift', changes: ['services[0].port: 17188 → 17187', 'services[1].env.LOG_LEVEL: added "debug"'] });
    expect(json.message).toMatch(/: services\[0\]\.port: 17188 → 17187; services\[1\]\.env\.LOG_LEVEL: added "debug"; bump the version$/);
    expect(records('contract.locked')).toHaveLength(1);
  });

  it('will not approve a drift: a change under the same version must be a version bump', async () => {
    const refused = await approve('--reason', 'looks fine');
    expect(refused.exitCode).toBe(3);
    expect(refused.stdout).toContain('is never approved');
    expect(refused.stdout).toContain('services[0].port: 17188 → 17187');
    expect(records('operator.contract-approval')).toEqual([]);
  });

  it('refuses a new version until it is approved, saying how', async () => {
    writeContract('1.1.0', 17187, { API_TOKEN: 'tok-secret-1', LOG_LEVEL: 'debug' });
    const refused = await check();
    expect(refused.exitCode).toBe(3);
    expect(refused.stdout).toContain('version 1.1.0');
    expect(refused.stdout).toContain('  version: "1.0.0" → "1.1.0"\n');
    expect(refused.stdout).toContain('approve it: evident contract approve --reason TEXT');
    const noReason = await approve();
    expect(noReason.exitCode).toBe(2);
    expect(noReason.stderr).toContain('--reason TEXT is required');
  });

  it('records an approval once for the same idempotency key, and then the new version passes', async () => {
    const first = await approve('--reason', 'port moved off a clash', '--idempotency-key', 'change-42', '--json');
    expect(first.exitCode, first.stderr).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({ ok: true, state: 'approved', lock: { version: '1.1.0', approved_by: 'alice', reason: 'port moved off a clash' } });
    const retried = await approve('--reason', 'port moved off a clash', '--idempotency-key', 'change-42');
    expect(retried.exitCode).toBe(0);
    expect(retried.stdout).toMatch(/^already recorded: .*idempotency key change-42.*not recorded again/);

    const approvals = records('operator.contract-approval');
    expect(approvals).toHaveLength(1);
    const [locked] = records('contract.locked');
    expect(approvals[0]).toMatchObject({ actor: 'alice', idempotency_key: 'change-42', payload: { from: { version: '1.0.0', hash: locked?.payload.hash }, to: { version: '1.1.0' }, reason: 'port moved off a clash' } });
    expect(approvals[0]?.contract).toEqual({ version: '1.1.0', hash: (approvals[0]?.payload.to as { hash: string }).hash });

    const passes = await check();
    expect(passes.exitCode).toBe(0);
    expect(passes.stdout).toMatch(/^ok: contract "lock fleet" version 1\.1\.0 .* matches the lock \(approved by alice at /);
    expect(liveLock()).toMatchObject({ version: '1.1.0', approved_by: 'alice', record_id: approvals[0]?.id });
  });

  it('without a key, approving the same contract twice is one record', async () => {
    writeContract('1.2.0', 17186);
    const [first, second] = [await approve('--reason', 'r1'), await approve('--reason', 'r1')];
    expect(first.exitCode, first.stderr).toBe(0);
    expect(second.exitCode).toBe(0);
    expect(second.stdout).toMatch(/^nothing to approve: .* already is the lock/);
    const approvals = records('operator.contract-approval').filter((r) => (r.payload.to as { version: string }).version === '1.2.0');
    expect(approvals).toHaveLength(1);
    expect(approvals[0]?.idempotency_key).toMatch(/^contract-approval:1\.2\.0:[0-9a-f]{64}:from:1\.1\.0:[0-9a-f]{64}$/);
  });

  it('refuses with exit 2 a key already used for another approval', async () => {
    writeContract('1.3.0', 17185);
    const reused = await approve('--reason', 'r', '--idempotency-key', 'change-42');
    expect(reused.exitCode).toBe(2);
    expect(reused.stderr).toContain('idempotency key "change-42" was already used by the approval of contract version 1.1.0');
    expect(records('operator.contract-approval').filter((r) => (r.payload.to as { version: string }).version === '1.3.0')).toEqual([]);
  });

  it('says what is wrong with bad input, exit 2', async () => {
    const help = await runCli(['contract', '--help']);
    expect(help.exitCode).toBe(0);
    expect(help.stdout).toMatch(/^usage: evident contract <check\|approve>/);
    const unknown = await runCli(['contract', 'lock', ...common()]);
    expect(unknown.exitCode).toBe(2);
    expect(unknown.stderr).toContain('expected one of check, approve, got "lock"');
    const reasonOnCheck = await check('--reason', 'x');
    expect(reasonOnCheck.exitCode).toBe(2);
    writeFileSync(contractPath(), '{"name": "x", "version": "1.0.0",\n "services": [}');
    const broken = await check();
    expect(broken.exitCode).toBe(2);
    expect(broken.stderr).toMatch(/line 2:\d+/);
    expect(broken.stderr).not.toMatch(/\n\s+at /);
  });

  it('an approval with nothing locked yet is the lock, from nothing, under the default key', async () => {
    writeContract('2.0.0', 17184);
    const fresh = join(dir, 'fresh-artifacts');
    const approved = await runCli(['contract', 'approve', '--reason', 'first', '--json', '--contract', contractPath(), '--artifacts-dir', fresh, '--state-dir', join(dir, 'fresh-state')]);
    expect(approved.exitCode, approved.stderr).toBe(0);
    const reading = readJournal(join(fresh, 'operator', 'journal.jsonl'));
    // The approval, and the attestation its write batch ends with.
    expect(reading.records.map((r) => r.type)).toEqual(['operator.contract-approval', 'journal.attest']);
    const [approval] = reading.records;
    expect(approval?.payload.from).toBeNull();
    expect(approval?.idempotency_key).toBe(`contract-approval:2.0.0:${approval?.contract.hash}`);
    const checked = await runCli(['contract', 'check', '--contract', contractPath(), '--artifacts-dir', fresh, '--state-dir', join(dir, 'fresh-state')]);
    expect(checked.exitCode).toBe(0);
  });
});
