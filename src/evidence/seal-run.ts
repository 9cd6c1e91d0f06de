// Sealing an ended run: its verdict record, its summary (the judge's verdict over the
// journal up to `run.end`, written down), the end-of-run checkpoint, then the manifest of
// every file, its sha256sum companion and the signature. A run stands for nothing until
// it is sealed: the gates count a run only once it verifies, which needs all of these.
//
// Every step is skipped when already done and checked when skipped, so the runner, its
// guard, or the next command that finds a run ended but unsealed (its runner crashed, a
// disk filled, a second Ctrl-C) can all seal it, any number of times, with one result:
// the judge is pure, and every time and name comes from the journal (`run.end`), never
// from the clock of whoever seals.
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { createLockFile, readLockFile, removeStaleLockFile } from '../fs/lock-file.ts';
import { isPidAlive, lockHolderPid } from '../fs/lock-holder.ts';
import { canonicalJson } from '../contract/canonical-json.ts';
import { folderEntries } from '../fs/folder-entries.ts';
import { artifactTimestamp, gateArtifactName } from './artifact-name.ts';
import { appendCheckpoint, checkCheckpointSignatures, checkJournalReachesCheckpoint, CHECKPOINTS_FILE, readCheckpoints } from './checkpoint.ts';
import { hashFiles } from './hash-files.ts';
import { Journal } from './journal.ts';
import type { JournalRecord } from './journal-record.ts';
import { judgeFor, type Verdict } from './judge-registry.ts';
import { parseManifest, renderManifest, renderSha256sum } from './manifest.ts';
import { readJournal } from './read-journal.ts';
import { JOURNAL_FILE, MANIFEST_PATTERN, PUBLIC_KEY_FILE, SHA256SUMS_FILE, SIGNATURE_SUFFIX, signatureFiles, SUMMARY_PATTERN } from './run-layout.ts';
import { signBytes, verifySignature, type SigningKey } from './signing-key.ts';
import { writeArtifact } from './write-artifact.ts';

/** The summary's fields that describe the run, not its verdict: a judge may not return them. */
// (`gate` is not among them: a gate's judge names its gate too, and verify checks they agree.)
export const SUMMARY_FIELDS = ['run_id', 'kind', 'title', 'timestamp', 'started_at', 'trial', 'contract', 'pipeline', 'parameters', 'criteria'] as const;

export interface SealedRun {
  dir: string;
  verdict: Verdict;
  summaryFile: string;
  manifestFile: string;
}

/** Why a run cannot be sealed as it is: said, never worked around (the run stays unsealed, and so unverified). */
export class SealError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SealError';
  }
}

/**
 * Seals the ended run in `dir` with `key`, the installation's key that signed it; returns
 * what its evidence says. Throws SealError when it cannot, saying why.
 *
 * Only what the key holder signed is sealed: the journal up to its latest signed
 * checkpoint. A runner signs its `run.end` (finish() checkpoints it) before sealing; when
 * the records that end a run are not signed — its runner died between writing its end and
 * signing it, or someone appended an end by hand — they are moved aside (named by a
 * `journal.repair` record) and the run is closed INTERRUPTED instead, never judged on them.
 */
export async function sealRun(dir: string, key: SigningKey): Promise<SealedRun> {
  const lock = acquireSealLock(dir, key);
  try {
    return await sealLocked(dir, key);
  } finally {
    lock.release();
  }
}

