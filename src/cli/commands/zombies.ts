// evident zombies: the leftover check on demand, and --reap to end what is proven ours.
import { acquireFleetLock } from '../../supervisor/fleet-lock.ts';
import { reapLeftovers } from '../../supervisor/reap.ts';
import { EXIT } from '../exit-codes.ts';
import { describeLeftover, leftoverJson } from '../leftover-lines.ts';
import { heldBy } from '../lock-message.ts';
import { openFleet } from '../open-fleet.ts';
import { COMMON_OPTIONS, parseCommandArgs } from '../parse-command-args.ts';

export const zombiesHelp = `usage: evident zombies [--reap] [--contract PATH] [--state-dir DIR] [--json]

Looks for what a stop may have left behind: any process of ours still alive outside a
running service (seen under a service before, or carrying our tag in its environment,
which catches processes that escaped by setsid or a double fork), any defunct child of
ours, any listener on a contract port that no running service owns. Each is reported
with pid, ppid, command line and port, and whether it is proven ours.

  --reap             end the leftovers proven ours (graceful, then kill); others are never touched
  --contract PATH    the boot contract (default contracts/boot-contract.json)
  --state-dir DIR    pid files, logs and data (default ./state, or EVIDENT_STATE_DIR)
  --json             print one JSON object

exit: 0 nothing found (or everything found was reaped), 1 leftovers remain, 2 bad input, 3 another console holds the fleet (with --reap)`;

export async function zombiesCommand(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs('zombies', argv, { ...COMMON_OPTIONS, reap: { type: 'boolean' } }, false);
  if (values.help) {
    console.log(zombiesHelp);
    return EXIT.ok;
  }
  const { context, supervisor } = await openFleet(values, () => {});
  const lock = values.reap ? await acquireFleetLock(context.platform, context.paths.root, 'evident zombies --reap') : null;
  if (lock && !lock.ok) {
    console.error(heldBy(lock.holder));
    return EXIT.blocked;
  }
  try {
    await supervisor.adopt();
    let found = await supervisor.checkLeftovers();
    let reaped: number[] = [];
    if (values.reap && found.some((l) => l.ours)) {
      reaped = (await reapLeftovers(context, found)).map((p) => p.pid);
      found = await supervisor.checkLeftovers();
    }
    if (values.json) {
      console.log(JSON.stringify({ ok: found.length === 0, leftovers: found.map(leftoverJson), reaped }));
    } else {
      for (const pid of reaped) console.log(`reaped pid ${pid}`);
      for (const leftover of found) console.log(describeLeftover(leftover));
      if (found.length === 0) console.log('no leftovers: no process of ours outside a running service, no defunct child, no stray listener');
    }
    return found.length === 0 ? EXIT.ok : EXIT.checkFailed;
  } finally {
    if (lock?.ok) lock.release();
    context.platform.close();
  }
}
