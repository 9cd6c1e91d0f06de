// evident down: stop the fleet (or the named services) in reverse dependency order, the
// whole process tree of each, then check that nothing was left behind.
import { describeEvent } from '../../supervisor/supervisor-event.ts';
import { EXIT } from '../exit-codes.ts';
import { describeLeftover, leftoverJson } from '../leftover-lines.ts';
import { openFleet } from '../open-fleet.ts';
import { COMMON_OPTIONS, parseCommandArgs } from '../parse-command-args.ts';
import { requireKnownServices } from '../service-names.ts';
import { withFleetLock } from '../with-fleet-lock.ts';

export const downHelp = `usage: evident down [service ...] [--contract PATH] [--state-dir DIR] [--json]

Stops the fleet (or the named services) in reverse dependency order: a graceful signal to
each service's whole process tree, then a kill after its stop_timeout_s. Only processes
proven ours are signalled (pid + start time + command line, or our tag in their
environment). Then the leftover check: any process of ours still alive, any defunct child,
any listener still on a contract port, each with pid, ppid, command and port.

  --contract PATH    the boot contract (default contracts/boot-contract.json)
  --state-dir DIR    pid files, logs and data (default ./state, or EVIDENT_STATE_DIR)
  --json             print one JSON object instead of lines

exit: 0 stopped with nothing left behind, 1 leftovers found, 2 bad input, 3 another console holds the fleet`;

export async function downCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs('down', argv, COMMON_OPTIONS, true);
  if (values.help) {
    console.log(downHelp);
    return EXIT.ok;
  }
  const json = values.json === true;
  const { context, supervisor } = await openFleet(values, (event) => {
    if (!json && event.type !== 'leftover') console.log(describeEvent(event));
  });
  const names = requireKnownServices(context.contract, positionals);
  return withFleetLock(context, 'evident down', async () => {
    await supervisor.adopt();
    const startedAt = performance.now();
    const result = await supervisor.stopServices(names.length > 0 ? names : context.contract.services.map((s) => s.name));
    const totalMs = Math.round(performance.now() - startedAt);
    const clean = result.leftovers.length === 0;
    if (json) {
      console.log(
        JSON.stringify({
          ok: clean,
          total_ms: totalMs,
          stopped: result.outcomes.map((o) => ({ service: o.service, graceful: o.graceful, duration_ms: o.durationMs, killed: o.killed })),
          leftovers: result.leftovers.map(leftoverJson),
        }),
      );
    } else {
      for (const leftover of result.leftovers) console.log(describeLeftover(leftover));
      console.log(clean ? `fleet down in ${totalMs} ms: no process and no listener left behind` : `${result.leftovers.length} leftover(s) found; \`evident zombies --reap\` ends the ones proven ours`);
    }
    return clean ? EXIT.ok : EXIT.checkFailed;
  });
}
