// A gate run, headless, in this process: the sequencing rules are asked first (exit 3
// with the reason when the gate may not run), the contract is held to its lock, the
// fleet lock is taken naming the run, and then the gate's kind drives the fleet while
// every supervisor event, probe and sample goes to the run's journal. An operator's
// abort (a request file, or SIGINT/SIGTERM/SIGHUP to this process) stops the fleet and
// ends the run INTERRUPTED with who asked; the verdict is always the judge's.
import { admission } from '../gates/admission.ts';
import type { GateOverrides } from '../gates/gate-kind.ts';
import { gateKind } from '../gates/gate-kinds.ts';
import { CONTRACT_LOCK, PIPELINE_LOCK } from '../src/evidence/declaration-lock.ts';
import { ensureLocked } from '../src/evidence/ensure-locked.ts';
import type { FinishedRun, RunWriter } from '../src/evidence/run-writer.ts';
import { newRecordId } from '../src/evidence/record-id.ts';
import { supervisorRecord } from '../src/evidence/supervisor-record.ts';
import type { GateSpec } from '../src/pipeline/pipeline-schema.ts';
import type { Pipeline } from '../src/pipeline/pipeline.ts';
import { readAbortRequest, removeAbortRequest } from '../src/state/abort-request.ts';
import { resolveArtifactsDir } from '../src/paths/state-paths.ts';
import type { SupervisorEvent } from '../src/supervisor/supervisor-event.ts';
import { currentActor } from './current-actor.ts';
import { currentGateStates } from './current-gate-states.ts';
import { EXIT, UsageError } from '../src/errors/exit-codes.ts';
import { openFleet, type FleetCommandValues } from './open-fleet.ts';
import { describeParameters } from '../gates/describe-parameters.ts';
import { recordOperatorAction } from '../src/evidence/record-operator-action.ts';
import { openStateViewOrWarn, saveStateViewOrWarn } from './state-view-updates.ts';
import { startRunGuard } from './start-run-guard.ts';
import { startRecordedRun } from './start-recorded-run.ts';
import { refreshExecutionLog } from './refresh-execution-log.ts';
import { withFleetLock } from './with-fleet-lock.ts';
import { gateRunPurpose } from '../src/supervisor/gate-run-purpose.ts';

export interface RunGateRequest {
  pipeline: Pipeline;
  gate: GateSpec;
  overrides: GateOverrides;
  values: FleetCommandValues & { json?: boolean; 'idempotency-key'?: string };
  /** Every flag as given, for the config snapshot. */
  flags: Record<string, unknown>;
}

const ABORT_POLL_MS = 500;

