// evident blocker <gate>: documents why a gate failed — what failed (pre-filled from the
// failed run's verdict), the root cause, the fix, and after two failures in a row the
// remediation plan — as an operator action in the operator journal. Until this is done
// the gate stays BLOCKED and cannot be rerun. `--list` shows the blockers documented.
import { join } from 'node:path';
import { FleetJournal } from '../../src/evidence/fleet-journal.ts';
import { OPERATOR_DIR } from '../../src/evidence/operator-journal.ts';
import { findGate } from '../../src/pipeline/pipeline.ts';
import { currentActor } from '../current-actor.ts';
import { withGateStates } from '../with-gate-states.ts';
import { EXIT, UsageError } from '../../src/errors/exit-codes.ts';
import { ACTION_OPTIONS, COMMON_OPTIONS, parseCommandArgs } from '../parse-command-args.ts';
import { BLOCKER_FIELD_PURPOSE, blockerPayload, blockerTarget, recordBlocker } from '../../gates/operations/record-blocker.ts';
import { saveStateViewOrWarn } from '../state-view-updates.ts';
import { refreshExecutionLog } from '../refresh-execution-log.ts';
import { blockersOf } from '../../gates/gate-history.ts';
import { formatTable } from '../plain-table.ts';

export const blockerHelp = `usage: evident blocker <gate> --root-cause TEXT --fix TEXT [--what TEXT]
       [--remediation TEXT] [--run RUN_ID] [--actor NAME] [--idempotency-key KEY]
       evident blocker --list [--json]
       [--pipeline PATH] [--contract PATH] [--state-dir DIR] [--artifacts-dir DIR]

Documents the blocker of a failed gate run, as an operator action recorded in
<artifacts>/operator/journal.jsonl. A gate that failed stays BLOCKED, and cannot run
again, until its blocker is documented; a gate that failed twice in a row also needs a
remediation note before a third attempt.

  --run RUN_ID        the failed run (default: the gate's latest failed run)
  --what TEXT         what failed (default: the failed run's verdict, from its evidence)
  --root-cause TEXT   why it failed
  --fix TEXT          what was changed so it does not fail again
  --remediation TEXT  the plan before another attempt (required after two failures in a row)
  --actor NAME        who documents it (default: the OS user)
  --idempotency-key K the same blocker delivered twice is recorded once (default: a key
                      made from the run and the text, so an identical resubmission is one record)
  --list              the blockers documented so far
  --json              print one JSON object

exit: 0 recorded (or already recorded), 2 bad input (no such gate, no failed run, a field missing)`;

export async function blockerCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    'blocker',
    argv,
    {
      ...COMMON_OPTIONS,
      ...ACTION_OPTIONS,
      pipeline: { type: 'string' },
      run: { type: 'string' },
      what: { type: 'string' },
      'root-cause': { type: 'string' },
      fix: { type: 'string' },
      remediation: { type: 'string' },
      list: { type: 'boolean' },
    },
    true,
  );
  if (values.help) {
    console.log(blockerHelp);
    return EXIT.ok;
  }
  return withGateStates(
    values,
    async ({ pipeline, contract, paths, artifactsDir, platform, states, store }) => {
      if (values.list) {
        const blockers = blockersOf(store.view);
        if (values.json) console.log(JSON.stringify({ blockers }));
        else if (blockers.length === 0) console.log('no blocker documented');
        else console.log(formatTable(['AT', 'GATE', 'RUN', 'ACTOR', 'ROOT CAUSE', 'FIX'], blockers.map((b) => [b.at, b.gate, b.run_id, b.actor, b.root_cause, b.fix])));
        return EXIT.ok;
      }
      if (positionals.length !== 1) throw new UsageError('evident blocker: name the gate whose failure this documents, such as `evident blocker 1`\nrun `evident blocker --help` for usage');
      const gate = findGate(pipeline, positionals[0] as string);
      if (!gate) throw new UsageError(`evident blocker: the pipeline has no gate "${positionals[0]}"; its gates: ${pipeline.gates.map((g) => g.id).join(', ')}`);
      const found = blockerTarget(store.view, states.find((s) => s.gate.id === gate.id), gate.id, values.run);
      if (!found.ok) throw new UsageError(`evident blocker: ${found.message}`);
      const { target } = found;
      const checked = blockerPayload(target, { what: values.what, rootCause: values['root-cause'], fix: values.fix, remediation: values.remediation });
      if (!checked.ok) {
        if (checked.missing === 'remediation') {
          throw new UsageError(`evident blocker: ${gate.id} has failed ${target.failuresInARow} times in a row: add --remediation with the plan before a third attempt`);
        }
        throw new UsageError(`evident blocker: --${checked.missing} is required: ${BLOCKER_FIELD_PURPOSE[checked.missing]}`);
      }
      const { payload } = checked;
      const runId = target.runId;
      const actor = currentActor(values.actor);
      const journal = new FleetJournal(artifactsDir, paths.keys, { version: contract.version, hash: contract.hash }, actor, () => {});
      const action = await recordBlocker(journal, payload, values['idempotency-key']);
      await journal.close();
      await saveStateViewOrWarn(store, join(artifactsDir, OPERATOR_DIR), action.repeated ? null : action.record);
      if (!action.repeated) await refreshExecutionLog(pipeline, contract, paths, artifactsDir, platform);
      if (values.json) console.log(JSON.stringify({ recorded: !action.repeated, record_id: action.record.id, blocker: payload }));
      else console.log(action.repeated ? action.message : `blocker recorded for ${gate.id} run ${runId} by ${actor} (record ${action.record.id}); ${gate.id} may run again`);
      return EXIT.ok;
    },
  );
}
