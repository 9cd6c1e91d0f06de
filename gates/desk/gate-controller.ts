// What the console's gate views may ask of the gate engine: every gate's state, the run
// being followed and its progress, the gate `g` would run, the failure `b` would
// document; and the actions behind those keys. The components receive one of these and
// never spawn a runner or write a record themselves.
import type { GateProgress } from '../gate-progress.ts';
import type { Blocker, GateState } from '../gate-states.ts';
import type { BlockerPayload, BlockerTarget } from '../operations/record-blocker.ts';
import type { NextGate } from './next-gate.ts';

/** A gate run the console follows from its journal: live while its runner holds the fleet, then its last reading. */
export interface FollowedRun {
  runId: string;
  gate: string;
  live: boolean;
  /** From its journal so far; null until the runner has written its first record. */
  progress: GateProgress | null;
  /** Set when its journal cannot be followed (broken, cut short). */
  problem: string | null;
}

export interface GateDeskSnapshot {
  /** False until the journals were read once. */
  loaded: boolean;
  pipeline: { name: string; version: string };
  states: readonly GateState[];
  /** What `g` offers (null once every gate has passed). */
  next: NextGate | null;
  /** The failed run `b` documents, with its gate's title (null when no gate waits for a blocker). */
  toDocument: (BlockerTarget & { title: string }) | null;
  blockers: readonly Blocker[];
  run: FollowedRun | null;
  /** Why the states may be incomplete (a broken journal), or could not be read. */
  problems: readonly string[];
  /** Epoch ms of this reading: progress times are measured to it. */
  at: number;
}

export interface GateController {
  getSnapshot(): GateDeskSnapshot;
  /** Called after every change; returns the unsubscribe function. */
  subscribe(listener: () => void): () => void;
  /**
   * Records the request, hands the fleet to a runner of `gateId` (detached: it outlives
   * the console) and resolves once the runner holds the fleet for its run. Rejects with
   * the reason when the gate may not run, or the runner refused.
   */
  runGate(gateId: string): Promise<{ runId: string; runnerPid: number }>;
  /** Records the blocker (`operator.blocker`); resolves with what to tell the operator. */
  documentBlocker(payload: BlockerPayload): Promise<string>;
  /**
   * Quarantines the latest run of `gateId`, which does not verify: recorded
   * (`operator.quarantine`), then moved into `<artifacts>/invalidated/` with the reasons.
   * Rejects while the run is still being written, or when it verifies after all.
   */
  quarantineUnverified(gateId: string): Promise<string>;
  /** The execution log, as `evident log` prints it. */
  executionLog(): Promise<string>;
}
