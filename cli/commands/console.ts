// evident console: on a terminal, the live Ink console; otherwise plain lines (events as
// they happen and a status table now and then), never escape codes.
import type { GateOverrides } from '../../gates/gate-kind.ts';
import { FleetLockWatch } from '../../src/supervisor/fleet-lock-watch.ts';
import { LazyGateDesk } from '../../gates/desk/lazy-gate-desk.ts';
import { runEnded } from '../../src/evidence/run-ended.ts';
import { resolveArtifactsDir } from '../../src/paths/state-paths.ts';
import { describeEvent, type SupervisorEvent } from '../../src/supervisor/supervisor-event.ts';
import { EXIT, UsageError } from '../../src/errors/exit-codes.ts';
import { parseGateOverrides } from '../gate-overrides.ts';
import { heldBy } from '../lock-message.ts';
import { openFleet } from '../open-fleet.ts';
import { startBackgroundSupervisor } from '../start-background-supervisor.ts';
import { recordOperatorAction } from '../../src/evidence/record-operator-action.ts';
import { COMMON_OPTIONS, parseCommandArgs } from '../parse-command-args.ts';
import { runPlainReporter } from '../plain-reporter.ts';
import { listenForLeave } from '../leave-signals.ts';
import { importInProductionMode } from '../import-in-production-mode.ts';
import { withFleetLock } from '../with-fleet-lock.ts';

export const consoleHelp = `usage: evident console [--up] [--interval MS] [--plain | --json] [--contract PATH] [--state-dir DIR]
       [--gate-cycles N --gate-duration D --gate-interval D] [--pipeline PATH]

The live console: every service's pid, state, health (code and latency), CPU %, RSS,
uptime and restarts, updated every second; the selected service's process tree, sparklines
and log tail; host CPU and memory and the console's own cost in the header.
Services left running by an earlier console are adopted from their pid files.

The gates pane (G) shows every gate of the pipeline and, for a running gate, its live
progress from the run's journal: cycle, checks, failures, zombies, elapsed, ETA and the
last failure. g runs the next gate in a runner process of its own (after a confirmation
naming it and its duration); the console hands it the fleet and follows it. Quitting or
killing the console never stops a gate. A console opened while a gate runner holds the
fleet follows it read-only (the header names the run; the service keys are off) and takes
the fleet back when the run is over.

  --up               start the whole fleet on launch (what \`npm start\` does)
  --interval MS      telemetry interval (default 1000)
  --plain            plain lines even on a terminal
  --json             JSON lines instead: one per event, and a status object every 10 s
  --contract PATH    the boot contract (default contracts/boot-contract.json)
  --state-dir DIR    pid files, logs and data (default ./state, or EVIDENT_STATE_DIR)
  --artifacts-dir D  evidence folder (default ./artifacts, or EVIDENT_ARTIFACTS_DIR): every key
                     that changes the fleet, the quit choice and every supervisor event are
                     recorded in D/operator/journal.jsonl before they take effect
  --actor NAME       who the actions are recorded as (default: the OS user)
  --pipeline PATH    the pipeline g runs (default contracts/pipeline.phase3.json, or EVIDENT_PIPELINE)
  --gate-cycles N    a trial: what g passes to \`evident gate\` as --cycles (Gate 1)
  --gate-duration D  a trial: --duration for the gates that take it, as 20s, 30m, 2h
  --gate-interval D  a trial: --interval for the gates that take it
                     Fewer cycles, a shorter duration or a longer interval make a run a
                     trial: labelled so, it never counts for a full run or a release.

keys: ↑/↓ j/k select · s start · x stop · r restart · a start all · z stop all
      R reap leftovers proven ours · g run the next gate · b document a blocker (form)
      B blockers · l execution log · G gates pane / service detail
      S the Gate 2 soak's on-call view (S, f or Esc: back to the fleet) · ? help
      q quit (stop the fleet, or leave it running)

When stdout is not a terminal (or with --plain) the console prints one line per event
and a status table every 10 s; Ctrl-C or SIGTERM leaves the fleet running for the next
console to adopt (\`evident down\` stops it).

exit: 0 ok, 2 bad input, 3 another console holds the fleet (a gate runner is followed instead;
      the plain and JSON reporters need the fleet to themselves)`;

