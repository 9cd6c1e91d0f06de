// evident verify: checks a run folder from its files alone and prints one line per check.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { OPERATOR_DIR } from '../../evidence/operator-journal.ts';
import { JOURNAL_FILE, MANIFEST_PATTERN } from '../../evidence/run-layout.ts';
import '../../../gates/registered-judges.ts';
import { quarantineRun } from '../../evidence/quarantine.ts';
import { runFolderExists, verifyRun, type CheckResult } from '../../evidence/verify-run.ts';
import { currentActor } from '../current-actor.ts';
import { EXIT, UsageError } from '../exit-codes.ts';
import { parseCommandArgs } from '../parse-command-args.ts';

export const verifyHelp = `usage: evident verify <run-dir> [--json] [--quarantine] [--trusted-key FILE]

Checks a run's evidence without trusting the evident that wrote it:
  manifest    the manifest is there and well formed
  files       every file's SHA-256 equals the manifest's; nothing missing, nothing added
  sha256sums  SHA256SUMS (for \`sha256sum -c\`) lists the same hashes
  signature   the manifest's Ed25519 signature verifies with public-key.pem
  key         the key is the one the journal names (and --trusted-key, if given)
  journal     every record's hash and the chain from the first record to the last
  checkpoint  the signed checkpoints verify and the journal reaches the latest one
  config      config_hash.txt is the hash of config_snapshot.json
  summary     the summary equals the verdict recomputed from the journal by the judge

  --json             print the checks as one JSON object
  --quarantine       move a run that fails into <artifacts>/invalidated/ with a file saying why
  --trusted-key FILE the public key (PEM) the run must be signed with
  --actor NAME       who quarantines (default: the OS user)

exit: 0 every check passed, 1 a check failed, 2 bad input`;

export async function verifyCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    'verify',
    argv,
    { json: { type: 'boolean' }, quarantine: { type: 'boolean' }, 'trusted-key': { type: 'string' }, actor: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    true,
  );
  if (values.help) {
    console.log(verifyHelp);
    return EXIT.ok;
  }
  if (positionals.length !== 1) throw new UsageError(`evident verify: expected one run folder, got ${positionals.length}\nrun \`evident verify --help\` for usage`);
  const dir = resolve(positionals[0] as string);
  if (!runFolderExists(dir)) throw new UsageError(`evident verify: ${dir} is not a folder`);
  const notARun = notARunFolder(dir);
  if (notARun) throw new UsageError(`evident verify: ${notARun}`);
  const trustedPublicKeyPem = values['trusted-key'] === undefined ? undefined : readTrustedKey(values['trusted-key']);

  const results = await verifyRun(dir, trustedPublicKeyPem === undefined ? {} : { trustedPublicKeyPem });
  const failures = results.filter((r) => !r.ok);
  const quarantined = values.quarantine && failures.length > 0 ? quarantineRun(dir, failures, currentActor(values.actor)) : null;
  if (values.json) {
    console.log(JSON.stringify({ run: dir, ok: failures.length === 0, checks: results, quarantined: quarantined && { moved_to: quarantined.movedTo, reason_file: quarantined.reasonFile } }));
  } else {
    for (const r of results) console.log(line(r));
    console.log(failures.length === 0 ? `verified: ${dir}` : `NOT VERIFIED: ${failures.length} check(s) failed in ${dir}`);
    if (quarantined) console.log(`quarantined: moved to ${quarantined.movedTo} (why: ${quarantined.reasonFile})`);
  }
  return failures.length === 0 ? EXIT.ok : EXIT.checkFailed;
}

/** A folder with neither a journal nor a manifest is not a run: say so, and name runs inside it. */
function notARunFolder(dir: string): string | null {
  const names = readdirSync(dir);
  if (names.includes(JOURNAL_FILE) || names.some((n) => MANIFEST_PATTERN.test(n))) return null;
  const runs = names.filter((n) => n !== OPERATOR_DIR && existsSync(join(dir, n, JOURNAL_FILE))).sort();
  const hint = runs.length === 0 ? '' : `; run folders in it: ${runs.slice(-5).join(', ')}${runs.length > 5 ? ` (and ${runs.length - 5} more)` : ''}`;
  return `${dir} is not a run folder (no ${JOURNAL_FILE}, no manifest)${hint}`;
}

function line(r: CheckResult): string {
  return `${r.ok ? 'ok  ' : 'FAIL'} ${r.check.padEnd(10)} ${r.file ? `${r.file}: ` : ''}${r.detail}`;
}

function readTrustedKey(path: string): string {
  try {
    const text = readFileSync(path, 'utf8');
    if (!text.includes('BEGIN PUBLIC KEY')) throw new UsageError(`evident verify: --trusted-key ${path} is not a PEM public key`);
    return text;
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`evident verify: cannot read --trusted-key ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}
