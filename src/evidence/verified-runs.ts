// Whether a run's folder verifies, as the gates need to know before a run may stand for
// anything: the same checks `evident verify` makes, against the keys this installation
// trusts. Verifying a 48-hour soak takes seconds, so the result is kept in
// `state/cache/verified-<run>.json` under a key that covers everything it depends on: the
// signed manifest's hash, every entry of the folder as the file system describes it (name,
// kind, size, modification and change times, inode: a file edited and restored to its old
// mtime still has a new change time), the trusted keys, and the code that judges. Any
// change is another key, so a cached answer is never stale. The entry is signed with the
// installation's key: a hand-edited cache is no shortcut to a pass.
//
// A run that has ended but is not sealed (its runner crashed between its verdict and its
// signature) is sealed here first, unless a live runner still owns it.
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { canonicalJson } from '../contract/canonical-json.ts';
import { writeFileAtomic } from '../fs/atomic-write.ts';
import { folderEntries } from '../fs/folder-entries.ts';
import { needsSeal, sealRun } from './seal-run.ts';
import { PRIVATE_KEY_FILE, loadOrCreateSigningKey, signBytes, verifySignature, type SigningKey } from './signing-key.ts';
import { installationTrustedKeys, type TrustedKey } from './trusted-keys.ts';
import { verifyRunReport } from './verify-run.ts';

/** Where the judges come from: loaded when first needed, and a hash of their code (a new judge is a new answer). */
export interface JudgeSource {
  load(): Promise<unknown>;
  codeFingerprint(): string;
}

/** What verifying a run's folder found: the verdict it stands for, or why none. */
export interface RunVerification {
  ok: boolean;
  /** The verified verdict; null when the run does not verify. */
  status: 'PASSED' | 'FAILED' | 'INTERRUPTED' | null;
  /** Why it does not verify (its first failed checks), one line; null when it does. */
  problem: string | null;
  /** SHA-256 of its signed manifest: what a release pins. */
  manifest_sha256: string | null;
  /** What the verified evidence says the run is (null when it does not verify): a view's claims about it are held to this. */
  run?: { run_id: string | null; gate: string | null; trial: boolean; contract_hash: string | null; pipeline_hash: string | null };
}

const CACHE_VERSION = 1;

export class VerifiedRuns {
  private readonly cacheDir: string | null;
  private readonly keysDir: string;
  private readonly trusted: readonly TrustedKey[];
  /** The installation's key, when it has one: it signs cache entries and seals. */
  private signer: SigningKey | null | undefined;
  /** The judges: registered only when a run must be judged (the soak's pulls in ~20 MB of histogram code). */
  private readonly judges: JudgeSource;

  constructor(options: { keysDir: string; cacheDir: string | null; judges: JudgeSource; trusted?: readonly TrustedKey[] }) {
    this.keysDir = options.keysDir;
    this.cacheDir = options.cacheDir;
    this.judges = options.judges;
    this.trusted = options.trusted ?? installationTrustedKeys(options.keysDir);
  }

  /** The installation's view: its keys (`state/keys`) and its cache (`state/cache`). */
  static forState(stateRoot: string, keysDir: string, judges: JudgeSource): VerifiedRuns {
    return new VerifiedRuns({ keysDir, cacheDir: existsSync(stateRoot) ? join(stateRoot, 'cache') : null, judges });
  }

  /**
   * Verifies the run in `dir` (from the cache when nothing changed). `maySeal`: the run
   * may be sealed first if it ended unsealed (false while a live runner owns it).
   */
  async check(dir: string, options: { maySeal: boolean }): Promise<RunVerification> {
    if (!existsSync(dir)) return { ok: false, status: null, problem: `its folder ${dir} is gone`, manifest_sha256: null };
    if (options.maySeal && needsSeal(dir)) {
      const signer = this.signingKey(true);
      try {
        await this.judges.load();
        if (signer !== null) await sealRun(dir, signer);
      } catch (error) {
        return { ok: false, status: null, problem: `it ended but cannot be sealed: ${(error as Error).message}`, manifest_sha256: null };
      }
    }
    const key = this.cacheKey(dir);
    const cached = this.readCache(dir, key);
    if (cached !== null) return cached;
    await this.judges.load();
    const report = await verifyRunReport(dir, { trustedKeys: this.trusted });
    const failed = report.checks.filter((c) => !c.ok);
    const v = report.verdict;
    const verification: RunVerification = report.ok
      ? {
          ok: true,
          status: v?.status as RunVerification['status'],
          problem: null,
          manifest_sha256: report.manifest?.sha256 ?? null,
          run: { run_id: v?.runId ?? null, gate: v?.gate ?? null, trial: v?.trial === true, contract_hash: v?.contractHash ?? null, pipeline_hash: v?.pipelineHash ?? null },
        }
      : { ok: false, status: null, problem: failed.map((c) => `${c.check}${c.file ? ` ${c.file}` : ''}: ${c.detail}`).slice(0, 3).join('; '), manifest_sha256: report.manifest?.sha256 ?? null };
    // Cached against the folder as it was read, so a change during the check is another key.
    if (key !== null && key === this.cacheKey(dir)) this.writeCache(dir, key, verification);
    return verification;
  }

