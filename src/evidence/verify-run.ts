// Checks a run folder without trusting the process that wrote it: every entry of the
// folder is a regular file, listed in the manifest or one of its exact signature files;
// every file against the manifest, the manifest against its signature, the run's key
// against the keys the reader trusts, the journal's chain and its signed checkpoints, the
// config hash, and the summary against the verdict recomputed from the journal by the run
// kind's registered judge. "Verified" means all of it: intact AND signed by a trusted key.
// Reads only, never following a symbolic link; one result per check.
import { createHash, createPublicKey } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { canonicalJson, canonicalSha256 } from '../contract/canonical-json.ts';
import { folderEntries } from '../fs/folder-entries.ts';
import { CHECKPOINTS_FILE, checkCheckpointSignatures, checkJournalReachesCheckpoint, readCheckpoints } from './checkpoint.ts';
import { hashFiles } from './hash-files.ts';
import type { JournalRecord } from './journal-record.ts';
import { judgeFor } from './judge-registry.ts';
import { parseManifest, parseSha256sum } from './manifest.ts';
import { readJournal } from './read-journal.ts';
import {
  CONFIG_HASH_FILE,
  CONFIG_SNAPSHOT_FILE,
  JOURNAL_FILE,
  MANIFEST_PATTERN,
  PUBLIC_KEY_FILE,
  SHA256SUMS_FILE,
  SIGNATURE_SUFFIX,
  signatureFiles,
  SUMMARY_PATTERN,
} from './run-layout.ts';
import { publicKeyId, verifySignature } from './signing-key.ts';
import { howToTrust, keyFingerprint, type TrustedKey } from './trusted-keys.ts';

export type CheckName = 'manifest' | 'files' | 'sha256sums' | 'signature' | 'key' | 'journal' | 'checkpoint' | 'config' | 'summary' | 'evidence' | 'attestation' | 'repairs';

export interface CheckResult {
  check: CheckName;
  ok: boolean;
  /** The file the check is about, relative to the run folder. */
  file: string | null;
  detail: string;
}

export interface VerifyOptions {
  /** The keys the reader trusts: the run must be signed by one of them. None trusted: nothing verifies. */
  trustedKeys: readonly TrustedKey[];
}

/** What verify found, beside its checks: the verdict the run stands for, who signed it, and its manifest. */
export interface VerifyReport {
  ok: boolean;
  checks: CheckResult[];
  /** The verdict the summary records, when the summary equals the judge's recomputation (else null). */
  verdict: {
    kind: string;
    /** The run the evidence is of, as its own journal names it: what a view claiming it is checked against. */
    runId: string | null;
    gate: string | null;
    status: string;
    trial: boolean;
    contractHash: string | null;
    pipelineHash: string | null;
    reasons: string[];
  } | null;
  /** The key in the run folder, and which trusted key it is (null when none). */
  key: { keyId: string; fingerprint: string | null; trustedAs: string | null } | null;
  /** The manifest and the SHA-256 of its bytes (what its signature signs): the run's seal. */
  manifest: { file: string; sha256: string } | null;
}

/** The checks alone (see verifyRunReport). */
export async function verifyRun(dir: string, options: VerifyOptions): Promise<CheckResult[]> {
  return (await verifyRunReport(dir, options)).checks;
}

