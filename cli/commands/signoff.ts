// evident signoff <gate>: a person's sign-off on a gate's passing run — they read its
// evidence and accept it — as an `operator.signoff` action in the operator journal. Only
// a run that PASSED, in full or as a labelled trial, under the current contract, can be
// signed off; the same sign-off delivered twice is one record.
import { judges } from '../../gates/load-judges.ts';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { FleetJournal } from '../../src/evidence/fleet-journal.ts';
import { OPERATOR_DIR } from '../../src/evidence/operator-journal.ts';
import { findGate } from '../../src/pipeline/pipeline.ts';
import type { GateSpec } from '../../src/pipeline/pipeline-schema.ts';
import { currentActor } from '../current-actor.ts';
import { VerifiedRuns } from '../../src/evidence/verified-runs.ts';
import { withGateStates } from '../with-gate-states.ts';
import { EXIT, UsageError } from '../../src/errors/exit-codes.ts';
import { ACTION_OPTIONS, COMMON_OPTIONS, parseCommandArgs } from '../parse-command-args.ts';
import { recordOperatorAction } from '../../src/evidence/record-operator-action.ts';
import { saveStateViewOrWarn } from '../state-view-updates.ts';

export const signoffHelp = `usage: evident signoff <gate> --statement TEXT [--run RUN_ID] [--actor NAME]
       [--idempotency-key KEY] [--pipeline PATH] [--contract PATH] [--state-dir DIR]
       [--artifacts-dir DIR] [--json]

Records your sign-off on a gate's passing run (default: the gate's latest run, which must
have PASSED under the current contract): that you reviewed its evidence and accept it.
It is an operator action in <artifacts>/operator/journal.jsonl, with who, when, the run
and the manifest it covers; \`evident log\` and \`evident state show\` list sign-offs. A trial
run can be signed off, and the record says it was a trial.

  --statement TEXT   what you are signing off, in your words (required)
  --run RUN_ID       the run (default: the gate's latest)
  --actor NAME       who signs (default: the OS user)
  --idempotency-key K  the same sign-off delivered twice is one record (default: a key
                     from the run, the statement and the actor)

exit: 0 recorded (or already recorded), 2 bad input (no such gate or run, the run did not
pass, no statement), 3 the run is not under the current contract`;

export async function signoffCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    'signoff',
    argv,
    { ...COMMON_OPTIONS, ...ACTION_OPTIONS, pipeline: { type: 'string' }, run: { type: 'string' }, statement: { type: 'string' } },
    true,
  );
  if (values.help) {
    console.log(signoffHelp);
    return EXIT.ok;
  }
  if (positionals.length !== 1) throw new UsageError('evident signoff: name the gate you sign off, such as `evident signoff 1`\nrun `evident signoff --help` for usage');
  const statement = values.statement?.trim() ?? '';
  if (statement === '') throw new UsageError('evident signoff: --statement is required: what you reviewed and accept');
  return withGateStates(
    values,
    async ({ pipeline, contract, artifactsDir, states, store, paths }) => {
      const gate = findGate(pipeline, positionals[0] as string) as GateSpec;
      const state = states.find((s) => s.gate.id === gate.id);
      const runId = values.run ?? state?.run?.run_id;
      if (runId === undefined) throw new UsageError(`evident signoff: ${gate.id} has no run under the current contract to sign off`);
      const run = store.view.runs[runId];
      if (!run || run.gate !== gate.id) throw new UsageError(`evident signoff: run ${runId} is not a run of ${gate.id}`);
      if (run.contract_hash !== contract.hash || run.pipeline_hash !== pipeline.hash) {
        const other = run.contract_hash !== contract.hash ? `contract (${run.contract_hash.slice(0, 12)}, now ${contract.hash.slice(0, 12)})` : 'pipeline';
        console.error(`evident signoff: run ${runId} ran under another ${other}: it is no longer evidence for this one`);
        return EXIT.blocked;
      }
      // A sign-off is over evidence that verifies, never over what a journal claims.
      const verification = await VerifiedRuns.forState(paths.root, paths.keys, judges).check(run.dir, { maySeal: false });
      if (!verification.ok) {
        console.error(`evident signoff: run ${runId} does not verify (${verification.problem}): there is nothing to sign off`);
        return EXIT.blocked;
      }
      if (verification.status !== 'PASSED') throw new UsageError(`evident signoff: run ${runId} did not pass (it is ${verification.status}): only a passing run can be signed off`);
      const actor = currentActor(values.actor);
      const payload = { gate: gate.id, run_id: runId, statement, trial: run.trial, run_dir: run.dir, contract_hash: run.contract_hash, pipeline_hash: run.pipeline_hash, manifest_sha256: verification.manifest_sha256 };
      const key = values['idempotency-key'] ?? `signoff:${createHash('sha256').update(JSON.stringify({ runId, statement, actor })).digest('hex').slice(0, 32)}`;
      const journal = new FleetJournal(artifactsDir, paths.keys, { version: contract.version, hash: contract.hash }, actor, () => {});
      const action = await recordOperatorAction(journal, { name: 'signoff', payload, idempotencyKey: key });
      await journal.close();
      await saveStateViewOrWarn(store, join(artifactsDir, OPERATOR_DIR), action.repeated ? null : action.record);
      if (values.json) console.log(JSON.stringify({ recorded: !action.repeated, record_id: action.record.id, signoff: payload, actor }));
      else console.log(action.repeated ? action.message : `${gate.id} run ${runId}${run.trial ? ' (a trial)' : ''} signed off by ${actor} (record ${action.record.id})`);
      return EXIT.ok;
    },
    (pipeline) => {
      if (!findGate(pipeline, positionals[0] as string)) throw new UsageError(`evident signoff: the pipeline has no gate "${positionals[0]}"; its gates: ${pipeline.gates.map((g) => g.id).join(', ')}`);
    },
  );
}