  /** The installation's key: loaded once; made only when a seal needs it (`create`). */
  private signingKey(create: boolean): SigningKey | null {
    if (this.signer !== undefined && (this.signer !== null || !create)) return this.signer;
    if (!create && !existsSync(join(this.keysDir, PRIVATE_KEY_FILE))) return null;
    try {
      this.signer = loadOrCreateSigningKey(this.keysDir);
    } catch {
      this.signer = null;
    }
    return this.signer;
  }

  /** What the answer depends on, hashed; null when the folder cannot be described. */
  private cacheKey(dir: string): string | null {
    if (this.cacheDir === null) return null;
    const hash = createHash('sha256').update(`v${CACHE_VERSION}\0${verifyingCodeFingerprint()}\0${this.judges.codeFingerprint()}\0`);
    for (const key of this.trusted) hash.update(`${key.fingerprint}\0`);
    try {
      for (const entry of folderEntries(dir)) {
        const stat = lstatSync(join(dir, entry.name), { bigint: true });
        hash.update(`${entry.name}\0${entry.kind}\0${stat.size}\0${stat.mtimeNs}\0${stat.ctimeNs}\0${stat.ino}\0${stat.dev}\n`);
      }
    } catch {
      return null;
    }
    return hash.digest('hex');
  }

  private cacheFile(dir: string): string {
    return join(this.cacheDir as string, `verified-${basename(dir)}.json`);
  }

  private readCache(dir: string, key: string | null): RunVerification | null {
    if (key === null) return null;
    const signer = this.signingKey(false);
    if (signer === null) return null;
    try {
      const entry = JSON.parse(readFileSync(this.cacheFile(dir), 'utf8')) as { key?: string; result?: RunVerification; signature?: string };
      if (entry.key !== key || entry.result === undefined || typeof entry.signature !== 'string') return null;
      const signed = Buffer.from(canonicalJson({ run: basename(dir), key, result: entry.result }), 'utf8');
      return verifySignature(signer.publicKeyPem, signed, Buffer.from(entry.signature, 'base64')) ? entry.result : null;
    } catch {
      return null;
    }
  }

  private writeCache(dir: string, key: string, result: RunVerification): void {
    const signer = this.signingKey(false);
    if (signer === null || this.cacheDir === null) return;
    try {
      mkdirSync(this.cacheDir, { recursive: true });
      const signature = signBytes(signer, Buffer.from(canonicalJson({ run: basename(dir), key, result }), 'utf8')).toString('base64');
      writeFileAtomic(this.cacheFile(dir), `${JSON.stringify({ key, result, signature })}\n`);
    } catch {
      // A cache that cannot be written only costs the next reader the check.
    }
  }
}

let codeFingerprint: string | null = null;

/** A hash of the code that verifies (this folder) as it runs: a stricter check after an upgrade is a new answer, never a stale pass. */
function verifyingCodeFingerprint(): string {
  codeFingerprint ??= folderCodeFingerprint(fileURLToPath(new URL('.', import.meta.url)));
  return codeFingerprint;
}

/** SHA-256 over every module (.js, .ts) below `folder`, by relative name and content. */
export function folderCodeFingerprint(folder: string): string {
  const hash = createHash('sha256');
  const walk = (dir: string, relative: string) => {
    if (!existsSync(dir)) return;
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      if (entry.isDirectory()) walk(join(dir, entry.name), `${relative}${entry.name}/`);
      else if (/\.(js|ts)$/.test(entry.name)) hash.update(`${relative}${entry.name}\0`).update(readFileSync(join(dir, entry.name))).update('\0');
    }
  };
  walk(folder, '');
  return hash.digest('hex');
}