async function sealLocked(dir: string, key: SigningKey): Promise<SealedRun> {
  const journalPath = join(dir, JOURNAL_FILE);
  let records = readRecords(journalPath);
  const signed = signedRecords(dir, key, records);
  const start = records.slice(0, signed).find((r) => r.type === 'run.start');
  if (start === undefined) throw new SealError(`${dir}: no signed checkpoint covers its run.start: it was not started by this installation's runner`);
  if (records.findIndex((r) => r.type === 'run.end') < 0) throw new SealError(`${dir}: the run has not ended (no run.end record)`);
  const endSigned = records.slice(0, signed).some((r) => r.type === 'run.end');
  if (signed < records.length || !endSigned) {
    // 1. What no checkpoint signed goes aside; an end that is not signed ends nothing.
    const journal = await Journal.open(journalPath, { contract: start.contract, actor: 'evident', keepRecords: signed });
    try {
      if (!endSigned) {
        await journal.append({
          type: 'run.interrupted',
          correlation_id: start.correlation_id,
          payload: { detected_by: 'sealer', detail: 'the records that end the run were never signed by its runner: they were moved aside and the run is closed here' },
        });
        await journal.append({ type: 'run.end', correlation_id: start.correlation_id, payload: { closed_by: 'sealer' } });
      }
    } finally {
      await journal.close();
    }
    records = readRecords(journalPath);
  }
  const endIndex = records.findIndex((r) => r.type === 'run.end');
  const end = records[endIndex] as JournalRecord;
  const p = start.payload;
  const kind = String(p.kind);
  const judge = judgeFor(kind);
  if (!judge) throw new SealError(`no judge is registered for run kind "${kind}"`);
  const criteria = (p.criteria ?? {}) as Record<string, unknown>;
  const verdict = judge.judge(records.slice(0, endIndex + 1), criteria);
  const clash = SUMMARY_FIELDS.filter((field) => field in verdict);
  if (clash.length > 0) throw new SealError(`the ${judge.kind} judge returned ${clash.join(', ')}, which the summary holds for the run itself`);

  // 2. The verdict as a record of its own, for views rebuilt from journals alone; signed
  //    with the rest by the checkpoint that follows.
  if (!records.slice(endIndex + 1).some((r) => r.type === 'run.verdict')) {
    const journal = await Journal.open(journalPath, { contract: start.contract, actor: 'evident' });
    try {
      const reasons = Array.isArray(verdict.reasons) ? verdict.reasons.slice(0, 5) : [];
      await journal.append({ type: 'run.verdict', correlation_id: start.correlation_id, payload: { status: verdict.status, reasons } });
    } finally {
      await journal.close();
    }
    records = readRecords(journalPath);
  }

  // 3. The summary: the verdict written down beside what the run was.
  const label = typeof p.gate === 'string' ? p.gate : kind;
  const endedAt = new Date(end.event_time);
  const stamp = artifactTimestamp(endedAt);
  const pipeline = p.pipeline as { name?: unknown; version?: unknown; hash?: unknown; phase?: unknown } | undefined;
  const summary = {
    run_id: String(p.run_id ?? start.correlation_id),
    kind,
    ...(typeof p.gate === 'string' ? { gate: p.gate } : {}),
    title: judge.title,
    timestamp: endedAt.toISOString(),
    started_at: start.event_time,
    trial: p.trial === true,
    contract: { name: String(p.contract_name ?? ''), version: start.contract.version, hash: start.contract.hash },
    ...(pipeline === undefined ? {} : { pipeline: { name: pipeline.name ?? null, version: pipeline.version ?? null, hash: pipeline.hash ?? null } }),
    parameters: (p.parameters ?? {}) as Record<string, unknown>,
    criteria,
    ...verdict,
  };
  const summaryFile = ensureSummary(dir, label, stamp, summary);

  // 4. The end-of-run checkpoint over the whole journal, verdict included.
  const checkpoints = existsSync(join(dir, CHECKPOINTS_FILE)) ? readCheckpoints(dir).checkpoints : [];
  if (checkpoints.at(-1)?.count !== records.length || checkpoints.at(-1)?.head_hash !== records.at(-1)?.hash) {
    appendCheckpoint(dir, key, { count: records.length, headHash: records.at(-1)?.hash ?? '' }, 'end of run', endedAt);
  }

  // 5. The manifest of every file, its companion and its signature.
  removeStaleTemporaries(dir);
  const manifestFile = await ensureManifest(dir, label, stamp, { phase: typeof pipeline?.phase === 'string' ? pipeline.phase : undefined, status: verdict.status, generated: endedAt });
  const manifestText = readFileSync(join(dir, manifestFile));
  const entries = parseManifest(manifestText.toString('utf8')).entries;
  const sums = renderSha256sum(entries);
  if (!existsSync(join(dir, SHA256SUMS_FILE))) writeArtifact(dir, SHA256SUMS_FILE, sums);
  else if (readFileSync(join(dir, SHA256SUMS_FILE), 'utf8') !== sums) throw new SealError(`${dir}: ${SHA256SUMS_FILE} is there but differs from ${manifestFile}`);
  const sigFile = `${manifestFile}${SIGNATURE_SUFFIX}`;
  if (!existsSync(join(dir, sigFile))) writeArtifact(dir, sigFile, signBytes(key, manifestText));
  else if (!verifySignature(key.publicKeyPem, manifestText, readFileSync(join(dir, sigFile)))) throw new SealError(`${dir}: ${sigFile} is there but does not verify ${manifestFile} with this installation's key`);
  return { dir, verdict, summaryFile, manifestFile };
}

