// The console's gate engine: every gate's state re-read from the journals every few
// seconds (and whenever the fleet changes hands), the live run's journal followed every
// second and folded into its progress, and the actions behind the gate keys — start the
// next gate's runner (handing it the fleet), document a blocker, render the execution
// log. Publishes an immutable GateDeskSnapshot after every change; no React.
import { judges } from '../load-judges.ts';
import { join } from 'node:path';
import { renderExecutionLog } from '../execution-log.ts';
import type { GateOverrides } from '../gate-kind.ts';
import { foldProgress, progressAt, type ProgressState } from '../gate-progress.ts';
import { blockersOf } from '../gate-history.ts';
import type { GateState } from '../gate-states.ts';
import { verifiedGateStates } from '../verified-gate-states.ts';
import { installationTrustedKeys } from '../../src/evidence/trusted-keys.ts';
import { VerifiedRuns } from '../../src/evidence/verified-runs.ts';
import { verifyRunReport } from '../../src/evidence/verify-run.ts';
import { quarantineRecorded } from '../../src/evidence/quarantine-recorded.ts';
import { executionLogInput } from '../operations/execution-log-input.ts';
import { BLOCKER_FIELD_PURPOSE, blockerPayload, blockerTarget, recordBlocker, type BlockerPayload } from '../operations/record-blocker.ts';
import { recordOperatorAction } from '../../src/evidence/record-operator-action.ts';
import { spawnGateRunner } from '../operations/start-detached-runner.ts';
import type { FleetJournal } from '../../src/evidence/fleet-journal.ts';
import { OPERATOR_DIR } from '../../src/evidence/operator-journal.ts';
import type { Pipeline } from '../../src/pipeline/pipeline.ts';
import type { Platform } from '../../src/platform/platform.ts';
import { JournalFollower } from '../../src/state/journal-follower.ts';
import type { StatePaths } from '../../src/paths/state-paths.ts';
import { StateStore } from '../../src/state/state-store.ts';
import type { StateView } from '../../src/state/state-view.ts';
import { currentLockHolder } from '../../src/supervisor/fleet-lock.ts';
import { holderLabel, type FleetLockWatch } from '../../src/supervisor/fleet-lock-watch.ts';
import type { GateController, GateDeskSnapshot } from './gate-controller.ts';
import { nextGate, type PlanGate } from './next-gate.ts';
import { gateOfPurpose } from '../../src/supervisor/gate-run-purpose.ts';

export interface GateDeskOptions {
  pipeline: Pipeline;
  contract: { name: string; version: string; hash: string };
  paths: StatePaths;
  artifactsDir: string;
  platform: Platform;
  /** The console's trial parameters (--gate-cycles …), passed to the gates that take them. */
  overrides: GateOverrides;
  /** The console's operator journal: the gate request and blockers are recorded there. */
  journal: FleetJournal;
  control: FleetLockWatch;
  /** Flags every runner is given: the contract, state, artifacts and pipeline, the actor. */
  runnerFlags: readonly string[];
  /** The evident entry script runners run (default: this process's). */
  evidentEntry?: string;
  statesEveryMs?: number;
  followEveryMs?: number;
}

// Reading the states opens the state view and looks at every journal: every 10 s, and
// at once whenever the fleet changes hands or the followed run ends.
const STATES_EVERY_MS = 10_000;
const FOLLOW_EVERY_MS = 1000;

export class GateDesk implements GateController {
  private readonly options: GateDeskOptions;
  private readonly listeners = new Set<() => void>();
  private snapshot: GateDeskSnapshot;
  private loaded = false;
  private states: GateState[] = [];
  private view: StateView | null = null;
  private problems: string[] = [];
  private planGate: PlanGate | null = null;
  /** The run followed; `endedAt` is when its end was first read, for a run the states do not date yet. */
  private follower: { runId: string; gate: string; journal: JournalFollower<ProgressState | null>; endedAt: number | null } | null = null;
  private statesReadAt = 0;
  private reading: Promise<void> | null = null;
  private readAgain = false;
  private timer: NodeJS.Timeout | null = null;
  private unsubscribe: (() => void) | null = null;

