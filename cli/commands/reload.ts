// evident reload: send one running service its contract's reload_signal (nginx: SIGHUP),
// once, to the process group its process leads (or to that process alone). Only a service
// proven ours (its pid file's process, same start token and command line) is signalled.
// Recorded in the operator journal before it is sent, under the fleet lock like every
// command that acts on the fleet. What can never be sent (no reload_signal declared, a
// platform without signals) is refused before anything is recorded.
import { EXIT, UsageError } from '../../src/errors/exit-codes.ts';
import { recordOperatorAction } from '../../src/evidence/record-operator-action.ts';
import { describeEvent } from '../../src/supervisor/supervisor-event.ts';
import { openFleet } from '../open-fleet.ts';
import { ACTION_OPTIONS, COMMON_OPTIONS, parseCommandArgs } from '../parse-command-args.ts';
import { requireKnownServices } from '../service-names.ts';
import { withFleetLock } from '../with-fleet-lock.ts';

export const reloadHelp = `usage: evident reload <service> [--contract PATH] [--state-dir DIR] [--actor NAME] [--json]

Sends one running service the reload_signal its contract declares (nginx: SIGHUP), once:
to the process group the service's process leads, or to that process alone when it leads
none. The service must be running and proven ours (its pid file's process: same start time
and command line); nothing else is ever signalled. The action is recorded in the operator
journal before the signal is sent. A service without a reload_signal is refused: evident
does not guess how a program reloads. Windows has no such signal: refused there.

  --contract PATH    the boot contract (default contracts/boot-contract.json)
  --state-dir DIR    pid files, logs and data (default ./state, or EVIDENT_STATE_DIR)
  --artifacts-dir D  evidence folder (default ./artifacts, or EVIDENT_ARTIFACTS_DIR): the action
                     and the supervisor's reload event go to D/operator/journal.jsonl
  --actor NAME       who is recorded as reloading the service (default: the OS user)
  --idempotency-key K  a retried delivery with the same key is recorded once and not repeated
  --json             print one JSON object instead of lines

exit: 0 the signal was sent, 1 the service is not running or not proven ours (nothing sent),
2 bad input (unknown service, no reload_signal declared, Windows), 3 another console holds the fleet`;

export async function reloadCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs('reload', argv, { ...COMMON_OPTIONS, ...ACTION_OPTIONS }, true);
  if (values.help) {
    console.log(reloadHelp);
    return EXIT.ok;
  }
  if (positionals.length !== 1) {
    throw new UsageError(`evident reload: expected one service, got ${positionals.length === 0 ? 'none' : positionals.map((p) => JSON.stringify(p)).join(' ')}\nrun \`evident reload --help\` for usage`);
  }
  const json = values.json === true;
  const { context, supervisor, journal } = await openFleet(values, (event) => {
    // Adoption's lines are noise here: what the reload did (sent, or why not) is the one line.
    if (!json && event.type === 'reload') console.log(describeEvent(event));
  });
  const [name] = requireKnownServices(context.contract, positionals) as [string];
  const refusal = supervisor.reloadRefusal(name);
  if (refusal !== null) {
    context.platform.close();
    throw new UsageError(`evident reload: ${refusal}`);
  }
  const signal = context.contract.services.find((s) => s.name === name)?.reload_signal as string;
  return withFleetLock({ context, journal, supervisor }, 'evident reload', async () => {
    const action = await recordOperatorAction(journal, { name: 'reload', payload: { services: [name], signal, command: 'evident reload' }, idempotencyKey: values['idempotency-key'] });
    if (action.repeated) {
      console.log(action.message);
      return EXIT.ok;
    }
    await supervisor.adopt();
    const outcome = await supervisor.reloadService(name);
    await supervisor.releaseOutput();
    if (json) {
      console.log(
        JSON.stringify({
          ok: outcome.sent,
          service: name,
          signal,
          pid: outcome.pid,
          group: outcome.sent ? outcome.group : null,
          reached: outcome.sent ? outcome.reached : [],
          refused: outcome.sent ? null : { why: outcome.why, reason: outcome.reason },
          record: { id: action.record.id, idempotency_key: action.record.idempotency_key ?? null },
        }),
      );
    }
    return outcome.sent ? EXIT.ok : EXIT.checkFailed;
  });
}