export async function runGate(request: RunGateRequest): Promise<number> {
  const { pipeline, gate, overrides, values } = request;
  const json = values.json === true;
  // A runner whose terminal went away (SIGHUP, a closed SSH session) keeps writing its
  // evidence: its progress lines are lost, and that must not crash the seal.
  for (const stream of [process.stdout, process.stderr]) stream.on('error', () => {});
  const say = (line: string) => (json ? process.stderr : process.stdout).write(`${new Date().toISOString()} ${gate.id}: ${line}\n`);
  const kind = gateKind(gate.kind);
  const plan = kind?.plan(gate, overrides, pipeline) ?? null;
  if (plan && !plan.ok) throw new UsageError(`evident gate ${gate.id}: ${plan.problem}`);

  let run: RunWriter | null = null;
  const recorded: Promise<unknown>[] = [];
  const { context, supervisor, journal } = await openFleet(
    values,
    (event: SupervisorEvent & { at: number }) => {
      if (run) recorded.push(run.record(supervisorRecord(event)));
    },
    { operatorEvents: false },
  );
  const artifactsDir = resolveArtifactsDir(values['artifacts-dir']);
  const actor = currentActor(values.actor);

  // A plan the contract cannot serve is bad input: refused before anything is recorded.
  const mismatch = plan?.ok === true ? (kind?.checkContract?.(plan.parameters, context.contract) ?? null) : null;
  if (mismatch !== null) {
    console.error(`evident gate ${gate.id}: ${mismatch}`);
    return finishEarly(context, journal, EXIT.usage);
  }
  // The run is held to the contract and to the pipeline it runs under, both locked.
  const recordedUnder = { version: context.contract.version, hash: context.contract.hash };
  for (const [subject, declared] of [
    [CONTRACT_LOCK, context.contract],
    [PIPELINE_LOCK, pipeline],
  ] as const) {
    const lock = await ensureLocked(subject, { artifactsDir, keysDir: context.paths.keys, declaration: { name: declared.name, version: declared.version, hash: declared.hash, spec: declared.spec }, recordedUnder, actor });
    if (!lock.ok) {
      console.error(`evident gate ${gate.id}: refused: ${lock.message}`);
      return finishEarly(context, journal, EXIT.blocked);
    }
  }
  const current = await currentGateStates(pipeline, context.contract.hash, context.paths, artifactsDir, context.platform);
  const decision = admission(current.states, gate.id, plan?.ok === true && plan.trial);
  if (!decision.ok) {
    console.error(`evident gate ${gate.id}: refused: ${decision.reason}`);
    return finishEarly(context, journal, decision.kind === 'blocked' ? EXIT.blocked : EXIT.usage);
  }
  if (!kind || !plan?.ok) throw new Error(`gate kind ${gate.kind} passed admission without a runner`);

  const runId = newRecordId();
  return withFleetLock(
    { context, journal, supervisor },
    gateRunPurpose(gate.id, runId),
    async () => {
      const action = await recordOperatorAction(journal, {
        name: 'run-gate',
        payload: { gate: gate.id, run_id: runId, parameters: plan.parameters, trial: plan.trial, pipeline: pipeline.path },
        idempotencyKey: values['idempotency-key'],
      });
      if (action.repeated) {
        console.log(action.message);
        return EXIT.ok;
      }
      const { contract, paths } = context;
      run = await startRecordedRun(context, {
        kind: gate.kind,
        actor,
        artifactsFlag: values['artifacts-dir'],
        criteria: plan.criteria,
        parameters: plan.parameters,
        flags: request.flags,
        run: {
          id: runId,
          label: gate.id,
          trial: plan.trial,
          start: {
            gate: gate.id,
            title: gate.title,
            services: contract.services.map((s) => s.name),
            pipeline: { name: pipeline.name, version: pipeline.version, hash: pipeline.hash, path: pipeline.path, ...(pipeline.spec.phase === undefined ? {} : { phase: pipeline.spec.phase }) },
            operator_record: action.record.id,
            runner_pid: process.pid,
          },
        },
        config: { pipeline_path: pipeline.path, gate: gate.id },
      });
      const writer = run as RunWriter;
      const guard = startRunGuard(writer.dir, paths, contract.path);
      say(`run ${runId} started${plan.trial ? ' (a trial: shortened parameters)' : ''}: ${describeParameters(plan.parameters) ?? 'no parameters'}; evidence in ${writer.dir}`);
      // A long run tied to this terminal ends INTERRUPTED when the terminal goes (SIGHUP).
      if (process.stdin.isTTY === true && longRun(plan.parameters)) say('this terminal owns the run: closing it (or losing the SSH session) interrupts it; `--detach` runs it without one');
      await writer.checkpoint(`${gate.id} started`);

      const abort = watchForAbort(context.paths, runId, actor);
      let stoppedEarly: string | null = null;
      try {
        ({ stoppedEarly } = await kind.run({
          run: writer,
          context,
          supervisor,
          pipeline,
          gate,
          parameters: plan.parameters,
          criteria: plan.criteria,
          artifactsDir,
          states: current.states,
          signal: abort.signal,
          progress: say,
        }));
      } catch (error) {
        // A runner bug or an OS failure: recorded, the fleet stopped, never a pass.
        stoppedEarly = `the runner failed: ${(error as Error).message}`;
        say(stoppedEarly);
        await writer.record({ type: 'run.error', payload: { message: (error as Error).message } });
        await supervisor.stopServices(contract.services.map((s) => s.name)).catch(() => {});
      } finally {
        abort.stopPolling();
        await supervisor.releaseOutput();
      }
      // From here to the seal, a signal (a second Ctrl-C, SIGTERM, the terminal closing)
      // is answered, not obeyed: a run cut off between its verdict and its signature
      // would stand for nothing. Only SIGKILL can stop it now, and the guard seals then.
      abort.holdSignals(() => say('sealing the run: it ends once its summary, manifest and signature are written'));
      let finished: FinishedRun;
      try {
        if (abort.signal.aborted) {
          const by = abort.by();
          await writer.record({ type: 'run.aborted', actor: by.actor, payload: { reason: by.reason, requested_at: by.requested_at, operator_record: by.record_id } });
        }
        await Promise.all(recorded);
        finished = await writer.finish({ stopped_early: stoppedEarly });
      } catch (error) {
        // Ended but not sealed (a full disk, an I/O error, a stray file in the folder): it
        // counts for nothing, says so, and the guard (or the next command) seals it later.
        console.error(`evident gate ${gate.id}: run ${runId} ended but could not be sealed: ${(error as Error).message}`);
        console.error('it does not count until it is sealed and verifies; evident gates retries the seal and says what stands in the way');
        return EXIT.checkFailed;
      } finally {
        abort.releaseSignals();
      }
      guard.done();
      removeAbortRequest(paths, runId);
      // Read again: the view must hold the run just ended, not only what it held at the start.
      await saveStateViewOrWarn(await openStateViewOrWarn(paths, artifactsDir), finished.dir, null);
      await refreshExecutionLog(pipeline, contract, paths, artifactsDir, context.platform);
      report(gate, finished, json);
      return finished.verdict.status === 'PASSED' ? EXIT.ok : EXIT.checkFailed;
    },
    runId,
  );
}

