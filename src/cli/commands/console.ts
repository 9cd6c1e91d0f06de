// evident console: on a terminal, the live Ink console; otherwise plain lines (events as
// they happen and a status table now and then), never escape codes.
import { describeEvent, type SupervisorEvent } from '../../supervisor/supervisor-event.ts';
import { EXIT, UsageError } from '../exit-codes.ts';
import { openFleet } from '../open-fleet.ts';
import { recordOperatorAction } from '../record-operator-action.ts';
import { COMMON_OPTIONS, parseCommandArgs } from '../parse-command-args.ts';
import { runPlainReporter } from '../plain-reporter.ts';
import { trimInkImports } from '../trim-ink-imports.ts';
import { withFleetLock } from '../with-fleet-lock.ts';

export const consoleHelp = `usage: evident console [--up] [--interval MS] [--plain | --json] [--contract PATH] [--state-dir DIR]

The live console: every service's pid, state, health (code and latency), CPU %, RSS,
uptime and restarts, updated every second; the selected service's process tree, sparklines
and log tail; host CPU and memory and the console's own cost in the header.
Services left running by an earlier console are adopted from their pid files.

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

keys: ↑/↓ j/k select · s start · x stop · r restart · a start all · z stop all
      R reap leftovers proven ours · ? help · q quit (stop the fleet, or leave it running)

When stdout is not a terminal (or with --plain) the console prints one line per event
and a status table every 10 s; Ctrl-C or SIGTERM leaves the fleet running for the next
console to adopt (\`evident down\` stops it).

exit: 0 ok, 2 bad input, 3 another console holds the fleet`;

export async function consoleCommand(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs(
    'console',
    argv,
    { ...COMMON_OPTIONS, 'artifacts-dir': { type: 'string' }, actor: { type: 'string' }, up: { type: 'boolean' }, interval: { type: 'string' }, plain: { type: 'boolean' } },
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
  const interactive = process.stdout.isTTY === true && process.stdin.isTTY === true && values.plain !== true && values.json !== true;
  const pending: (SupervisorEvent & { at: number })[] = [];
  let sink: (event: SupervisorEvent & { at: number }) => void = (event) => pending.push(event);
  // The UI's modules load while the contract and state are read: the first frame waits
  // for both, not for one after the other.
  const ui = interactive ? importConsoleInProductionMode() : null;
  ui?.catch(() => {});
  const { context, supervisor, journal } = await openFleet(values, (event) => sink(event));
  const recordAction = async (name: string, payload: Record<string, unknown>) => {
    await recordOperatorAction(journal, { name, payload });
  };

  return withFleetLock(context, 'evident console', async () => {
    if (!interactive) {
      const json = values.json === true;
      sink = (event) => console.log(json ? JSON.stringify({ ...event, at: new Date(event.at).toISOString() }) : describeEvent(event));
      for (const event of pending.splice(0)) sink(event);
      if (values.up) await recordAction('start-all', { via: 'console --up' });
      return await runPlainReporter(supervisor, { intervalMs, up: values.up === true, json });
    }
    const { runInteractiveConsole } = await (ui ?? importConsoleInProductionMode());
    return await runInteractiveConsole(supervisor, {
      intervalMs,
      up: values.up === true,
      colors: !('NO_COLOR' in process.env) || process.env.NO_COLOR === '',
      recordAction,
      onEvent: (handler) => {
        for (const event of pending.splice(0)) handler(event);
        sink = handler;
      },
    });
  });
}

/**
 * React picks its development or production build from NODE_ENV when first loaded; the
 * development build costs several times the CPU and memory. Load the console with
 * production React, then put NODE_ENV back so services never inherit our choice.
 */
async function importConsoleInProductionMode() {
  const previous = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  trimInkImports();
  try {
    return await import('../../../components/run-console.tsx');
  } finally {
    if (previous === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = previous;
  }
}