/** True when the run has its end but no signed manifest yet: what `sealRun` is for. */
export function needsSeal(dir: string): boolean {
  let names: string[];
  try {
    names = folderEntries(dir).map((e) => e.name);
  } catch {
    return false;
  }
  const manifest = names.find((n) => MANIFEST_PATTERN.test(n));
  if (manifest !== undefined && names.includes(`${manifest}${SIGNATURE_SUFFIX}`) && names.includes(SHA256SUMS_FILE)) return false;
  try {
    return readJournal(join(dir, JOURNAL_FILE)).records.some((r) => r.type === 'run.end');
  } catch {
    return false;
  }
}

/**
 * How many records of the journal the run's checkpoints sign: the latest checkpoint, when
 * the run is signed by `key` (its public-key.pem is that key), every checkpoint verifies
 * and the journal still reaches it. Throws SealError when any of that does not hold.
 */
function signedRecords(dir: string, key: SigningKey, records: readonly JournalRecord[]): number {
  let runKey: string;
  try {
    runKey = readFileSync(join(dir, PUBLIC_KEY_FILE), 'utf8');
  } catch {
    throw new SealError(`${dir}: no ${PUBLIC_KEY_FILE}: no key of this installation signed it`);
  }
  if (runKey.trim() !== key.publicKeyPem.trim()) throw new SealError(`${dir}: signed by another key than this installation's (${key.keyId}): only its own runs are sealed here`);
  if (!existsSync(join(dir, CHECKPOINTS_FILE))) throw new SealError(`${dir}: no signed checkpoint: nothing shows this installation's runner wrote it`);
  const { checkpoints, problems } = readCheckpoints(dir);
  problems.push(...checkCheckpointSignatures(checkpoints, key.publicKeyPem, key.keyId));
  const latest = checkpoints.at(-1);
  if (latest === undefined) problems.push('no checkpoint in the file');
  else {
    const reach = checkJournalReachesCheckpoint(records, latest);
    if (reach !== null) problems.push(reach);
  }
  if (problems.length > 0 || latest === undefined) throw new SealError(`${dir}: its checkpoints do not hold: ${problems.join('; ')}`);
  return latest.count;
}

/**
 * One sealer of a run at a time (its runner, its guard, a command that found it unsealed):
 * `<state>/runs/seal-<run>.lock`, in the state folder whose key seals it. A live holder
 * means the seal is under way elsewhere: SealError, and the next look finds it sealed.
 */
function acquireSealLock(dir: string, key: SigningKey): { release(): void } {
  const folder = join(dirname(key.keysDir), 'runs');
  mkdirSync(folder, { recursive: true });
  const path = join(folder, `seal-${basename(dir)}.lock`);
  const text = `${JSON.stringify({ pid: process.pid, at: new Date().toISOString() })}\n`;
  for (let attempt = 0; attempt < 3; attempt++) {
    if (createLockFile(path, text)) return { release: () => (readLockFile(path) === text ? rmSync(path, { force: true }) : undefined) };
    const held = readLockFile(path);
    if (held === null) continue;
    const pid = lockHolderPid(held);
    if (pid !== null && isPidAlive(pid)) throw new SealError(`${dir}: being sealed by pid ${pid} right now`);
    removeStaleLockFile(path, held);
  }
  throw new SealError(`${dir}: could not take its seal lock ${path}`);
}

function readRecords(journalPath: string): JournalRecord[] {
  const reading = readJournal(journalPath);
  if (reading.problems.length > 0) throw new SealError(`${journalPath}: the chain is broken: ${reading.problems[0]?.message}`);
  if (reading.torn) throw new SealError(`${journalPath}: a torn last line at byte ${reading.torn.offset}: open it with evident to move it aside first`);
  return reading.records;
}

