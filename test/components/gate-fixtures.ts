// Gate snapshots for view tests: the real phase 3 pipeline, runs and blockers as the
// state view holds them, and the states, next gate and blocker target computed from
// them by the same functions the gate desk uses.
import { resolve } from 'node:path';
import type { GateOverrides } from '../../gates/gate-kind.ts';
import { gateKind } from '../../gates/gate-kinds.ts';
import type { GateProgress } from '../../gates/gate-progress.ts';
import { blockersOf, gateRunsOf } from '../../gates/gate-history.ts';
import { gateStates } from '../../gates/gate-states.ts';
import { verifiedAsRecorded } from '../helpers/verified-as-recorded.ts';
import type { FollowedRun, GateDeskSnapshot } from '../../gates/desk/gate-controller.ts';
import { documentTarget } from '../../gates/desk/gate-desk.ts';
import { nextGate } from '../../gates/desk/next-gate.ts';
import { loadPipeline } from '../../src/pipeline/load-pipeline.ts';
import type { Pipeline } from '../../src/pipeline/pipeline.ts';
import { emptyStateView, type OperatorEntry, type RunView, type StateView } from '../../src/state/state-view.ts';
import { NOW } from './snapshot-fixtures.ts';

const loaded = await loadPipeline(resolve(import.meta.dirname, '../../contracts/pipeline.phase3.json'));
if (!loaded.ok) throw new Error('the phase 3 pipeline does not load');
export const PIPELINE: Pipeline = loaded.pipeline;
export const CONTRACT_HASH = 'sha256:3f9a1c2b7d4e5f60718293a4b5c6d7e8f9';

export const PRE_RUN = '01JPRE0000000000000000000A';
export const GATE1_RUN = '01JGATE1000000000000000000';

export function run(gate: string, status: RunView['status'] | undefined, overrides: Partial<RunView> = {}): RunView {
  return {
    kind: gate === 'prerequisites' ? 'preflight' : 'start-stop-cycles',
    dir: `/artifacts/${gate}`,
    started_at: '2025-01-01T11:00:00.000Z',
    ...(status === undefined || status === 'RUNNING' ? {} : { ended_at: '2025-01-01T11:30:00.000Z' }),
    ...(status === undefined ? {} : { status }),
    trial: false,
    gate,
    contract_hash: CONTRACT_HASH,
    pipeline_hash: PIPELINE.hash,
    ...overrides,
  };
}

export function blockerEntry(gate: string, runId: string, fields: Record<string, string>): OperatorEntry {
  return { record_id: `01JBLOCKER${runId.slice(-6)}`, actor: 'alice', at: '2025-01-01T11:45:00.000Z', gate, run_id: runId, ...fields };
}

export function progress(overrides: Partial<GateProgress> = {}): GateProgress {
  return {
    runId: GATE1_RUN,
    gate: 'gate1',
    kind: 'start-stop-cycles',
    trial: false,
    startedAt: '2025-01-01T11:00:00.000Z',
    ended: false,
    status: null,
    cycle: 3,
    cycles: 10,
    minute: 0,
    minutes: 0,
    checksDone: 712,
    checksTotal: 2160,
    failures: 0,
    zombies: 0,
    elapsedMs: 3_725_000,
    etaMs: 14_275_000,
    lastFailure: null,
    phase: 'probing',
    ...overrides,
  };
}

export interface DeskFixture {
  runs?: Record<string, RunView>;
  blockers?: OperatorEntry[];
  /** Runs whose runner holds the fleet. */
  live?: string[];
  run?: FollowedRun | null;
  overrides?: GateOverrides;
  problems?: string[];
  loaded?: boolean;
  /** Runs whose folders do not verify, with why: they are UNVERIFIED whatever they recorded. */
  unverified?: Record<string, string>;
}

export function deskSnapshot({ runs = {}, blockers = [], live = [], run = null, overrides = {}, problems = [], loaded = true, unverified = {} }: DeskFixture = {}): GateDeskSnapshot {
  const view: StateView = { ...emptyStateView('/artifacts'), runs, blockers };
  const gateRuns = verifiedAsRecorded(gateRunsOf(view)).map((r) =>
    unverified[r.run_id] === undefined ? r : { ...r, verification: { ok: false, status: null, problem: unverified[r.run_id] as string, manifest_sha256: null } },
  );
  const states = gateStates(PIPELINE.gates, { contractHash: CONTRACT_HASH, pipelineHash: PIPELINE.hash }, gateRuns, blockersOf(view), new Set(live));
  const plan = (gate: Parameters<typeof nextGate>[1][number]['gate'], o: GateOverrides) =>
    gateKind(gate.kind)?.plan(gate, o, PIPELINE) ?? { ok: false as const, problem: `${gate.id} (${gate.kind}) has no runner in this version of evident` };
  return {
    loaded,
    pipeline: { name: PIPELINE.name, version: PIPELINE.version },
    states,
    next: loaded ? nextGate(PIPELINE, states, overrides, plan) : null,
    toDocument: documentTarget(view, states),
    blockers: blockersOf(view),
    run,
    problems,
    at: NOW,
  };
}

