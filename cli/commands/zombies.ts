// evident zombies: the leftover check on demand, and --reap to end what is proven ours. A
// check whose process table cannot be real (empty, or without this process) is
// incomplete, never clean (the judge gates/stop-findings.ts says so, as for a stop).
import { judgeStopFindings, type LeftoverCheckState } from '../../gates/stop-findings.ts';
import { supervisorRecord } from '../../src/evidence/supervisor-record.ts';
import type { SupervisorEvent } from '../../src/supervisor/supervisor-event.ts';
import { acquireFleetLock } from '../../src/supervisor/fleet-lock.ts';
import { reapLeftovers } from '../../src/supervisor/reap.ts';
import { EXIT } from '../../src/errors/exit-codes.ts';
import { describeLeftover, leftoverJson } from '../leftover-lines.ts';
import { heldBy } from '../lock-message.ts';
import { startBackgroundSupervisor } from '../start-background-supervisor.ts';
import { openFleet } from '../open-fleet.ts';
import { ACTION_OPTIONS, COMMON_OPTIONS, parseCommandArgs } from '../parse-command-args.ts';
import { recordOperatorAction } from '../../src/evidence/record-operator-action.ts';

export const zombiesHelp = `usage: evident zombies [--reap] [--contract PATH] [--state-dir DIR] [--json]

Looks for what a stop may have left behind: any process of ours still alive outside a
running service (in the cgroup evident created for a service where the host gives one,
seen under a service before, in the process group or session evident created for a
service, or carrying our tag in its environment: the cgroup and the tag catch processes
that escaped by setsid or a double fork), any defunct child of ours, any listener on a
contract port that no running service owns. Each is reported with pid, ppid, command line
and port, and what proved it ours (or, for a listener, when it started and why nothing
did). A defunct child of a running service (it exited; its parent, a process of the
service, has not waited for it) is a finding too, with the parent that has to collect it:
it goes when that parent waits for it or exits, and --reap never ends a running service for
it. Without --reap it only looks: no
pid file is written or removed. A check that could not read a real process table (empty,
or without evident itself) is incomplete: exit 1.

  --reap             end the leftovers proven ours (graceful, then kill); others are never touched
  --artifacts-dir D  evidence folder: the reap and what was found go to D/operator/journal.jsonl
  --actor NAME       who is recorded as reaping (default: the OS user)
  --idempotency-key K  a retried delivery with the same key is recorded once and not repeated
  --contract PATH    the boot contract (default contracts/boot-contract.json)
  --state-dir DIR    pid files, logs and data (default ./state, or EVIDENT_STATE_DIR)
  --json             print one JSON object

exit: 0 nothing found (or everything found was reaped), 1 leftovers or defunct children remain (or the check was incomplete), 2 bad input,
3 another console holds the fleet (with --reap)`;

export async function zombiesCommand(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs('zombies', argv, { ...COMMON_OPTIONS, ...ACTION_OPTIONS, reap: { type: 'boolean' } }, false);
  if (values.help) {
    console.log(zombiesHelp);
    return EXIT.ok;
  }
  let lastCheck: (SupervisorEvent & { at: number }) | null = null;
  const { context, supervisor, journal } = await openFleet(values, (event) => {
    if (event.type === 'leftover-check') lastCheck = event;
  });
  const checkState = (): LeftoverCheckState | null => (lastCheck ? judgeStopFindings([supervisorRecord(lastCheck)]).leftover_check : null);
  const lock = values.reap ? await acquireFleetLock(context.platform, context.paths.root, 'evident zombies --reap') : null;
  if (lock && !lock.ok) {
    console.error(heldBy(lock.holder));
    context.platform.close();
    await journal.close();
    return EXIT.blocked;
  }
  try {
    // Without --reap this command only looks: it writes and removes no pid file.
    await supervisor.adopt({ readOnly: !values.reap });
    let found = await supervisor.checkLeftovers([], { unreaped: true });
    let reaped: number[] = [];
    if (values.reap && found.some((l) => l.ours)) {
      const pids = found.filter((l) => l.ours).map((l) => l.pid);
      const action = await recordOperatorAction(journal, { name: 'reap', payload: { pids, command: 'evident zombies --reap' }, idempotencyKey: values['idempotency-key'] });
      if (action.repeated) {
        console.log(action.message);
        return EXIT.ok;
      }
      reaped = (await reapLeftovers(context, found)).map((p) => p.pid);
      found = await supervisor.checkLeftovers([], { unreaped: true });
    }
    const check = checkState();
    const ok = found.length === 0 && check !== null && check.problem === null;
    if (values.json) {
      console.log(JSON.stringify({ ok, leftovers: found.map(leftoverJson), reaped, leftover_check: check }));
    } else {
      for (const pid of reaped) console.log(`reaped pid ${pid}`);
      for (const leftover of found) console.log(describeLeftover(leftover));
      if (check?.problem) console.log(`leftover check incomplete: ${check.problem}`);
      else if (found.length === 0) console.log('no leftovers: no process of ours outside a running service, no defunct child, no stray listener');
    }
    return ok ? EXIT.ok : EXIT.checkFailed;
  } finally {
    await supervisor.releaseOutput();
    // --reap took the fleet (from the background supervisor, if one ran): what still runs goes back to one.
    const handBack = lock?.ok === true && supervisor.supervising();
    await journal.close();
    if (lock?.ok) lock.release();
    context.platform.close();
    if (handBack) startBackgroundSupervisor(context, journal);
  }
}
