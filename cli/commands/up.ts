// evident up: start the fleet (or the named services and what they depend on), wait for
// every probe to pass, and leave the services running for a console to adopt.
import { readLogTail } from '../../src/supervisor/service-log.ts';
import { describeEvent } from '../../src/supervisor/supervisor-event.ts';
import { EXIT } from '../../src/errors/exit-codes.ts';
import { openFleet } from '../open-fleet.ts';
import { ACTION_OPTIONS, COMMON_OPTIONS, parseCommandArgs } from '../parse-command-args.ts';
import { recordOperatorAction } from '../../src/evidence/record-operator-action.ts';
import { requireKnownServices } from '../service-names.ts';
import { withFleetLock } from '../with-fleet-lock.ts';

export const upHelp = `usage: evident up [service ...] [--contract PATH] [--state-dir DIR] [--actor NAME] [--json]

Starts the fleet in dependency order (independent services in parallel) and waits until
every health probe passes within its startup timeout. Named services start together with
everything they depend on. Services already running are adopted, never started twice.
The services keep running after this command exits; \`evident down\` stops them.

  --contract PATH    the boot contract (default contracts/boot-contract.json)
  --state-dir DIR    pid files, logs and data (default ./state, or EVIDENT_STATE_DIR)
  --artifacts-dir D  evidence folder (default ./artifacts, or EVIDENT_ARTIFACTS_DIR): the start
                     and every supervisor event are recorded in D/operator/journal.jsonl
  --actor NAME       who is recorded as starting the fleet (default: the OS user)
  --idempotency-key K  a retried delivery with the same key is recorded once and not repeated
  --json             print one JSON object instead of progress lines

exit: 0 all healthy, 1 a service failed to start, 2 bad input, 3 another console holds the fleet`;

export async function upCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs('up', argv, { ...COMMON_OPTIONS, ...ACTION_OPTIONS }, true);
  if (values.help) {
    console.log(upHelp);
    return EXIT.ok;
  }
  const json = values.json === true;
  const { context, supervisor, journal } = await openFleet(
    values,
    (event) => {
      if (!json) console.log(describeEvent(event));
    },
    { restartOnExit: true },
  );
  const names = requireKnownServices(context.contract, positionals);
  const targets = names.length > 0 ? names : context.contract.services.map((s) => s.name);
  return withFleetLock({ context, journal, supervisor }, 'evident up', async () => {
    const action = await recordOperatorAction(journal, { name: 'start', payload: { services: targets, command: 'evident up' }, idempotencyKey: values['idempotency-key'] });
    if (action.repeated) {
      console.log(action.message);
      return EXIT.ok;
    }
    await supervisor.adopt();
    const startedAt = performance.now();
    const result = await supervisor.startServices(targets);
    const totalMs = Math.round(performance.now() - startedAt);
    // What the services printed is in their logs (for the tails below); later output waits for the next console.
    await supervisor.releaseOutput();
    const snapshot = supervisor.getSnapshot();
    if (json) {
      console.log(
        JSON.stringify({
          ok: result.ok,
          total_ms: totalMs,
          services: snapshot.services.map((s) => ({ name: s.name, state: s.state, pid: s.pid, port: s.port, probe: s.probe?.detail ?? null, error: s.lastError })),
          failed: result.failed,
          left_running: result.ok ? undefined : snapshot.services.filter((s) => s.state === 'running').map((s) => s.name),
        }),
      );
    } else if (result.ok) {
      console.log(`fleet up: ${supervisor.runningServices().length} services healthy in ${totalMs} ms`);
    } else {
      for (const f of result.failed) console.error(`${f.service}: ${f.reason}`);
      const tails = snapshot.services.filter((s) => s.state === 'failed');
      for (const s of tails) {
        const lines = readLogTail(context.paths.logs, s.name, 10);
        if (lines.length > 0) console.error(`--- last lines of ${s.name}'s log:\n${lines.join('\n')}`);
      }
      console.error(leftRunningLine(snapshot.services));
    }
    return result.ok ? EXIT.ok : EXIT.checkFailed;
  });
}

/** After a failed `up`: what is still running (started now or before), and how to stop it, so nothing runs unnoticed. */
function leftRunningLine(services: readonly { name: string; state: string; pid: number | null }[]): string {
  const running = services.filter((s) => s.state === 'running');
  if (running.length === 0) return 'nothing of the fleet is left running';
  const list = running.map((s) => `${s.name} (pid ${s.pid ?? '?'})`).join(', ');
  return `left running: ${list}; \`evident down\` stops them (or \`evident down <service>\` one of them)`;
}
