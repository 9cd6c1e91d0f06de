// Checks a run folder without trusting the process that wrote it: every file against the
// manifest, the manifest against its signature and the run's key, the journal's chain and
// its signed checkpoints, the config hash, and the summary against the verdict recomputed
// from the journal by the run kind's registered judge. Reads only; one result per check.
import { createPublicKey } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { canonicalJson, canonicalSha256 } from '../contract/canonical-json.ts';
import { CHECKPOINTS_FILE, checkCheckpointSignatures, checkJournalReachesCheckpoint, readCheckpoints } from './checkpoint.ts';
import { hashFiles } from './hash-files.ts';
import type { JournalRecord } from './journal-record.ts';
import { judgeFor } from './judge-registry.ts';
import { parseManifest, parseSha256sum } from './manifest.ts';
import { readJournal } from './read-journal.ts';
import {
  CONFIG_HASH_FILE,
  CONFIG_SNAPSHOT_FILE,
  isOutsideManifest,
  JOURNAL_FILE,
  MANIFEST_PATTERN,
  PUBLIC_KEY_FILE,
  SHA256SUMS_FILE,
  SIGNATURE_SUFFIX,
  SUMMARY_PATTERN,
} from './run-layout.ts';
import { publicKeyId, verifySignature } from './signing-key.ts';

export type CheckName = 'manifest' | 'files' | 'sha256sums' | 'signature' | 'key' | 'journal' | 'checkpoint' | 'config' | 'summary' | 'evidence';

export interface CheckResult {
  check: CheckName;
  ok: boolean;
  /** The file the check is about, relative to the run folder. */
  file: string | null;
  detail: string;
}

export interface VerifyOptions {
  /** A public key (PEM) the run must be signed with, e.g. this machine's `state/keys`. */
  trustedPublicKeyPem?: string;
}