  constructor(options: GateDeskOptions) {
    this.options = options;
    this.snapshot = this.buildSnapshot();
  }

  getSnapshot = (): GateDeskSnapshot => this.snapshot;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** Reads the states now, then follows the live run every second and re-reads the states every few. */
  start(): void {
    if (this.timer !== null) return;
    void this.refresh();
    this.timer = setInterval(() => void this.tick(), this.options.followEveryMs ?? FOLLOW_EVERY_MS);
    // The fleet changing hands (a runner starting or ending) changes the states at once.
    this.unsubscribe = this.options.control.subscribe(() => void this.refresh());
  }

  stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    this.unsubscribe?.();
    this.unsubscribe = null;
  }

  // ---- GateController -------------------------------------------------------------

  async runGate(gateId: string): Promise<{ runId: string; runnerPid: number }> {
    const { control, journal, paths, platform } = this.options;
    const held = control.getSnapshot();
    if (held.kind === 'following') throw new Error(`the fleet is held by ${holderLabel(held.holder)} (pid ${held.holder.pid})`);
    if (held.kind === 'handing-over') throw new Error(`the ${held.purpose} is starting`);
    await this.refresh();
    const next = this.snapshot.next;
    if (next === null) throw new Error('every gate has passed');
    if (next.gate.id !== gateId) throw new Error(`the next gate is ${next.gate.id} now, not ${gateId}`);
    if (!next.plan.ok) throw new Error(next.plan.problem);
    if (!next.admission.ok) throw new Error(next.admission.reason);
    await recordOperatorAction(journal, { name: 'request-gate', payload: { gate: gateId, parameters: next.plan.parameters, trial: next.trial, via: 'console' } });
    const start = await control.handOver(
      `${gateId} runner`,
      () => spawnGateRunner({ argv: [...next.argv, ...this.options.runnerFlags], stateRoot: paths.root, platform, ...(this.options.evidentEntry === undefined ? {} : { entry: this.options.evidentEntry }) }),
      (result) => (result.started ? result.holder : null),
    );
    if (!start.started) {
      if (start.reason === 'exited') throw new Error(`the ${gateId} runner refused (exit ${start.code}): ${lastLine(start.output)}`);
      throw new Error(`the ${gateId} runner has not taken the fleet after ${start.waitedMs / 1000} s; its output: ${start.log}`);
    }
    this.followRun(start.runId, gateId);
    await this.refresh();
    return { runId: start.runId, runnerPid: start.runnerPid };
  }

  async documentBlocker(payload: BlockerPayload): Promise<string> {
    const { store, states } = await this.readStates();
    const found = blockerTarget(store.view, states.find((s) => s.gate.id === payload.gate), payload.gate, payload.run_id);
    if (!found.ok) throw new Error(found.message);
    const checked = blockerPayload(found.target, { what: payload.what_failed, rootCause: payload.root_cause, fix: payload.fix, remediation: payload.remediation });
    if (!checked.ok) {
      throw new Error(
        checked.missing === 'remediation'
          ? `${payload.gate} has failed ${found.target.failuresInARow} times in a row: a remediation plan is required before a third attempt`
          : `${checked.missing === 'fix' ? 'the fix' : 'the root cause'} is required: ${BLOCKER_FIELD_PURPOSE[checked.missing]}`,
      );
    }
    const action = await recordBlocker(this.options.journal, checked.payload);
    // The view is a cache of the journals: if it cannot be written, the record still stands.
    if (!action.repeated) await store.apply(join(this.options.artifactsDir, OPERATOR_DIR), action.record).catch(() => {});
    await this.refresh();
    return action.repeated ? action.message : `blocker recorded for ${payload.gate} run ${payload.run_id} (record ${action.record.id}); ${payload.gate} may run again`;
  }

  async quarantineUnverified(gateId: string): Promise<string> {
    const { store, states } = await this.readStates();
    const state = states.find((s) => s.gate.id === gateId);
    const runId = state?.run?.run_id;
    if (state?.status !== 'UNVERIFIED' || runId === undefined) throw new Error(`${gateId} has no UNVERIFIED run to quarantine`);
    const dir = store.view.runs[runId]?.dir;
    if (dir === undefined) throw new Error(`run ${runId} has no folder in the journals`);
    const { paths, platform, journal } = this.options;
    // The reasons written beside it are verify's own, check by check.
    const report = await verifyRunReport(dir, { trustedKeys: installationTrustedKeys(paths.keys) });
    const failures = report.checks.filter((c) => !c.ok);
    if (failures.length === 0) throw new Error(`run ${runId} verifies now: nothing to quarantine`);
    const outcome = await quarantineRecorded({ runDir: dir, failures, actor: journal.actor, platform, stateRoot: paths.root, journal, via: 'console' });
    if (!outcome.ok) throw new Error(outcome.reason);
    await this.refresh();
    return `${gateId} run ${runId} quarantined to ${outcome.movedTo} (recorded as ${outcome.recordId})`;
  }

  async executionLog(): Promise<string> {
    const { store, states } = await this.readStates();
    const { pipeline, contract, artifactsDir } = this.options;
    return renderExecutionLog(executionLogInput({ pipeline, contract, states, view: store.view, artifactsDir, generatedAt: new Date() }));
  }

  // ---- reading ------------------------------------------------------------------------

  /** Re-reads the states (one reading at a time; a request meanwhile reads once more after it). */
  async refresh(): Promise<void> {
    if (this.reading !== null) {
      this.readAgain = true;
      return this.reading;
    }
    this.reading = (async () => {
      do {
        this.readAgain = false;
        try {
          this.planGate ??= await loadPlanner();
          const { store, states } = await this.readStates();
          this.view = store.view;
          this.states = states;
          this.problems = [...store.problems];
        } catch (error) {
          this.problems = [`the gate states could not be read: ${(error as Error).message}`];
        }
        this.loaded = true;
        this.statesReadAt = Date.now();
        this.followLiveRun();
        this.publish();
      } while (this.readAgain);
    })().finally(() => {
      this.reading = null;
    });
    return this.reading;
  }

  private async readStates(): Promise<{ store: StateStore; states: GateState[] }> {
    const { pipeline, contract, paths, artifactsDir, platform } = this.options;
    const [store, holder] = await Promise.all([StateStore.open(paths, artifactsDir), currentLockHolder(platform, paths.root)]);
    const live = new Set(holder?.run_id ? [holder.run_id] : []);
    const states = await verifiedGateStates(pipeline.gates, { contractHash: contract.hash, pipelineHash: pipeline.hash }, store.view, live, VerifiedRuns.forState(paths.root, paths.keys, judges));
    return { store, states };
  }

  /** Every second: the live run's new records; the states when due (while a run is live, only until they show it). */
  private async tick(): Promise<void> {
    const wasEnded = this.follower?.journal.state?.ended === true;
    const appended = this.follower !== null && this.follower.journal.poll();
    const ended = this.follower?.journal.state?.ended === true;
    const live = this.liveRunId();
    const shown = live !== null && this.states.some((s) => s.status === 'RUNNING' && s.run?.run_id === live);
    const due = Date.now() - this.statesReadAt >= (this.options.statesEveryMs ?? STATES_EVERY_MS);
    if ((ended && !wasEnded) || (due && !shown)) await this.refresh();
    // A new snapshot is a new frame: only when the run moved on, or every second while a
    // live run's elapsed time and ETA count; an idle console draws nothing more for gates.
    else if (appended || (live !== null && !ended)) this.publish();
  }

  /** The run whose runner holds the fleet now, if any. */
  private liveRunId(): string | null {
    const control = this.options.control.getSnapshot();
    return control.kind === 'following' && control.alive && control.holder.run_id ? control.holder.run_id : null;
  }

  private followLiveRun(): void {
    const control = this.options.control.getSnapshot();
    if (control.kind !== 'following' || !control.holder.run_id) return;
    const gate = gateOfPurpose(control.holder.purpose) ?? '';
    this.followRun(control.holder.run_id, gate);
  }

  private followRun(runId: string, gate: string): void {
    if (this.follower?.runId === runId) return;
    const dir = this.view?.runs[runId]?.dir ?? join(this.options.artifactsDir, runId);
    this.follower = { runId, gate, journal: new JournalFollower<ProgressState | null>(dir, null, foldProgress), endedAt: null };
    this.follower.journal.poll();
  }

  // ---- snapshots ----------------------------------------------------------------------

  private publish(): void {
    this.snapshot = this.buildSnapshot();
    for (const listener of this.listeners) listener();
  }

  private buildSnapshot(): GateDeskSnapshot {
    const { pipeline, overrides } = this.options;
    const at = Date.now();
    const live = this.liveRunId();
    const follower = this.follower;
    const folded = follower?.journal.state ?? null;
    // An ended run's times stop at its end, not at now.
    if (follower !== null && folded?.ended === true) follower.endedAt ??= at;
    const until = follower !== null && folded?.ended === true ? (endOf(this.view, follower.runId) ?? follower.endedAt ?? at) : at;
    const run =
      follower === null
        ? null
        : {
            runId: follower.runId,
            gate: folded?.gate || follower.gate,
            live: follower.runId === live && folded?.ended !== true,
            progress: folded === null ? null : progressAt(folded, until),
            problem: follower.journal.problem,
          };
    const states = run?.live ? this.withLiveRun(this.states, run.runId, run.gate, folded, at) : this.states;
    return {
      loaded: this.loaded,
      pipeline: { name: pipeline.name, version: pipeline.version },
      states,
      next: this.planGate === null || !this.loaded ? null : nextGate(pipeline, states, overrides, this.planGate),
      toDocument: this.view === null ? null : documentTarget(this.view, states),
      blockers: this.view === null ? [] : blockersOf(this.view),
      run,
      problems: this.problems,
      at,
    };
  }

  /** A live run the journals read so far do not show yet (its runner just started) is shown RUNNING. */
  private withLiveRun(states: GateState[], runId: string, gate: string, folded: ProgressState | null, at: number): GateState[] {
    return states.map((state) => {
      if (state.gate.id !== gate || (state.status === 'RUNNING' && state.run?.run_id === runId)) return state;
      const trial = folded?.trial === true;
      const startedAt = folded?.startedAt ?? new Date(at).toISOString();
      return { ...state, status: 'RUNNING', trial, run: { run_id: runId, gate, trial, contract_hash: this.options.contract.hash, started_at: startedAt } };
    });
  }
}

/** The failure `b` documents: the first BLOCKED gate's, else a gate failed twice in a row whose blocker lacks a remediation plan. */
export function documentTarget(view: StateView, states: readonly GateState[]): GateDeskSnapshot['toDocument'] {
  const state =
    states.find((s) => s.status === 'BLOCKED') ?? states.find((s) => s.status === 'FAILED' && s.failuresInARow >= 2 && s.blocker?.remediation === undefined) ?? null;
  if (state === null) return null;
  const found = blockerTarget(view, state, state.gate.id, state.run?.run_id);
  return found.ok ? { ...found.target, title: state.gate.title } : null;
}

function endOf(view: StateView | null, runId: string): number | null {
  const ended = view?.runs[runId]?.ended_at;
  return ended === undefined ? null : Date.parse(ended);
}

async function loadPlanner(): Promise<PlanGate> {
  const { gateKind } = await import('../gate-kinds.ts');
  return (gate, overrides, pipeline) => gateKind(gate.kind)?.plan(gate, overrides, pipeline) ?? { ok: false, problem: `${gate.id} (${gate.kind}) has no runner in this version of evident` };
}

function lastLine(text: string): string {
  return (
    text
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter((l) => l !== '')
      .at(-1) ?? 'no output'
  );
}
