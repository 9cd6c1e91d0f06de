// evident down: stop the fleet (or the named services) in reverse dependency order, the
// whole process tree of each, then check that nothing was left behind. What the stop
// found is judged from its own events by the judge the shutdown check and Gate 1 use
// (gates/stop-findings.ts), with the shutdown check's criteria: leftovers, processes
// that left their service's group or session, unclean exits it could see.
import { DEFAULT_SHUTDOWN_CRITERIA } from '../../gates/shutdown/judge.ts';
import { describeUncleanExit, judgeStopFindings } from '../../gates/stop-findings.ts';
import type { FinishedRun, RunWriter } from '../../src/evidence/run-writer.ts';
import { supervisorRecord } from '../../src/evidence/supervisor-record.ts';
import { describeEvent, type SupervisorEvent } from '../../src/supervisor/supervisor-event.ts';
import { currentActor } from '../current-actor.ts';
import { startRecordedRun } from '../start-recorded-run.ts';
import { openStateViewOrWarn, saveStateViewOrWarn } from '../state-view-updates.ts';
import { resolveArtifactsDir } from '../../src/paths/state-paths.ts';
import { EXIT } from '../../src/errors/exit-codes.ts';
import { describeEscapee, describeLeftover, describeOutlived, escapeeJson, leftoverJson } from '../leftover-lines.ts';
import { openFleet } from '../open-fleet.ts';
import { ACTION_OPTIONS, COMMON_OPTIONS, parseCommandArgs } from '../parse-command-args.ts';
import { recordOperatorAction } from '../../src/evidence/record-operator-action.ts';
import { requireKnownServices } from '../service-names.ts';
import { withFleetLock } from '../with-fleet-lock.ts';

export const downHelp = `usage: evident down [service ...] [--record] [--contract PATH] [--state-dir DIR] [--json]

Stops the fleet (or the named services) in reverse dependency order: a graceful signal to
each service's whole process tree, then a kill after its stop_timeout_s. Only processes
proven ours are signalled (their recorded pid and start time, the process group or session
evident created for the service, or our tag in their environment). Then the leftover check: any process of ours still alive, any defunct child,
any listener still on a contract port, each with pid, ppid, command and port. A process
of a service found outside the service's process group or session (it called setsid or
setpgid) is named as escaped, whether it obeyed the stop or had to be killed; so is a
process killed after its service had ended (it outlived it).

  --record           write the stop as a signed shutdown-check run: every supervisor event
                     and the leftover check's evidence (the processes that concern the fleet;
                     the rest of the table only counted) in a journal, the verdict (PASSED
                     only with nothing left behind and nothing escaped), manifest and signature, in
                     <artifacts>/<run_id>/ (check it with \`evident verify\`)
  --artifacts-dir D  evidence folder (default ./artifacts, or EVIDENT_ARTIFACTS_DIR): the stop and
                     every supervisor event go to D/operator/journal.jsonl, runs to D/<run_id>/
  --actor NAME       who is recorded as stopping the fleet (default: the OS user)
  --idempotency-key K  a retried delivery with the same key is recorded once and not repeated
  --contract PATH    the boot contract (default contracts/boot-contract.json)
  --state-dir DIR    pid files, logs and data (default ./state, or EVIDENT_STATE_DIR)
  --json             print one JSON object instead of lines

exit: 0 stopped with nothing left behind, 1 leftovers or escaped processes found (or an unclean exit, or a
leftover check that could not see the whole table), 2 bad input, 3 another console holds the fleet`;

