// evident supervise: the background supervisor. It keeps the fleet supervised after the
// command that controlled it has ended (`up`, a console that left the fleet running, a
// gate runner giving the fleet back): restarts per each service's restart policy, reads
// service output into bounded logs, samples CPU and memory for `evident status`, probes
// health, records every event in the operator journal. It holds the fleet lock only until
// another evident process asks for the fleet (supervisor-leave-request.ts), never stops a
// service, and exits once nothing of the fleet is left to supervise. Killed, even with
// SIGKILL, it leaves every service running and adoptable, as a console does.
import { describeEvent } from '../../src/supervisor/supervisor-event.ts';
import { acquireFleetLock } from '../../src/supervisor/fleet-lock.ts';
import { clearLeaveRequest, leaveRequestFor, SUPERVISOR_PURPOSE } from '../../src/supervisor/supervisor-leave-request.ts';
import { EXIT, UsageError } from '../../src/errors/exit-codes.ts';
import { openFleet } from '../open-fleet.ts';
import { ACTION_OPTIONS, COMMON_OPTIONS, parseCommandArgs } from '../parse-command-args.ts';
import { heldBy } from '../lock-message.ts';

export const superviseHelp = `usage: evident supervise [--contract PATH] [--state-dir DIR] [--artifacts-dir DIR] [--actor NAME] [--interval MS]

The background supervisor. \`evident up\`, a console that leaves the fleet running and a
gate runner giving the fleet back start it; you need not run it yourself. Until another
evident process asks for the fleet (which it then hands over at once), it restarts a
service that ends on its own as the contract's restart policy says, reads each service's
output into its bounded log, samples CPU and memory (so \`evident status\` shows a live
rate) and probes health, recording every event in the operator journal. It never stops
a service. It exits when nothing of the fleet is left running, when another evident
process takes the fleet, or on SIGTERM, SIGINT or SIGHUP; killed (even with SIGKILL), it
leaves every service running for the next evident process to adopt. Its lines go to
state/supervisor.log when \`up\` or the console starts it.

  --interval MS   how often it samples and probes (default 1000)

exit: 0 (also when another evident process already controls the fleet), 2 bad input`;

/** How often the supervisor looks for a request to leave and for an empty fleet. */
const LOOK_MS = 100;

export async function superviseCommand(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs('supervise', argv, { ...COMMON_OPTIONS, ...ACTION_OPTIONS, interval: { type: 'string' } }, false);
  if (values.help) {
    console.log(superviseHelp);
    return EXIT.ok;
  }
  const intervalMs = values.interval === undefined ? 1000 : Number(values.interval);
  if (!Number.isInteger(intervalMs) || intervalMs < 100 || intervalMs > 60_000) {
    throw new UsageError(`evident supervise: --interval: expected milliseconds 100–60000, got "${values.interval}"`);
  }
  const say = (line: string) => console.log(`${new Date().toISOString()} ${line}`);
  const { context, supervisor, journal } = await openFleet(values, (event) => say(describeEvent(event)), { restartOnExit: true });
  const root = context.paths.root;
  const lock = await acquireFleetLock(context.platform, root, SUPERVISOR_PURPOSE);
  if (!lock.ok) {
    say(`not supervising: ${heldBy(lock.holder)}`);
    context.platform.close();
    await journal.close();
    return EXIT.ok;
  }
  try {
    const self = { pid: process.pid, start_token: (await context.platform.readProcess(process.pid))?.startToken ?? '' };
    say(`supervising ${context.contract.name} ${context.contract.version} (pid ${process.pid}, state ${root})`);
    await supervisor.adopt();
    supervisor.startTelemetry(intervalMs);
    const reason = await new Promise<string>((resolve) => {
      const look = setInterval(() => {
        const request = leaveRequestFor(root, self);
        if (request !== null) done(`pid ${request.by} asked for the fleet`);
        else if (!supervisor.supervising()) done('nothing of the fleet is left running');
      }, LOOK_MS);
      const onSignal = (signal: NodeJS.Signals) => done(`${signal} received`);
      const signals: NodeJS.Signals[] = ['SIGTERM', 'SIGINT', 'SIGHUP'];
      for (const signal of signals) process.on(signal, onSignal);
      function done(why: string): void {
        clearInterval(look);
        for (const signal of signals) process.off(signal, onSignal);
        resolve(why);
      }
    });
    await supervisor.letGo();
    say(`leaving: ${reason}; every service left as it runs`);
    if (leaveRequestFor(root, self) !== null) clearLeaveRequest(root);
    return EXIT.ok;
  } finally {
    // Every event is on disk before the lock goes: the next controller's records follow ours.
    await journal.close();
    lock.release();
    context.platform.close();
  }
}