export async function verifyRun(dir: string, options: VerifyOptions = {}): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  const pass = (check: CheckName, file: string | null, detail: string) => results.push({ check, ok: true, file, detail });
  const fail = (check: CheckName, file: string | null, detail: string) => results.push({ check, ok: false, file, detail });
  const names = readdirSync(dir).filter((name) => statSync(join(dir, name)).isFile());
  const read = (name: string) => readFileSync(join(dir, name));

  // Manifest, files, companion.
  const manifests = names.filter((n) => MANIFEST_PATTERN.test(n));
  const manifestFile = manifests.length === 1 ? manifests[0] : undefined;
  let manifestText: Buffer | null = null;
  if (manifestFile === undefined) {
    fail('manifest', null, manifests.length === 0 ? 'no manifest: the run never finished (interrupted?) or it was removed' : `${manifests.length} manifests: ${manifests.join(', ')}`);
  } else {
    manifestText = read(manifestFile);
    const manifest = parseManifest(manifestText.toString('utf8'));
    if (manifest.problems.length > 0) fail('manifest', manifestFile, manifest.problems.map((p) => `line ${p.line}: ${p.message}`).join('; '));
    else pass('manifest', manifestFile, `${manifest.entries.length} files listed, status ${manifest.status ?? '?'}`);

    const listed = new Set(manifest.entries.map((e) => e.name));
    let matched = 0;
    const present = manifest.entries.filter((e) => names.includes(e.name));
    const hashed = new Map((await hashFiles(dir, present.map((e) => e.name))).map((h) => [h.name, h.sha256]));
    for (const entry of manifest.entries) {
      if (!hashed.has(entry.name)) fail('files', entry.name, 'listed in the manifest but missing');
      else if (hashed.get(entry.name) !== entry.sha256) fail('files', entry.name, 'SHA-256 differs from the manifest: changed after the run was signed');
      else matched += 1;
    }
    for (const name of names) if (!listed.has(name) && !isOutsideManifest(name)) fail('files', name, 'not in the manifest: added after the run was signed');
    if (matched === manifest.entries.length && !results.some((r) => r.check === 'files')) pass('files', null, `${matched} files match their SHA-256 in the manifest`);

    if (!names.includes(SHA256SUMS_FILE)) fail('sha256sums', SHA256SUMS_FILE, 'missing');
    else {
      const sums = parseSha256sum(read(SHA256SUMS_FILE).toString('utf8'));
      const same = sums.problems.length === 0 && canonicalJson(sortEntries(sums.entries)) === canonicalJson(sortEntries(manifest.entries));
      if (same) pass('sha256sums', SHA256SUMS_FILE, 'lists the same files and hashes as the manifest');
      else fail('sha256sums', SHA256SUMS_FILE, sums.problems.length > 0 ? sums.problems.map((p) => `line ${p.line}: ${p.message}`).join('; ') : 'differs from the manifest');
    }
  }

  // Signature and key.
  const publicKeyPem = names.includes(PUBLIC_KEY_FILE) ? read(PUBLIC_KEY_FILE).toString('utf8') : null;
  const keyId = publicKeyPem === null ? null : keyIdOf(publicKeyPem);
  if (manifestFile !== undefined && manifestText !== null) {
    const sigFile = `${manifestFile}${SIGNATURE_SUFFIX}`;
    if (!names.includes(sigFile)) fail('signature', sigFile, 'missing');
    else if (publicKeyPem === null) fail('signature', PUBLIC_KEY_FILE, 'missing: nothing to check the signature with');
    else if (verifySignature(publicKeyPem, manifestText, read(sigFile))) pass('signature', sigFile, `valid Ed25519 signature of ${manifestFile} by key ${keyId}`);
    else fail('signature', sigFile, `does not verify ${manifestFile} with ${PUBLIC_KEY_FILE}: the manifest, the signature or the key was replaced`);
  }

  // The journal and its checkpoints.
  let records: JournalRecord[] = [];
  if (!names.includes(JOURNAL_FILE)) fail('journal', JOURNAL_FILE, 'missing');
  else {
    const reading = readJournal(join(dir, JOURNAL_FILE));
    records = reading.records;
    if (reading.problems.length > 0) fail('journal', JOURNAL_FILE, reading.problems.map((p) => p.message).join('; '));
    else if (reading.torn) fail('journal', JOURNAL_FILE, `torn last line at byte ${reading.torn.offset} (${reading.torn.length} bytes): the writer stopped mid-append`);
    else pass('journal', JOURNAL_FILE, `${records.length} records, hash chain intact`);
  }
  const startKeyId = records.find((r) => r.type === 'run.start')?.payload.key_id;
  if (keyId !== null) {
    const problems: string[] = [];
    if (typeof startKeyId === 'string' && startKeyId !== keyId) problems.push(`the journal's run.start names key ${startKeyId}, ${PUBLIC_KEY_FILE} is key ${keyId}`);
    if (options.trustedPublicKeyPem !== undefined && keyIdOf(options.trustedPublicKeyPem) !== keyId) problems.push(`key ${keyId} is not the trusted key ${keyIdOf(options.trustedPublicKeyPem)}`);
    if (problems.length > 0) fail('key', PUBLIC_KEY_FILE, problems.join('; '));
    else pass('key', PUBLIC_KEY_FILE, `key ${keyId}${options.trustedPublicKeyPem !== undefined ? ', the trusted key' : ' (not compared with a trusted key: pass --trusted-key)'}`);
  }
  if (!names.includes(CHECKPOINTS_FILE)) fail('checkpoint', CHECKPOINTS_FILE, 'missing: nothing shows the journal was not cut short');
  else {
    const { checkpoints, problems } = readCheckpoints(dir);
    if (publicKeyPem !== null && keyId !== null) problems.push(...checkCheckpointSignatures(checkpoints, publicKeyPem, keyId));
    const latest = checkpoints.at(-1);
    if (!latest) problems.push('no checkpoint in the file');
    else {
      const reach = checkJournalReachesCheckpoint(records, latest);
      if (reach) problems.push(reach);
      const ended = records.some((r) => r.type === 'run.end');
      if (ended && latest.count !== records.length) problems.push(`the run ended with ${latest.count} records signed, the journal has ${records.length}`);
    }
    if (problems.length > 0) fail('checkpoint', CHECKPOINTS_FILE, problems.join('; '));
    else if (latest) pass('checkpoint', CHECKPOINTS_FILE, `journal reaches checkpoint ${latest.seq} (${latest.reason}: ${latest.count} records)`);
  }

  // Config snapshot.
  if (!names.includes(CONFIG_SNAPSHOT_FILE) || !names.includes(CONFIG_HASH_FILE)) fail('config', names.includes(CONFIG_SNAPSHOT_FILE) ? CONFIG_HASH_FILE : CONFIG_SNAPSHOT_FILE, 'missing');
  else {
    const recorded = read(CONFIG_HASH_FILE).toString('utf8').trim();
    const actual = jsonOrNull(read(CONFIG_SNAPSHOT_FILE).toString('utf8'));
    if (actual === undefined) fail('config', CONFIG_SNAPSHOT_FILE, 'not valid JSON');
    else if (canonicalSha256(actual) !== recorded) fail('config', CONFIG_HASH_FILE, `does not match ${CONFIG_SNAPSHOT_FILE}`);
    else pass('config', CONFIG_HASH_FILE, `matches ${CONFIG_SNAPSHOT_FILE}`);
  }

  // The summary, recomputed from the journal.
  const summaries = names.filter((n) => SUMMARY_PATTERN.test(n));
  const summaryFile = summaries.length === 1 ? summaries[0] : undefined;
  if (summaryFile === undefined) fail('summary', null, summaries.length === 0 ? 'no summary' : `${summaries.length} summaries: ${summaries.join(', ')}`);
  else {
    const summary = jsonOrNull(read(summaryFile).toString('utf8')) as Record<string, unknown> | null | undefined;
    const kind = summary?.kind;
    const judge = typeof kind === 'string' ? judgeFor(kind) : undefined;
    if (!summary || typeof summary !== 'object') fail('summary', summaryFile, 'not a JSON object');
    else if (!judge) fail('summary', summaryFile, `no judge for run kind ${JSON.stringify(kind)}`);
    else {
      const criteria = (summary.criteria ?? {}) as Record<string, unknown>;
      // The judge saw the records up to run.end (run.verdict, written after, only repeats its answer).
      const end = records.findIndex((r) => r.type === 'run.end');
      const verdict = judge.judge(end < 0 ? records : records.slice(0, end + 1), criteria);
      const differences = Object.entries(verdict)
        .filter(([field, value]) => canonicalJson(summary[field] ?? null) !== canonicalJson(value))
        .map(([field, value]) => `${field}: the summary says ${short(summary[field])}, the journal gives ${short(value)}`);
      const recordedVerdict = records.find((r) => r.type === 'run.verdict');
      if (recordedVerdict && recordedVerdict.payload.status !== verdict.status) differences.push(`the journal's run.verdict says ${short(recordedVerdict.payload.status)}, the judge gives ${short(verdict.status)}`);
      const started = records.find((r) => r.type === 'run.start');
      if (started && canonicalJson(started.payload.criteria ?? {}) !== canonicalJson(criteria)) differences.push('criteria differ from the ones the run started with');
      const contract = summary.contract as { hash?: unknown } | undefined;
      if (started && contract?.hash !== started.contract.hash) differences.push(`contract hash ${short(contract?.hash)} is not the one the journal records`);
      if (differences.length > 0) fail('summary', summaryFile, differences.join('; '));
      else pass('summary', summaryFile, `${verdict.status}: equals ${judge.kind} judge over ${records.length} journal records`);
      if (judge.checkEvidenceFiles) {
        const problems = judge.checkEvidenceFiles(records, names, (name) => (names.includes(name) ? read(name).toString('utf8') : null));
        if (problems.length > 0) fail('evidence', null, problems.slice(0, 5).join('; ') + (problems.length > 5 ? `; and ${problems.length - 5} more` : ''));
        else pass('evidence', null, `the ${judge.title} files beside the journal agree with it`);
      }
    }
  }
  return results;
}

/** The key id of a PEM public key, or a note that it is not one. */
function keyIdOf(publicKeyPem: string): string {
  try {
    return publicKeyId(createPublicKey(publicKeyPem));
  } catch {
    return 'unreadable';
  }
}

function sortEntries(entries: readonly { name: string; sha256: string }[]) {
  return [...entries].map((e) => ({ name: e.name, sha256: e.sha256 })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function jsonOrNull(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function short(value: unknown): string {
  const text = JSON.stringify(value) ?? 'nothing';
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}

export function runFolderExists(dir: string): boolean {
  return existsSync(dir) && statSync(dir).isDirectory();
}