/** Writes the summary, or checks the one already there says exactly this. */
function ensureSummary(dir: string, label: string, stamp: string, summary: Record<string, unknown>): string {
  const existing = folderEntries(dir).filter((e) => SUMMARY_PATTERN.test(e.name));
  if (existing.length > 1) throw new SealError(`${dir}: ${existing.length} summaries (${existing.map((e) => e.name).join(', ')})`);
  const found = existing[0];
  if (found !== undefined) {
    if (found.kind !== 'file') throw new SealError(`${dir}: ${found.name} is a ${found.kind}, not a regular file`);
    let written: unknown;
    try {
      written = JSON.parse(readFileSync(join(dir, found.name), 'utf8'));
    } catch {
      throw new SealError(`${dir}: ${found.name} is not JSON`);
    }
    if (canonicalJson(written) !== canonicalJson(JSON.parse(JSON.stringify(summary)))) throw new SealError(`${dir}: ${found.name} differs from the judge's verdict over the journal`);
    return found.name;
  }
  const name = gateArtifactName(label, 'summary', stamp, 'json');
  writeArtifact(dir, name, `${JSON.stringify(summary, null, 2)}\n`);
  return name;
}

/**
 * Writes the manifest of every file in the folder, or checks the one already there lists
 * exactly them with their hashes. Every entry must be a regular file: a symbolic link, a
 * sub-folder or a stray lock stops the seal with its name (evidence is plain files).
 */
async function ensureManifest(dir: string, label: string, stamp: string, header: { phase: string | undefined; status: string; generated: Date }): Promise<string> {
  const entries = folderEntries(dir);
  const manifests = entries.filter((e) => MANIFEST_PATTERN.test(e.name));
  if (manifests.length > 1) throw new SealError(`${dir}: ${manifests.length} manifests (${manifests.map((e) => e.name).join(', ')})`);
  const existing = manifests[0]?.name;
  const outside = new Set(existing === undefined ? [] : signatureFiles(existing));
  for (const entry of entries) {
    if (entry.kind !== 'file') throw new SealError(`${dir}: ${entry.name} is a ${entry.kind}, not a regular file: a run folder holds regular files only, so the run cannot be sealed`);
  }
  const names = entries.map((e) => e.name).filter((n) => !outside.has(n) && n !== SHA256SUMS_FILE && !n.endsWith(SIGNATURE_SUFFIX) && !MANIFEST_PATTERN.test(n));
  const hashed = await hashFiles(dir, names);
  if (existing !== undefined) {
    const listed = parseManifest(readFileSync(join(dir, existing), 'utf8'));
    const same = listed.problems.length === 0 && canonicalJson(listed.entries.map((e) => [e.name, e.sha256])) === canonicalJson(hashed.map((h): [string, string] => [h.name, h.sha256]).sort(byName));
    if (!same) throw new SealError(`${dir}: ${existing} does not list the files as they are now`);
    return existing;
  }
  const gate = /^gate(\d+)$/.exec(label)?.[1] ?? label;
  const manifest = renderManifest({ gate, ...(header.phase === undefined ? {} : { phase: header.phase }), generated: header.generated, status: header.status, entries: hashed.map((h) => ({ name: h.name, sha256: h.sha256 })) });
  const name = gateArtifactName(label, 'manifest', stamp, 'sha256');
  writeArtifact(dir, name, manifest);
  return name;
}

function byName(a: [string, string], b: [string, string]): number {
  return a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0;
}

/**
 * Temporary files a writer that died left half-written (`.<name>.<pid>.<hex>.tmp`, a
 * lock's `<lock>.<pid>.tmp`, a stale `journal.jsonl.lock`): never evidence, since they
 * never got their name. Only those of a process that is gone are removed.
 */
function removeStaleTemporaries(dir: string): void {
  for (const entry of folderEntries(dir)) {
    if (entry.kind !== 'file') continue;
    const temp = /^\..+\.(\d+)\.[0-9a-f]+\.tmp$/.exec(entry.name) ?? /^.+\.lock\.(\d+)\.tmp$/.exec(entry.name);
    if (temp !== null && !isPidAlive(Number(temp[1]))) rmSync(join(dir, entry.name), { force: true });
    if (entry.name === `${JOURNAL_FILE}.lock`) {
      const pid = lockHolderPid(readFileSync(join(dir, entry.name), 'utf8'));
      if (pid === null || !isPidAlive(pid)) rmSync(join(dir, entry.name), { force: true });
    }
  }
}

