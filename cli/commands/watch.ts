// evident watch: Gate 2's on-call view outside the console. On a terminal, the soak view
// full-screen (q quits); otherwise, or with --plain / --json, one line per closed minute,
// from minute 1, then the verdict, exiting with its code. It reads the run's folder and
// nothing else: watching never touches the run, the fleet or its lock.
import { judges } from '../../gates/load-judges.ts';
import { existsSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { CONFIG_SNAPSHOT_FILE, JOURNAL_FILE } from '../../src/evidence/run-layout.ts';
import { EXIT, UsageError } from '../../src/errors/exit-codes.ts';
import { importInProductionMode } from '../import-in-production-mode.ts';
import { COMMON_OPTIONS, parseCommandArgs } from '../parse-command-args.ts';
import { resolveArtifactsDir, resolveStatePaths, type StatePaths } from '../../src/paths/state-paths.ts';
import { exitCodeOf, watchPlain } from '../watch-plain.ts';
import { withGateStates } from '../with-gate-states.ts';
import { gateOfPurpose } from '../../src/supervisor/gate-run-purpose.ts';

export const watchHelp = `usage: evident watch [gate2 | 2 | <run-dir> | <run-id>] [--plain | --json] [--interval MS]
       [--artifacts-dir DIR] [--pipeline PATH] [--contract PATH] [--state-dir DIR]

Follows a Gate 2 soak run from its evidence folder, read-only: its status, minute and time
left, requests and achieved rate, the error rate against its limit, p50/p95/p99 over the
run, memory growth per service against its limit, restarts, and the breach — or, while
there is none, the criterion nearest to one — exactly as the judge will state them.

  gate2, 2           the soak gate's running run, else its latest (the default)
  <run-dir>          a run folder (artifacts/<run_id>)
  <run-id>           a run id under the artifacts folder

On a terminal: the soak view full-screen; q quits (the run goes on).
With --plain, or when stdout is not a terminal: one line per closed minute (from minute 1
when the run started earlier), then the verdict; it exits when the run ends.

  --plain            plain lines even on a terminal
  --json             JSON lines instead: start, one per minute, end
  --interval MS      how often the folder is read (default 2000)
  --artifacts-dir D  evidence folder (default ./artifacts, or EVIDENT_ARTIFACTS_DIR)
  --pipeline PATH    the pipeline, to find the soak gate's run (default contracts/pipeline.phase3.json)
  --contract PATH    the boot contract, for the gate states (default contracts/boot-contract.json)
  --state-dir DIR    where the state view lives (default ./state, or EVIDENT_STATE_DIR)

A run's verdict stands once its folder verifies (sealed, intact, signed by a key this
installation trusts: --state-dir): a run that does not is said UNVERIFIED, exit 1.

exit (plain and JSON): 0 the run PASSED (verified), 1 it FAILED, was INTERRUPTED or does
not verify, 2 bad input
(no such run, not a soak run, no run of the gate yet); on a terminal, the same once the
run has ended, else 0.`;

const RUN_ID = /^[0-9A-HJKMNP-TV-Z]{26}$/;

export async function watchCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    'watch',
    argv,
    { ...COMMON_OPTIONS, plain: { type: 'boolean' }, interval: { type: 'string' }, pipeline: { type: 'string' }, 'artifacts-dir': { type: 'string' } },
    true,
  );
  if (values.help) {
    console.log(watchHelp);
    return EXIT.ok;
  }
  if (positionals.length > 1) throw new UsageError(`evident watch: expected one gate, run folder or run id, got ${positionals.length}\nrun \`evident watch --help\` for usage`);
  const everyMs = values.interval === undefined ? 2000 : Number(values.interval);
  if (!Number.isInteger(everyMs) || everyMs < 100 || everyMs > 60_000) {
    throw new UsageError(`evident watch: --interval: expected a whole number of milliseconds 100–60000, got "${values.interval}"`);
  }
  const target = await resolveTarget(positionals[0], values);
  const interactive = process.stdout.isTTY === true && process.stdin.isTTY === true && values.plain !== true && values.json !== true;
  const verified = (dir: string) => verifiedOnceSealed(dir, resolveStatePaths(values['state-dir']));
  if (!interactive) return watchPlain({ dir: target.dir, json: values.json === true, everyMs, verified });

  const { runWatch } = await importInProductionMode(() => import('../../components/run-watch.tsx'));
  const status = await runWatch({ ...target, colors: !('NO_COLOR' in process.env) || process.env.NO_COLOR === '', everyMs });
  if (status === null) {
    console.log(`stopped watching ${target.dir}; the run goes on (\`evident watch\` follows it again)`);
    return EXIT.ok;
  }
  const check = await verified(target.dir);
  if (!check.ok) {
    console.log(`${target.gate} run ${target.runId} UNVERIFIED (its journal says ${status}): ${check.problem}: evidence in ${target.dir}`);
    return EXIT.checkFailed;
  }
  console.log(`${target.gate} run ${target.runId} ${status}: evidence in ${target.dir}`);
  return exitCodeOf(status);
}

