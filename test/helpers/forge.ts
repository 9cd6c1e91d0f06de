// What a forger with write access to artifacts/ (and no access to state/keys) can do to a
// run folder, done the way a careful one would: edit records and re-chain every hash
// after them, rewrite the checkpoints, the summary, the manifest and SHA256SUMS so that
// every hash in the folder agrees again, and sign with a key of their own. The tests use
// these to show that none of it makes a run count.
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { canonicalJson } from '../../src/contract/canonical-json.ts';
import { sha256File } from '../../src/evidence/hash-files.ts';
import { GENESIS_HASH, recordHash, type JournalRecord } from '../../src/evidence/journal-record.ts';
import { publicKeyId } from '../../src/evidence/signing-key.ts';

export function readRecords(runDir: string): JournalRecord[] {
  return readFileSync(join(runDir, 'journal.jsonl'), 'utf8')
    .trimEnd()
    .split('\n')
    .map((line) => JSON.parse(line) as JournalRecord);
}

/** Every record re-hashed in order, each chained to the one before: a chain that checks. */
export function rechain(records: readonly JournalRecord[]): JournalRecord[] {
  let prev = GENESIS_HASH;
  return records.map((record) => {
    const { hash: _old, ...rest } = record;
    const unsigned = { ...rest, prev_hash: prev };
    const hash = recordHash(unsigned);
    prev = hash;
    return { ...unsigned, hash };
  });
}

export function writeRecords(runDir: string, records: readonly JournalRecord[]): void {
  writeFileSync(join(runDir, 'journal.jsonl'), `${records.map((r) => JSON.stringify(r)).join('\n')}\n`);
}

export function fileNamed(runDir: string, pattern: RegExp): string {
  const name = readdirSync(runDir).find((n) => pattern.test(n));
  if (name === undefined) throw new Error(`no file like ${pattern} in ${runDir}`);
  return name;
}

export function editSummary(runDir: string, edit: (summary: Record<string, unknown>) => void): void {
  const name = fileNamed(runDir, /-summary-.*\.json$/);
  const summary = JSON.parse(readFileSync(join(runDir, name), 'utf8')) as Record<string, unknown>;
  edit(summary);
  writeFileSync(join(runDir, name), `${JSON.stringify(summary, null, 2)}\n`);
}

export interface ForgerKey {
  privateKey: KeyObject;
  publicKeyPem: string;
  keyId: string;
}

export function forgerKey(): ForgerKey {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return { privateKey, publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(), keyId: publicKeyId(publicKey) };
}

/** Each checkpoint made to sign the journal as it is now (same counts), by `key`, or left signed by nobody new when no key is given. */
export function recheckpoint(runDir: string, key: ForgerKey | null): void {
  const records = readRecords(runDir);
  const path = join(runDir, 'checkpoints.jsonl');
  const lines = readFileSync(path, 'utf8').trimEnd().split('\n');
  const rewritten = lines.map((line) => {
    const checkpoint = JSON.parse(line) as Record<string, unknown> & { count: number };
    const fields: Record<string, unknown> = { ...checkpoint, head_hash: records[checkpoint.count - 1]?.hash ?? GENESIS_HASH };
    delete fields.signature;
    if (key !== null) fields.key_id = key.keyId;
    const signature = key === null ? checkpoint.signature : sign(null, Buffer.from(canonicalJson(fields), 'utf8'), key.privateKey).toString('base64');
    return JSON.stringify({ ...fields, signature });
  });
  writeFileSync(path, `${rewritten.join('\n')}\n`);
}

/**
 * The manifest, SHA256SUMS and (with a key) the signature rewritten over the files as they
 * are now: every hash in the folder agrees again. Without a key the old signature stays.
 */
export async function remanifest(runDir: string, key: ForgerKey | null): Promise<void> {
  const manifestName = fileNamed(runDir, /-manifest-.*\.sha256$/);
  if (key !== null) writeFileSync(join(runDir, 'public-key.pem'), key.publicKeyPem);
  const names = readdirSync(runDir)
    .filter((n) => n !== manifestName && n !== 'SHA256SUMS' && n !== `${manifestName}.sig`)
    .sort();
  const hashes = await Promise.all(names.map(async (n) => ({ name: n, sha256: await sha256File(join(runDir, n)) })));
  const header = readFileSync(join(runDir, manifestName), 'utf8').split('\n').slice(0, 3);
  const manifest = `${[...header, ...hashes.map((h) => `${h.name}  ${h.sha256}`)].join('\n')}\n`;
  writeFileSync(join(runDir, manifestName), manifest);
  writeFileSync(join(runDir, 'SHA256SUMS'), hashes.map((h) => `${h.sha256}  ${h.name}\n`).join(''));
  if (key !== null) writeFileSync(join(runDir, `${manifestName}.sig`), sign(null, Buffer.from(manifest), key.privateKey));
}
