// The operator journal, attested batch by batch, on real files: an honest one verifies
// (`evident verify artifacts/operator`); each tamper fails it and counts for nothing —
// a record appended by hand (a forged approval does not become the lock, a forged
// blocker is not folded), a record edited and the chain re-hashed, an attestation by
// another key, a stray file; a writer that died before attesting its batch leaves a tail
// the next writer moves aside, named by a repair record.
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CONTRACT_LOCK, lockFrom } from '../../src/evidence/declaration-lock.ts';
import { readOperatorRecords } from '../../src/evidence/ensure-locked.ts';
import { Journal } from '../../src/evidence/journal.ts';
import { openOperatorJournal, operatorJournalPath } from '../../src/evidence/operator-journal.ts';
import { loadOrCreateSigningKey } from '../../src/evidence/signing-key.ts';
import { installationTrustedKeys } from '../../src/evidence/trusted-keys.ts';
import { verifyOperatorJournal } from '../../src/evidence/verify-operator-journal.ts';
import { resolveStatePaths } from '../../src/paths/state-paths.ts';
import { StateStore } from '../../src/state/state-store.ts';
import { readRecords, rechain, writeRecords } from '../helpers/forge.ts';
import { runCli } from '../helpers/run-cli.ts';
import { nextUlid } from '../helpers/next-ulid.ts';

const CONTRACT = { version: '1.0.0', hash: 'c'.repeat(64) };
let dir = '';
const artifacts = () => join(dir, 'artifacts');
const keysDir = () => join(dir, 'state', 'keys');
const operatorDir = () => join(artifacts(), 'operator');

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'evident-operator-journal-'));
  // An honest history: a lock, a blocker and a sign-off, each recorded by its own command.
  for (const [type, payload] of [
    ['contract.locked', { name: 'demo', version: '1.0.0', hash: 'a'.repeat(64), spec: {} }],
    ['operator.blocker', { gate: 'gate1', run_id: 'R1', what_failed: 'x', root_cause: 'y', fix: 'z' }],
    ['operator.signoff', { gate: 'prerequisites', run_id: 'R0', statement: 'reviewed' }],
  ] as const) {
    const journal = await openOperatorJournal(artifacts(), keysDir(), CONTRACT, 'alice');
    await journal.append({ type, payload: { ...payload } });
    await journal.close();
  }
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const verify = () => verifyOperatorJournal(operatorDir(), { trustedKeys: installationTrustedKeys(keysDir()) });
const failed = () => verify().checks.filter((c) => !c.ok).map((c) => `${c.check}: ${c.detail}`);

