// evident verify: checks a run folder from its files alone and prints one line per check,
// then whether it is verified — intact and signed by a key the reader trusts — and the
// verdict it stands for.
import { existsSync, readdirSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { OPERATOR_DIR } from '../../src/evidence/operator-journal.ts';
import { JOURNAL_FILE, MANIFEST_PATTERN } from '../../src/evidence/run-layout.ts';
import '../../gates/registered-judges.ts';
import { installationTrustedKeys, readTrustedKeyFile, TrustedKeyError, type TrustedKey } from '../../src/evidence/trusted-keys.ts';
import { verifyOperatorJournal } from '../../src/evidence/verify-operator-journal.ts';
import { runFolderExists, verifyRunReport, type CheckResult, type VerifyReport } from '../../src/evidence/verify-run.ts';
import { readFirstRecord } from '../../src/state/journal-ends.ts';
import { resolveStatePaths } from '../../src/paths/state-paths.ts';
import { currentActor } from '../current-actor.ts';
import { EXIT, UsageError } from '../../src/errors/exit-codes.ts';
import { parseCommandArgs } from '../parse-command-args.ts';
import { trustedStatePaths } from '../trusted-state-paths.ts';

export const verifyHelp = `usage: evident verify <run-dir> [--trusted-key FILE]... [--require-pass] [--quarantine]
       [--state-dir DIR] [--contract PATH] [--actor NAME] [--json]

Checks a run's evidence without trusting the evident that wrote it:
  manifest    the manifest is there and well formed
  files       every file's SHA-256 equals the manifest's; nothing missing, nothing added:
              every entry of the folder is a regular file the manifest lists, or the
              manifest itself, SHA256SUMS or the manifest's .sig (no other file, no
              sub-folder, no symbolic link)
  sha256sums  SHA256SUMS (for \`sha256sum -c\`) lists the same hashes
  signature   the manifest's Ed25519 signature verifies with public-key.pem
  journal     every record's hash and the chain from the first record to the last
  key         the key is the one the journal names, and one you trust
  checkpoint  the signed checkpoints verify and the journal reaches the latest one
  config      config_hash.txt is the hash of config_snapshot.json
  summary     the summary equals the verdict recomputed from the journal by the judge

"verified" means every check passed: the run is intact AND signed by a trusted key. Its
verdict (PASSED, FAILED, INTERRUPTED) is printed beside it: a verified run may stand for a
failure. Without --trusted-key, the installation's own key is trusted (state/keys, and
any public key an operator put in state/keys/trusted/), and the output says so.

<run-dir> may also be the operator journal's folder (artifacts/operator), which holds the
contract and pipeline locks, blockers, sign-offs and quarantines: then every record must
sit in a range attested by a trusted key (files, journal, attestation, repairs), with
nothing after the last attestation and nothing else in the folder but its public key and
the tails a writer moved aside.

  --trusted-key FILE a public key (PEM) you trust, such as the one an operator gave you
                     out of band; repeat it for several. Only these are trusted then.
  --require-pass     exit 1 unless the run is verified AND its verdict is PASSED
  --json             print the checks, the verdict and the key as one JSON object
  --quarantine       move a run that fails into <artifacts>/invalidated/ with a file saying
                     why, recorded in the operator journal (refused while the run is
                     still being written)
  --state-dir DIR    the installation whose key is trusted (default ./state, or EVIDENT_STATE_DIR)
  --contract PATH    the contract the quarantine record is made under
  --actor NAME       who quarantines (default: the OS user)

exit: 0 verified (and PASSED, with --require-pass), 1 not verified (or not PASSED with
--require-pass), 2 bad input, 3 the quarantine was refused`;

export async function verifyCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    'verify',
    argv,
    {
      json: { type: 'boolean' },
      quarantine: { type: 'boolean' },
      'require-pass': { type: 'boolean' },
      'trusted-key': { type: 'string', multiple: true },
      'state-dir': { type: 'string' },
      contract: { type: 'string' },
      actor: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
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
  // The installation's keys are trusted only from a state folder this user alone controls.
  const paths = values['trusted-key'] === undefined ? trustedStatePaths(values['state-dir']) : resolveStatePaths(values['state-dir']);
  const trustedKeys = trustedKeysFor(values['trusted-key'], paths.keys);

  if (isOperatorJournalFolder(dir)) return verifyOperator(dir, trustedKeys, values.json === true);
  const report = await verifyRunReport(dir, { trustedKeys });
  const failures = report.checks.filter((r) => !r.ok);
  let quarantined: { movedTo: string; reasonFile: string; recordId: string } | null = null;
  if (values.quarantine && failures.length > 0) {
    const outcome = await quarantine(dir, failures, { actor: currentActor(values.actor), contractFlag: values.contract, stateRoot: paths.root, keysDir: paths.keys });
    if (!outcome.ok) {
      console.error(`evident verify: quarantine refused: ${outcome.reason}`);
      return EXIT.blocked;
    }
    quarantined = outcome;
  }
  const passed = report.ok && report.verdict?.status === 'PASSED';
  if (values.json) {
    console.log(
      JSON.stringify({
        run: dir,
        ok: report.ok,
        verdict: report.verdict,
        key: report.key,
        trusted_keys: trustedKeys.map((k) => ({ key_id: k.keyId, fingerprint: k.fingerprint, source: k.source })),
        manifest: report.manifest,
        checks: report.checks,
        quarantined: quarantined && { moved_to: quarantined.movedTo, reason_file: quarantined.reasonFile, record_id: quarantined.recordId },
      }),
    );
  } else {
    for (const r of report.checks) console.log(line(r));
    for (const text of conclusion(dir, report, trustedKeys)) console.log(text);
    if (values['require-pass'] && report.ok && !passed) console.log(`--require-pass: the run is verified but did not pass (${report.verdict?.status ?? 'no verdict'})`);
    if (quarantined) console.log(`quarantined: moved to ${quarantined.movedTo} (why: ${quarantined.reasonFile}; recorded as ${quarantined.recordId})`);
  }
  if (!report.ok) return EXIT.checkFailed;
  return values['require-pass'] && !passed ? EXIT.checkFailed : EXIT.ok;
}

/** The operator journal's folder (`artifacts/operator`): a journal with no run in it. */
function isOperatorJournalFolder(dir: string): boolean {
  if (basename(dir) === OPERATOR_DIR) return true;
  const first = existsSync(join(dir, JOURNAL_FILE)) ? readFirstRecord(join(dir, JOURNAL_FILE)) : null;
  return first !== null && first.type !== 'run.start' && !readdirSync(dir).some((n) => MANIFEST_PATTERN.test(n));
}

/** `evident verify artifacts/operator`: the attested operator journal. */
function verifyOperator(dir: string, trustedKeys: readonly TrustedKey[], json: boolean): number {
  const report = verifyOperatorJournal(dir, { trustedKeys });
  if (json) {
    console.log(JSON.stringify({ run: dir, kind: 'operator-journal', ok: report.ok, records: report.records, attested_by: report.attestedBy, trusted_keys: trustedKeys.map((k) => ({ key_id: k.keyId, fingerprint: k.fingerprint, source: k.source })), checks: report.checks }));
  } else {
    for (const r of report.checks) console.log(line(r));
    if (report.ok) console.log(`verified: ${dir}\n  the operator journal: ${report.records} records, every one attested by a trusted key`);
    else console.log(`NOT VERIFIED: ${report.checks.filter((c) => !c.ok).length} check(s) failed in ${dir}`);
  }
  return report.ok ? EXIT.ok : EXIT.checkFailed;
}

/** The keys trusted for this check: the ones given, or the installation's own. */
function trustedKeysFor(files: string[] | undefined, keysDir: string): TrustedKey[] {
  try {
    if (files !== undefined && files.length > 0) return files.map((file) => readTrustedKeyFile(file));
    return installationTrustedKeys(keysDir);
  } catch (error) {
    if (error instanceof TrustedKeyError) throw new UsageError(`evident verify: --trusted-key ${error.message}`);
    throw error;
  }
}

/** The last lines: verified or not, the verdict, and whose key it trusted. */
function conclusion(dir: string, report: VerifyReport, trusted: readonly TrustedKey[]): string[] {
  if (!report.ok) {
    const failed = report.checks.filter((c) => !c.ok).length;
    const lines = [`NOT VERIFIED: ${failed} check(s) failed in ${dir}`];
    if (trusted.length > 0) lines.push(`trusted here: ${trusted.map((k) => `key ${k.keyId}, ${k.source}`).join('; ')}`);
    return lines;
  }
  const verdict = report.verdict;
  const what = verdict === null ? 'no verdict' : `${verdict.gate ?? verdict.kind} ${verdict.status}${verdict.trial ? ' (a trial: shortened parameters)' : ''}`;
  return [`verified: ${dir}`, `  ${what}; signed by key ${report.key?.keyId}, trusted as ${report.key?.trustedAs}`];
}

async function quarantine(dir: string, failures: readonly CheckResult[], options: { actor: string; contractFlag: string | undefined; stateRoot: string; keysDir: string }) {
  const [{ quarantineRecorded }, { FleetJournal }, { loadContractOrExit }, { currentPlatform }] = await Promise.all([
    import('../../src/evidence/quarantine-recorded.ts'),
    import('../../src/evidence/fleet-journal.ts'),
    import('../load-contract-or-exit.ts'),
    import('../../src/platform/current-platform.ts'),
  ]);
  const contract = await loadContractOrExit(options.contractFlag, options.stateRoot);
  const journal = new FleetJournal(dirname(dir), options.keysDir, { version: contract.version, hash: contract.hash }, options.actor, () => {});
  const platform = currentPlatform();
  try {
    return await quarantineRecorded({ runDir: dir, failures, actor: options.actor, platform, stateRoot: options.stateRoot, journal, via: 'verify' });
  } finally {
    await journal.close();
    platform.close();
  }
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