export async function downCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    'down',
    argv,
    { ...COMMON_OPTIONS, ...ACTION_OPTIONS, record: { type: 'boolean' } },
    true,
  );
  if (values.help) {
    console.log(downHelp);
    return EXIT.ok;
  }
  const json = values.json === true;
  // Events are journaled in the order they happen; those before the run exists wait for it.
  let run: RunWriter | null = null;
  const early: (SupervisorEvent & { at: number })[] = [];
  const journaled: Promise<unknown>[] = [];
  const { context, supervisor, journal } = await openFleet(values, (event) => {
    if (!json && event.type !== 'leftover') console.log(describeEvent(event));
    if (!values.record) return;
    if (run) journaled.push(run.record(supervisorRecord(event)));
    else early.push(event);
  });
  const names = requireKnownServices(context.contract, positionals);
  const targets = names.length > 0 ? names : context.contract.services.map((s) => s.name);
  return withFleetLock({ context, journal, supervisor }, 'evident down', async () => {
    const action = await recordOperatorAction(journal, { name: 'stop', payload: { services: targets, command: 'evident down', record: values.record === true }, idempotencyKey: values['idempotency-key'] });
    if (action.repeated) {
      console.log(action.message);
      return EXIT.ok;
    }
    if (values.record) {
      const actor = currentActor(values.actor);
      run = await startRecordedRun(context, {
        kind: 'shutdown',
        actor,
        artifactsFlag: values['artifacts-dir'],
        criteria: { ...DEFAULT_SHUTDOWN_CRITERIA },
        parameters: { services: targets },
        flags: { ...values },
      });
      // The operator's action, in the run's own journal too, tied to the operator journal's record.
      await run.record({ type: 'operator.stop', actor, payload: { services: targets, command: 'evident down', operator_record: action.record.id } });
      for (const event of early.splice(0)) journaled.push(run.record(supervisorRecord(event)));
    }
    await supervisor.adopt();
    const startedAt = performance.now();
    const result = await supervisor.stopServices(targets);
    await supervisor.releaseOutput();
    const totalMs = Math.round(performance.now() - startedAt);
    const findings = judgeStopFindings(result.events.map(supervisorRecord), DEFAULT_SHUTDOWN_CRITERIA);
    const clean = findings.reasons.length === 0 && findings.leftover_check !== null;
    // Orphans killed after their service had ended: not in the live check (they are gone), still left behind.
    const outlived = findings.leftovers.filter((l) => l.killed_after_ms !== undefined);
    let finished: FinishedRun | null = null;
    if (run) {
      await Promise.all(journaled);
      finished = await (run as RunWriter).finish({ total_ms: totalMs });
      // The state view (run index) catches up with the run just written.
      await saveStateViewOrWarn(await openStateViewOrWarn(context.paths, resolveArtifactsDir(values['artifacts-dir'])), finished.dir, null);
    }
    if (json) {
      console.log(
        JSON.stringify({
          ok: clean,
          total_ms: totalMs,
          stopped: result.outcomes.map((o) => ({
            service: o.service,
            graceful: o.graceful,
            duration_ms: o.durationMs,
            killed: o.killed,
            exit_code: o.exit?.code ?? null,
            exit_signal: o.exit?.signal ?? null,
            exit_observed: o.exit !== null,
          })),
          leftovers: result.leftovers.map(leftoverJson),
          outlived: outlived.map((l) => ({ service: l.service, pid: l.pid, ppid: l.ppid, command: l.command, killed_after_ms: l.killed_after_ms })),
          escaped: findings.escaped_processes.map(escapeeJson),
          unclean_exits: findings.unclean_exits,
          leftover_check: findings.leftover_check,
          reasons: findings.reasons,
          allowed: findings.allowed,
          run: finished && { dir: finished.dir, status: finished.verdict.status, summary: finished.summaryFile, manifest: finished.manifestFile },
        }),
      );
    } else {
      for (const leftover of result.leftovers) console.log(describeLeftover(leftover));
      for (const leftover of outlived) console.log(describeOutlived(leftover));
      for (const escapee of findings.escaped_processes) console.log(describeEscapee(escapee));
      for (const exit of findings.unclean_exits) console.log(`unclean exit: ${describeUncleanExit(exit)}`);
      if (findings.leftover_check?.problem) console.log(`leftover check incomplete: ${findings.leftover_check.problem}`);
      if (clean) console.log(`fleet down in ${totalMs} ms: no process and no listener left behind`);
      else console.log(`fleet down in ${totalMs} ms, not cleanly: ${summarise(findings, result.leftovers.length + outlived.length)}`);
      if (result.leftovers.some((l) => l.ours)) console.log('`evident zombies --reap` ends the leftovers proven ours');
      if (finished) console.log(`shutdown check ${finished.verdict.status}: evidence in ${finished.dir} (check it: evident verify ${finished.dir})`);
    }
    return clean ? EXIT.ok : EXIT.checkFailed;
  });
}

/** `1 escaped process, 2 leftovers, 1 unclean exit`: what made the stop not clean. */
function summarise(findings: ReturnType<typeof judgeStopFindings>, leftovers: number): string {
  const count = (n: number, one: string, many: string) => (n === 0 ? [] : [`${n} ${n === 1 ? one : many}`]);
  const parts = [
    ...count(findings.escaped_processes.length, 'process left its service\'s process group or session', 'processes left their service\'s process group or session'),
    ...count(leftovers, 'leftover', 'leftovers'),
    ...count(findings.unclean_exits.length, 'unclean exit', 'unclean exits'),
    ...(findings.leftover_check === null ? ['the leftover check did not run'] : findings.leftover_check.problem ? ['the leftover check is incomplete'] : []),
  ];
  return parts.length > 0 ? parts.join(', ') : findings.reasons.join('; ');
}