export async function verifyRunReport(dir: string, options: VerifyOptions): Promise<VerifyReport> {
  const results: CheckResult[] = [];
  const pass = (check: CheckName, file: string | null, detail: string) => results.push({ check, ok: true, file, detail });
  const fail = (check: CheckName, file: string | null, detail: string) => results.push({ check, ok: false, file, detail });
  const entries = folderEntries(dir);
  // Only regular files are read at all: a symbolic link (dangling or not), a sub-folder or
  // a device is refused by name, never followed.
  const names = entries.filter((e) => e.kind === 'file').map((e) => e.name);
  const read = (name: string) => readFileSync(join(dir, name));
  let manifestSeal: VerifyReport['manifest'] = null;

  // Manifest, files, companion.
  const manifests = names.filter((n) => MANIFEST_PATTERN.test(n));
  const manifestFile = manifests.length === 1 ? manifests[0] : undefined;
  let manifestText: Buffer | null = null;
  const listed = new Set<string>();
  if (manifestFile === undefined) {
    fail('manifest', null, manifests.length === 0 ? 'no manifest: the run was never sealed (interrupted before its end?) or it was removed' : `${manifests.length} manifests: ${manifests.join(', ')}`);
  } else {
    manifestText = read(manifestFile);
    manifestSeal = { file: manifestFile, sha256: createHash('sha256').update(manifestText).digest('hex') };
    const manifest = parseManifest(manifestText.toString('utf8'));
    if (manifest.problems.length > 0) fail('manifest', manifestFile, manifest.problems.map((p) => `line ${p.line}: ${p.message}`).join('; '));
    else pass('manifest', manifestFile, `${manifest.entries.length} files listed, status ${manifest.status ?? '?'}`);

    for (const entry of manifest.entries) listed.add(entry.name);
    let matched = 0;
    const present = manifest.entries.filter((e) => names.includes(e.name));
    const hashed = new Map((await hashFiles(dir, present.map((e) => e.name))).map((h) => [h.name, h.sha256]));
    for (const entry of manifest.entries) {
      if (!hashed.has(entry.name)) fail('files', entry.name, 'listed in the manifest but missing (or not a regular file)');
      else if (hashed.get(entry.name) !== entry.sha256) fail('files', entry.name, 'SHA-256 differs from the manifest: changed after the run was signed');
      else matched += 1;
    }
    if (matched === manifest.entries.length && !results.some((r) => r.check === 'files')) pass('files', null, `${matched} files match their SHA-256 in the manifest`);

    if (!names.includes(SHA256SUMS_FILE)) fail('sha256sums', SHA256SUMS_FILE, 'missing');
    else {
      const sums = parseSha256sum(read(SHA256SUMS_FILE).toString('utf8'));
      const same = sums.problems.length === 0 && canonicalJson(sortEntries(sums.entries)) === canonicalJson(sortEntries(manifest.entries));
      if (same) pass('sha256sums', SHA256SUMS_FILE, 'lists the same files and hashes as the manifest');
      else fail('sha256sums', SHA256SUMS_FILE, sums.problems.length > 0 ? sums.problems.map((p) => `line ${p.line}: ${p.message}`).join('; ') : 'differs from the manifest');
    }
  }
  // Every entry of the folder is a file the manifest lists, or one of its signature files.
  const allowed = new Set(manifestFile === undefined ? [] : signatureFiles(manifestFile));
  for (const entry of entries) {
    if (entry.kind !== 'file') fail('files', entry.name, `a ${entry.kind}, not a regular file: a run folder holds regular files only`);
    else if (manifestFile !== undefined && !listed.has(entry.name) && !allowed.has(entry.name)) fail('files', entry.name, 'not in the manifest: added after the run was signed');
  }

  // Signature.
  const publicKeyPem = names.includes(PUBLIC_KEY_FILE) ? read(PUBLIC_KEY_FILE).toString('utf8') : null;
  const runKey = publicKeyPem === null ? null : keyOf(publicKeyPem);
  if (manifestFile !== undefined && manifestText !== null) {
    const sigFile = `${manifestFile}${SIGNATURE_SUFFIX}`;
    if (!names.includes(sigFile)) fail('signature', sigFile, 'missing');
    else if (publicKeyPem === null) fail('signature', PUBLIC_KEY_FILE, 'missing: nothing to check the signature with');
    else if (verifySignature(publicKeyPem, manifestText, read(sigFile))) pass('signature', sigFile, `valid Ed25519 signature of ${manifestFile} by key ${runKey?.keyId}`);
    else fail('signature', sigFile, `does not verify ${manifestFile} with ${PUBLIC_KEY_FILE}: the manifest, the signature or the key was replaced`);
  }

  // The journal.
  let records: JournalRecord[] = [];
  if (!names.includes(JOURNAL_FILE)) fail('journal', JOURNAL_FILE, 'missing');
  else {
    const reading = readJournal(join(dir, JOURNAL_FILE));
    records = reading.records;
    if (reading.problems.length > 0) fail('journal', JOURNAL_FILE, reading.problems.map((p) => p.message).join('; '));
    else if (reading.torn) fail('journal', JOURNAL_FILE, `torn last line at byte ${reading.torn.offset} (${reading.torn.length} bytes): the writer stopped mid-append`);
    else pass('journal', JOURNAL_FILE, `${records.length} records, hash chain intact`);
  }

  // The key: the one the journal names, and one the reader trusts.
  let trustedAs: TrustedKey | undefined;
  if (publicKeyPem === null) fail('key', PUBLIC_KEY_FILE, 'missing: no key signed this run');
  else if (runKey === null) fail('key', PUBLIC_KEY_FILE, 'not an Ed25519 public key');
  else {
    const startKeyId = records.find((r) => r.type === 'run.start')?.payload.key_id;
    trustedAs = options.trustedKeys.find((k) => k.fingerprint === runKey.fingerprint);
    if (typeof startKeyId === 'string' && startKeyId !== runKey.keyId) fail('key', PUBLIC_KEY_FILE, `the journal's run.start names key ${startKeyId}, ${PUBLIC_KEY_FILE} is key ${runKey.keyId}`);
    else if (options.trustedKeys.length === 0) {
      fail('key', PUBLIC_KEY_FILE, `signed by key ${runKey.keyId}, but no key is trusted here (this installation has no key of its own and no --trusted-key was given): ${howToTrust(runKey.keyId, runKey.fingerprint)}`);
    } else if (trustedAs === undefined) fail('key', PUBLIC_KEY_FILE, `signed by ${howToTrust(runKey.keyId, runKey.fingerprint)}`);
    else pass('key', PUBLIC_KEY_FILE, `key ${runKey.keyId}, trusted: ${trustedAs.source}`);
  }

  // The checkpoints.
  if (!names.includes(CHECKPOINTS_FILE)) fail('checkpoint', CHECKPOINTS_FILE, 'missing: nothing shows the journal was not cut short');
  else {
    const { checkpoints, problems } = readCheckpoints(dir);
    if (publicKeyPem !== null && runKey !== null) problems.push(...checkCheckpointSignatures(checkpoints, publicKeyPem, runKey.keyId));
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
  let verdict: VerifyReport['verdict'] = null;
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
      const judged = judge.judge(end < 0 ? records : records.slice(0, end + 1), criteria);
      const differences = Object.entries(judged)
        .filter(([field, value]) => canonicalJson(summary[field] ?? null) !== canonicalJson(value))
        .map(([field, value]) => `${field}: the summary says ${short(summary[field])}, the journal gives ${short(value)}`);
      const recordedVerdict = records.find((r) => r.type === 'run.verdict');
      if (recordedVerdict && recordedVerdict.payload.status !== judged.status) differences.push(`the journal's run.verdict says ${short(recordedVerdict.payload.status)}, the judge gives ${short(judged.status)}`);
      const started = records.find((r) => r.type === 'run.start');
      if (started && canonicalJson(started.payload.criteria ?? {}) !== canonicalJson(criteria)) differences.push('criteria differ from the ones the run started with');
      if (started && canonicalJson(started.payload.trial === true) !== canonicalJson(summary.trial === true)) differences.push(`trial: the summary says ${short(summary.trial)}, the run started as ${short(started.payload.trial === true)}`);
      const contract = summary.contract as { hash?: unknown } | undefined;
      if (started && contract?.hash !== started.contract.hash) differences.push(`contract hash ${short(contract?.hash)} is not the one the journal records`);
      const manifestStatus = manifestText === null ? null : parseManifest(manifestText.toString('utf8')).status;
      if (manifestStatus !== null && manifestStatus !== judged.status) differences.push(`the manifest says ${manifestStatus}, the judge gives ${judged.status}`);
      if (differences.length > 0) fail('summary', summaryFile, differences.join('; '));
      else {
        pass('summary', summaryFile, `${judged.status}: equals ${judge.kind} judge over ${records.length} journal records`);
        const reasons = Array.isArray(judged.reasons) ? judged.reasons.filter((r): r is string => typeof r === 'string') : [];
        const pipeline = started?.payload.pipeline as { hash?: unknown } | undefined;
        verdict = {
          kind: judge.kind,
          runId: typeof started?.payload.run_id === 'string' ? started.payload.run_id : null,
          gate: typeof started?.payload.gate === 'string' ? started.payload.gate : null,
          status: judged.status,
          trial: started?.payload.trial === true,
          contractHash: started?.contract.hash ?? null,
          pipelineHash: typeof pipeline?.hash === 'string' ? pipeline.hash : null,
          reasons,
        };
      }
      if (judge.checkEvidenceFiles) {
        const problems = judge.checkEvidenceFiles(records, names, (name) => (names.includes(name) ? read(name).toString('utf8') : null));
        if (problems.length > 0) fail('evidence', null, problems.slice(0, 5).join('; ') + (problems.length > 5 ? `; and ${problems.length - 5} more` : ''));
        else pass('evidence', null, `the ${judge.title} files beside the journal agree with it`);
      }
    }
  }
  const ok = results.every((r) => r.ok);
  return {
    ok,
    checks: results,
    verdict: ok ? verdict : null,
    key: runKey === null ? null : { keyId: runKey.keyId, fingerprint: runKey.fingerprint, trustedAs: trustedAs?.source ?? null },
    manifest: manifestSeal,
  };
}

/** The id and fingerprint of a PEM public key, or null when it is not one. */
function keyOf(publicKeyPem: string): { keyId: string; fingerprint: string } | null {
  try {
    const key = createPublicKey(publicKeyPem);
    if (key.asymmetricKeyType !== 'ed25519' || !publicKeyPem.includes('-----BEGIN PUBLIC KEY-----')) return null;
    return { keyId: publicKeyId(key), fingerprint: keyFingerprint(key) };
  } catch {
    return null;
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
