// evident gate <n>: runs one gate of the pipeline headless, in this process (or, with
// --detach, in a runner process no terminal owns), or stops a running one (--abort).
import { findGate } from '../../src/pipeline/pipeline.ts';
import { resolveStatePaths } from '../../src/paths/state-paths.ts';
import { EXIT, UsageError } from '../../src/errors/exit-codes.ts';
import { parseGateOverrides } from '../gate-overrides.ts';
import { loadPipelineOrExit } from '../load-pipeline-or-exit.ts';
import { ACTION_OPTIONS, COMMON_OPTIONS, parseCommandArgs } from '../parse-command-args.ts';

export const gateHelp = `usage: evident gate <gate> [--cycles N] [--duration D] [--interval D] [--warmup D] [--detach]
       evident gate <gate> --abort [--reason TEXT]
       [--pipeline PATH] [--contract PATH] [--state-dir DIR] [--artifacts-dir DIR]
       [--actor NAME] [--idempotency-key KEY] [--json]

Runs one gate of the pipeline: <gate> is its number (1 for gate1) or its id
(prerequisites, gate1, gate2, release). Gates run strictly in order: a gate runs only when the
one before it passed under the current contract; after a failure, only once a blocker is
documented (evident blocker); after two failures in a row, only with a remediation note.
The run takes the fleet lock, writes its journal, summary, manifest and signature in
<artifacts>/<run_id>/, and ends PASSED, FAILED or INTERRUPTED.

  --cycles N         Gate 1: start/stop cycles (default: the pipeline's, 10)
  --duration D       Gate 1: how long each cycle probes the fleet, as 20s, 30m, 2h
                     (default: the pipeline's, 30m)
  --interval D       Gate 1: time between probe rounds (default: the pipeline's, 5s)
  --duration D       Gate 2: how long the soak sends traffic, in whole minutes (default:
                     the pipeline's, 48h); --duration 3m is a trial soak
  --interval D       Gate 2: time between service probes and CPU/RSS samples (default 5s)
  --warmup D         Gate 2: time before the memory and p95 baselines are taken (default:
                     the pipeline's, 10m; a third of a shortened run; 0 for none)
  --minute D         Gate 2: the length of a metrics minute (default 60s; for tests)
                     Fewer cycles, a shorter duration, a longer interval, less warm-up or
                     shorter minutes make the run a trial: labelled so, it unlocks only
                     trial runs of the next gate and never counts for a full run or a
                     release.
  --detach           run in a background runner process that no terminal owns; the
                     console (or evident gates) follows it, and closing them does not stop it
  --abort            stop the running gate cleanly: the fleet is stopped, the run ends
                     INTERRUPTED and records who stopped it (--reason says why)
  --pipeline PATH    the pipeline (default contracts/pipeline.phase3.json, or EVIDENT_PIPELINE)
  --contract PATH    the boot contract (default contracts/boot-contract.json)
  --state-dir DIR    pid files, logs and data (default ./state, or EVIDENT_STATE_DIR)
  --artifacts-dir D  evidence folder (default ./artifacts, or EVIDENT_ARTIFACTS_DIR)
  --actor NAME       who is recorded as running (or aborting) it (default: the OS user)
  --idempotency-key K  a retried request with the same key is recorded and run once
  --json             print the verdict as one JSON object (progress goes to stderr)

examples:
  evident gate prerequisites
  evident gate 1 --cycles 2 --duration 20s --interval 1s     a trial of Gate 1
  evident gate 1 --detach
  evident gate 1 --abort --reason "host maintenance"
  evident gate 2 --duration 3m --detach                      a 3-minute trial soak; then evident watch

exit: 0 passed, 1 failed or interrupted, 2 bad input, 3 blocked (an earlier gate has not
passed, an undocumented blocker, a missing remediation note, contract drift, or the
fleet is held by another evident process)`;

export const GATE_OPTIONS = {
  ...COMMON_OPTIONS,
  ...ACTION_OPTIONS,
  pipeline: { type: 'string' },
  cycles: { type: 'string' },
  duration: { type: 'string' },
  interval: { type: 'string' },
  warmup: { type: 'string' },
  minute: { type: 'string' },
  detach: { type: 'boolean' },
  abort: { type: 'boolean' },
  reason: { type: 'string' },
} as const;

export const preflightHelp = `usage: evident preflight [--pipeline PATH] [--contract PATH] [--state-dir DIR]
       [--artifacts-dir DIR] [--actor NAME] [--idempotency-key KEY] [--json]

Runs the pipeline's prerequisites (its first gate, of kind "preflight") and records each
check: the runtime's version, every service command resolvable, every contract port free
(or the holder named, and whether it is ours), state/ and artifacts/ writable, free disk,
and the environment the pipeline requires (such as PYTHONHASHSEED=0). The same as
\`evident gate preflight\`. A failure leaves the pipeline BLOCKED, with a diagnostic
report (prerequisites-report-<timestamp>.txt) in the run's evidence.

exit: 0 passed, 1 a check failed, 2 bad input, 3 blocked (undocumented blocker, contract
drift, or the fleet is held by another evident process)`;

export async function gateCommand(argv: string[], command = 'gate'): Promise<number> {
  const { values, positionals } = parseCommandArgs(command, argv, GATE_OPTIONS, true);
  if (values.help) {
    console.log(command === 'preflight' ? preflightHelp : gateHelp);
    return EXIT.ok;
  }
  if (positionals.length !== 1) throw new UsageError(`evident gate: name one gate, such as \`evident gate 1\` or \`evident gate prerequisites\`\nrun \`evident gate --help\` for usage`);
  const name = positionals[0] as string;
  const overrides = parseGateOverrides(values);
  const pipeline = await loadPipelineOrExit(values.pipeline, resolveStatePaths(values['state-dir']).root);
  const gate = findGate(pipeline, name);
  if (!gate) throw new UsageError(`evident gate: the pipeline ${pipeline.path} has no gate "${name}"; its gates: ${pipeline.gates.map((g) => g.id).join(', ')}`);
  if (values.abort) {
    if (Object.keys(overrides).length > 0 || values.detach) throw new UsageError('evident gate: --abort takes no --cycles, --duration, --interval, --warmup, --minute or --detach');
    const { abortGate } = await import('../abort-gate.ts');
    return abortGate({ gate, values });
  }
  if (values.reason !== undefined) throw new UsageError('evident gate: --reason goes with --abort');
  if (values.detach) {
    const { startDetachedRunner } = await import('../../gates/operations/start-detached-runner.ts');
    return startDetachedRunner({ gate, argv: argv.filter((a) => a !== '--detach'), values });
  }
  const { runGate } = await import('../run-gate.ts');
  return runGate({ pipeline, gate, overrides, values, flags: { ...values, gate: gate.id } });
}