describe('the attested operator journal', () => {
  it('verifies when honest, through the CLI too, naming the key that attested every record', async () => {
    expect(verify()).toMatchObject({ ok: true, records: 6 });
    const cli = await runCli(['verify', operatorDir(), '--state-dir', join(dir, 'state')]);
    expect(cli.exitCode, cli.stdout).toBe(0);
    expect(cli.stdout).toMatch(/ok {3}attestation journal\.jsonl: every record of 6 is attested, by key [0-9a-f]{16} \(this installation's key/);
    expect(cli.stdout).toMatch(/^verified: .*\n {2}the operator journal: 6 records, every one attested by a trusted key$/m);
    // A reviewer elsewhere, without the installation's key, trusts nothing.
    const cold = await runCli(['verify', operatorDir(), '--state-dir', join(dir, 'elsewhere')]);
    expect(cold.exitCode).toBe(1);
    expect(cold.stdout).toMatch(/no key is trusted here/);
  });

  it('a forged approval appended by hand fails verify, never becomes the lock, and is moved aside by the next writer', async () => {
    const records = readRecords(operatorDir());
    const last = records.at(-1);
    if (last === undefined) throw new Error('no records');
    const forged = { ...last, id: nextUlid(last.id), type: 'operator.contract-approval', actor: 'mallory', payload: { name: 'demo', from: null, to: { version: '9.9.9', hash: 'f'.repeat(64) }, spec: {}, reason: 'trust me' } };
    writeRecords(operatorDir(), rechain([...records, forged]));
    expect(failed()).toEqual([expect.stringMatching(/^attestation: 1 record\(s\) after the last attestation \(operator\.contract-approval by mallory\)/)]);
    const path = operatorJournalPath(artifacts());
    expect(lockFrom(CONTRACT_LOCK, readOperatorRecords(path, keysDir()))).toMatchObject({ version: '1.0.0' });
    // The next honest command moves the forged tail aside and says so, attested.
    const journal = await openOperatorJournal(artifacts(), keysDir(), CONTRACT, 'bob');
    await journal.close();
    const after = readRecords(operatorDir());
    expect(after.some((r) => r.actor === 'mallory')).toBe(false);
    expect(after.find((r) => r.type === 'journal.repair')?.payload).toMatchObject({ found: '1 record(s) after the last attestation' });
    expect(verify().ok).toBe(true);
  });

  it('a record edited and the whole chain re-hashed breaks the attestation that covers it', () => {
    const edited = readRecords(operatorDir()).map((r) => (r.type === 'operator.blocker' ? { ...r, payload: { ...r.payload, root_cause: 'nobody knows' } } : r));
    writeRecords(operatorDir(), rechain(edited));
    expect(failed()).toEqual([expect.stringMatching(/^attestation: record 4: an attestation of a last record whose hash is not/)]);
  });

  it('records attested by another key do not count here, and the state view folds nothing of them', async () => {
    const other = loadOrCreateSigningKey(join(dir, 'other-state', 'keys'));
    const journal = await Journal.open(operatorJournalPath(artifacts()), { contract: CONTRACT, actor: 'mallory', attest: other });
    await journal.append({ type: 'operator.signoff', payload: { gate: 'gate1', run_id: 'R9', statement: 'signed by someone else' } });
    await journal.close();
    expect(failed()).toEqual([expect.stringMatching(new RegExp(`^attestation: record 8: attested by key ${other.keyId}, which is not trusted here`))]);
    const store = await StateStore.open(resolveStatePaths(join(dir, 'state')), artifacts());
    expect(store.view.signoffs.map((s) => s.statement)).toEqual(['reviewed']);
    expect(store.problems).toEqual([expect.stringMatching(/record 8: attested by key/)]);
  });

  it('a writer that died before attesting its batch leaves a tail the next writer moves aside', async () => {
    const path = operatorJournalPath(artifacts());
    const last = readRecords(operatorDir()).at(-1);
    if (last === undefined) throw new Error('no records');
    // Its records made it to disk, their attestation did not (as if killed between two writes).
    const unattested = rechain([...readRecords(operatorDir()), { ...last, id: nextUlid(last.id), type: 'operator.stop', payload: { services: ['alpha'] } }]).at(-1);
    appendFileSync(path, `${JSON.stringify(unattested)}\n`);
    expect(verify().ok).toBe(false);
    const journal = await openOperatorJournal(artifacts(), keysDir(), CONTRACT, 'bob');
    await journal.append({ type: 'operator.start', payload: { services: ['alpha'] } });
    await journal.close();
    expect(verify()).toMatchObject({ ok: true });
    // The repair is written, and attested, as the journal opens; then the new record and its attestation.
    expect(readRecords(operatorDir()).map((r) => r.type).slice(-4)).toEqual(['journal.repair', 'journal.attest', 'operator.start', 'journal.attest']);
  });

  it('a stray file in the operator folder fails it', () => {
    writeFileSync(join(operatorDir(), 'notes.txt'), 'x');
    expect(failed()).toEqual(['files: not part of the operator journal: added by hand?']);
    expect(readFileSync(join(operatorDir(), 'public-key.pem'), 'utf8')).toBe(loadOrCreateSigningKey(keysDir()).publicKeyPem);
  });
});