/** How long an ended run may take to be sealed before watch judges it as it is. */
const SEAL_WAIT_MS = 30_000;

/** Whether an ended run's folder verifies against this installation's keys, once its runner (or guard) has sealed it. */
async function verifiedOnceSealed(dir: string, paths: StatePaths): Promise<{ ok: boolean; problem: string | null }> {
  const [{ needsSeal }, { VerifiedRuns }] = await Promise.all([import('../../src/evidence/seal-run.ts'), import('../../src/evidence/verified-runs.ts')]);
  const deadline = Date.now() + SEAL_WAIT_MS;
  while (needsSeal(dir) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 200));
  return VerifiedRuns.forState(paths.root, paths.keys, judges).check(dir, { maySeal: true });
}

interface WatchTarget {
  dir: string;
  gate: string;
  runId: string;
}

/** A folder as given, a run id under the artifacts folder, or the run of a soak gate (default: the pipeline's). */
async function resolveTarget(arg: string | undefined, values: { pipeline?: string | undefined; contract?: string | undefined; 'state-dir'?: string | undefined; 'artifacts-dir'?: string | undefined }): Promise<WatchTarget> {
  if (arg !== undefined && (arg.includes('/') || arg.includes('\\') || existsSync(arg))) {
    const dir = resolve(arg);
    if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UsageError(`evident watch: ${dir} is not a run folder`);
    // A run being created has its config snapshot before its journal: that one is waited for.
    if (!existsSync(join(dir, JOURNAL_FILE)) && !existsSync(join(dir, CONFIG_SNAPSHOT_FILE))) throw new UsageError(`evident watch: ${dir} holds no journal: it is no run folder`);
    return { dir, gate: 'gate2', runId: basename(dir) };
  }
  if (arg !== undefined && RUN_ID.test(arg)) {
    const dir = join(resolveArtifactsDir(values['artifacts-dir']), arg);
    if (!existsSync(dir)) throw new UsageError(`evident watch: no run ${arg} in ${resolveArtifactsDir(values['artifacts-dir'])}`);
    return { dir, gate: 'gate2', runId: arg };
  }
  return withGateStates(values, async ({ states, holder, store, artifactsDir }) => {
    // A gate by id or by number, as `evident gate` takes it: `gate2` or `2`.
    const state = arg === undefined ? states.find((s) => s.gate.kind === 'soak') : states.find((s) => s.gate.id === arg || s.gate.id === `gate${arg}`);
    if (state === undefined) throw new UsageError(arg === undefined ? 'evident watch: the pipeline has no soak gate' : `evident watch: no gate "${arg}" in the pipeline (gates: ${states.map((s) => s.gate.id).join(', ')})`);
    const gate = state.gate.id;
    if (state.gate.kind !== 'soak') throw new UsageError(`evident watch: ${gate} is a ${state.gate.kind} gate; watch follows a soak (Gate 2)`);
    // The runner holding the fleet for this gate is the run to watch, even before the states show it.
    const held = holder?.run_id && gateOfPurpose(holder.purpose) === gate ? holder.run_id : null;
    const runId = held ?? state.run?.run_id ?? null;
    if (runId === null) throw new UsageError(`evident watch: no ${gate} run yet under this contract: \`evident gate ${gate} --duration 3m\` starts a trial`);
    return { dir: store.view.runs[runId]?.dir ?? join(artifactsDir, runId), gate, runId };
  });
}