export async function consoleCommand(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs(
    'console',
    argv,
    {
      ...COMMON_OPTIONS,
      'artifacts-dir': { type: 'string' },
      actor: { type: 'string' },
      up: { type: 'boolean' },
      interval: { type: 'string' },
      plain: { type: 'boolean' },
      pipeline: { type: 'string' },
      'gate-cycles': { type: 'string' },
      'gate-duration': { type: 'string' },
      'gate-interval': { type: 'string' },
    },
    false,
  );
  if (values.help) {
    console.log(consoleHelp);
    return EXIT.ok;
  }
  const intervalMs = values.interval === undefined ? 1000 : Number(values.interval);
  if (!Number.isInteger(intervalMs) || intervalMs < 100 || intervalMs > 60_000) {
    throw new UsageError(`evident console: --interval: expected a whole number of milliseconds 100–60000, got "${values.interval}"`);
  }
  const overrides = consoleGateOverrides(values);
  const interactive = process.stdout.isTTY === true && process.stdin.isTTY === true && values.plain !== true && values.json !== true;
  const pending: (SupervisorEvent & { at: number })[] = [];
  let sink: (event: SupervisorEvent & { at: number }) => void = (event) => pending.push(event);
  // The UI's modules load while the contract and state are read: the first frame waits
  // for both, not for one after the other.
  const ui = interactive ? importConsoleInProductionMode() : null;
  ui?.catch(() => {});
  // Listened for before the fleet is taken (leave-signals.ts), until the console is done.
  const leave = listenForLeave();
  try {
    const { context, supervisor, journal } = await openFleet(values, (event) => sink(event), { restartOnExit: true });
    const recordAction = async (name: string, payload: Record<string, unknown>) => {
      await recordOperatorAction(journal, { name, payload });
    };

    if (!interactive) {
      return await withFleetLock({ context, journal, supervisor }, 'evident console', async () => {
        const json = values.json === true;
        sink = (event) => console.log(json ? JSON.stringify({ ...event, at: new Date(event.at).toISOString() }) : describeEvent(event));
        for (const event of pending.splice(0)) sink(event);
        if (values.up) await recordAction('start-all', { via: 'console --up' });
        return await runPlainReporter(supervisor, { intervalMs, up: values.up === true, json, leave: leave.asked });
      });
    }

    const artifactsDir = resolveArtifactsDir(values['artifacts-dir']);
    // The fleet lock, or the gate runner holding it to follow; another console is refused.
    const opened = await FleetLockWatch.open({
      platform: context.platform,
      stateRoot: context.paths.root,
      purpose: 'evident console',
      onFollow: () => supervisor.follow(),
      onControl: () => supervisor.resumeControl(),
      runEnded: (runId) => runEnded(artifactsDir, runId),
    });
    if (!opened.ok) {
      console.error(heldBy(opened.holder));
      context.platform.close();
      await journal.close();
      return EXIT.blocked;
    }
    const control = opened.watch;
    try {
      // The pipeline (its schema is zod) and the gate modules load after the first frame.
      const gates = new LazyGateDesk(async () => {
        const [{ loadPipelineOrExit }, { GateDesk }] = await Promise.all([import('../load-pipeline-or-exit.ts'), import('../../gates/desk/gate-desk.ts')]);
        const pipeline = await loadPipelineOrExit(values.pipeline, context.paths.root);
        return new GateDesk({
          pipeline,
          contract: context.contract,
          paths: context.paths,
          artifactsDir,
          platform: context.platform,
          overrides,
          journal,
          control,
          runnerFlags: runnerFlags(context.contract.path, context.paths.root, artifactsDir, pipeline.path, values.actor),
        });
      });
      const { runInteractiveConsole } = await (ui ?? importConsoleInProductionMode());
      return await runInteractiveConsole(supervisor, {
        intervalMs,
        up: values.up === true,
        colors: !('NO_COLOR' in process.env) || process.env.NO_COLOR === '',
        recordAction,
        control,
        gates,
        artifactsDir,
        leave: leave.asked,
        onEvent: (handler) => {
          for (const event of pending.splice(0)) handler(event);
          sink = handler;
        },
      });
    } finally {
      // A console that controls the fleet when it quits hands what still runs (`l`, Ctrl-C,
      // SIGTERM) to the background supervisor; nothing of it acts once the lock is gone.
      const controlling = control.getSnapshot().kind === 'controlling';
      if (controlling) await supervisor.letGo();
      // Every event is on disk before the lock goes: the next controller's records follow ours.
      await journal.close();
      control.close();
      context.platform.close();
      if (controlling && supervisor.supervising()) startBackgroundSupervisor(context, journal);
    }
  } finally {
    leave.stop();
  }
}

/** --gate-cycles, --gate-duration, --gate-interval: what `g` passes to the gates that take them. */
function consoleGateOverrides(values: { 'gate-cycles'?: string; 'gate-duration'?: string; 'gate-interval'?: string }): GateOverrides {
  try {
    return parseGateOverrides({ cycles: values['gate-cycles'], duration: values['gate-duration'], interval: values['gate-interval'] });
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    throw new UsageError(error.message.replace(/^evident gate: --/, 'evident console: --gate-'));
  }
}

/** Where a runner started by the console finds everything this console uses, and who it acts for. */
function runnerFlags(contractPath: string, stateRoot: string, artifactsDir: string, pipelinePath: string, actor: string | undefined): string[] {
  return ['--contract', contractPath, '--state-dir', stateRoot, '--artifacts-dir', artifactsDir, '--pipeline', pipelinePath, ...(actor === undefined ? [] : ['--actor', actor])];
}

/** The console's Ink modules, with production React (see import-in-production-mode.ts). */
function importConsoleInProductionMode() {
  return importInProductionMode(() => import('../../components/run-console.tsx'));
}