async function finishEarly(context: { platform: { close(): void } }, journal: { close(): Promise<void> }, code: number): Promise<number> {
  await journal.close();
  context.platform.close();
  return code;
}

interface AbortWatch {
  signal: AbortSignal;
  by(): { actor: string; reason: string; requested_at: string; record_id: string | null };
  /** No more polling for an abort request file. */
  stopPolling(): void;
  /** From now on a signal only calls `onSignal` (the run is being sealed). */
  holdSignals(onSignal: () => void): void;
  /** The signals are the process's own again. */
  releaseSignals(): void;
}

/** An abort request file for this run, or SIGINT/SIGTERM/SIGHUP to this process. */
function watchForAbort(paths: Parameters<typeof readAbortRequest>[0], runId: string, actor: string): AbortWatch {
  const controller = new AbortController();
  let by = { actor, reason: '', requested_at: '', record_id: null as string | null };
  const timer = setInterval(() => {
    const request = readAbortRequest(paths, runId);
    if (request && !controller.signal.aborted) {
      by = { actor: request.actor, reason: request.reason, requested_at: request.requested_at, record_id: request.record_id };
      controller.abort();
    }
  }, ABORT_POLL_MS);
  let holding: (() => void) | null = null;
  const onSignal = (signal: NodeJS.Signals) => {
    if (holding !== null) return holding();
    if (controller.signal.aborted) return;
    by = { actor, reason: `${signal} to the runner (pid ${process.pid})`, requested_at: new Date().toISOString(), record_id: null };
    controller.abort();
  };
  const signals: NodeJS.Signals[] = process.platform === 'win32' ? ['SIGINT', 'SIGBREAK'] : ['SIGINT', 'SIGTERM', 'SIGHUP'];
  for (const signal of signals) process.on(signal, onSignal);
  return {
    signal: controller.signal,
    by: () => by,
    stopPolling: () => clearInterval(timer),
    holdSignals: (callback) => {
      holding = callback;
    },
    releaseSignals: () => {
      for (const signal of signals) process.off(signal, onSignal);
    },
  };
}

/** Over ten minutes of traffic or cycles: long enough that a terminal may not outlive it. */
function longRun(parameters: Record<string, unknown>): boolean {
  const duration = typeof parameters.duration_s === 'number' ? parameters.duration_s : 0;
  const cycles = typeof parameters.cycles === 'number' ? parameters.cycles : 1;
  return duration * cycles > 600;
}

function report(gate: GateSpec, finished: FinishedRun, json: boolean): void {
  const { verdict } = finished;
  if (json) {
    console.log(JSON.stringify({ gate: gate.id, status: verdict.status, run_dir: finished.dir, summary: finished.summaryFile, manifest: finished.manifestFile, verdict }));
    return;
  }
  const reasons = Array.isArray(verdict.reasons) ? (verdict.reasons as string[]) : [];
  console.log(`${gate.id} ${verdict.status}: evidence in ${finished.dir}`);
  for (const reason of reasons.slice(0, 10)) console.log(`  ${reason}`);
  if (reasons.length > 10) console.log(`  … and ${reasons.length - 10} more (see ${finished.summaryFile})`);
  console.log(`check it: evident verify ${finished.dir}`);
  if (verdict.status === 'FAILED') console.log(`before a rerun, document the blocker: evident blocker ${gate.id} --root-cause … --fix …`);
}
