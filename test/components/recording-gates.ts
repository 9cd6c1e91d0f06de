// An in-memory GateController and fleet-control source for view tests: they serve the
// snapshots the test sets and record every call. They stand in for the gate engine and
// the lock watch only in UI tests.
import type { BlockerPayload } from '../../gates/operations/record-blocker.ts';
import type { FleetControl, FleetControlSource } from '../../src/supervisor/fleet-lock-watch.ts';
import type { GateController, GateDeskSnapshot } from '../../gates/desk/gate-controller.ts';
import { deskSnapshot } from './gate-fixtures.ts';

export type GateCall = { method: 'runGate'; gate: string } | { method: 'documentBlocker'; payload: BlockerPayload } | { method: 'executionLog' } | { method: 'quarantineUnverified'; gate: string };

export class RecordingGates implements GateController {
  readonly calls: GateCall[] = [];
  /** Make a call reject with this message (by method name). */
  failures = new Map<string, string>();
  /** What executionLog() resolves with. */
  log = '# Execution log\n\n| gate | status |\n| --- | --- |\n| prerequisites | PASSED |\n';
  private snapshot: GateDeskSnapshot;
  private readonly listeners = new Set<() => void>();

  constructor(snapshot: GateDeskSnapshot = deskSnapshot()) {
    this.snapshot = snapshot;
  }

  setSnapshot(snapshot: GateDeskSnapshot): void {
    this.snapshot = snapshot;
    for (const listener of [...this.listeners]) listener();
  }

  getSnapshot = (): GateDeskSnapshot => this.snapshot;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  runGate(gate: string): Promise<{ runId: string; runnerPid: number }> {
    this.calls.push({ method: 'runGate', gate });
    const failure = this.failures.get('runGate');
    return failure === undefined ? Promise.resolve({ runId: '01TESTRUN0000000000000000', runnerPid: 4321 }) : Promise.reject(new Error(failure));
  }

  documentBlocker(payload: BlockerPayload): Promise<string> {
    this.calls.push({ method: 'documentBlocker', payload });
    const failure = this.failures.get('documentBlocker');
    return failure === undefined ? Promise.resolve(`blocker recorded for ${payload.gate} run ${payload.run_id}`) : Promise.reject(new Error(failure));
  }

  quarantineUnverified(gate: string): Promise<string> {
    this.calls.push({ method: 'quarantineUnverified', gate });
    const failure = this.failures.get('quarantineUnverified');
    return failure === undefined ? Promise.resolve(`${gate} run quarantined`) : Promise.reject(new Error(failure));
  }

  executionLog(): Promise<string> {
    this.calls.push({ method: 'executionLog' });
    const failure = this.failures.get('executionLog');
    return failure === undefined ? Promise.resolve(this.log) : Promise.reject(new Error(failure));
  }
}

export class FakeControl implements FleetControlSource {
  private control: FleetControl;
  private readonly listeners = new Set<() => void>();

  constructor(control: FleetControl = { kind: 'controlling' }) {
    this.control = control;
  }

  set(control: FleetControl): void {
    this.control = control;
    for (const listener of [...this.listeners]) listener();
  }

  getSnapshot = (): FleetControl => this.control;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };
}

/** A gate runner holding the fleet, as the lock names it. */
export function runnerHolding(gate = 'gate1', runId = '01JRUNNER00000000000000000', pid = 4321): FleetControl {
  return {
    kind: 'following',
    alive: true,
    holder: { pid, start_token: '1', argv: ['node', 'evident', 'gate', gate], purpose: `gate ${gate} run ${runId}`, acquired_at: '2025-01-01T11:00:00.000Z', run_id: runId },
  };
}
