// An in-memory FleetController for view tests: it serves snapshots the test sets and
// records every call it receives. It stands in for the supervisor only in UI tests.
import type { FleetController } from '../../src/supervisor/fleet-controller.ts';
import type { FleetSnapshot } from '../../src/telemetry/fleet-snapshot.ts';

export type ControllerCall =
  | { method: 'start' | 'stop' | 'restart'; service: string }
  | { method: 'startAll' | 'stopAll' | 'reapOurs' }
  | { method: 'logTail'; service: string; lines: number };

export class RecordingController implements FleetController {
  readonly calls: ControllerCall[] = [];
  /** Log lines per service; logTail answers with the last `lines` of them. */
  logs = new Map<string, string[]>();
  /** Make an action reject with this message (by method name). */
  failures = new Map<string, string>();
  private snapshot: FleetSnapshot;
  private readonly listeners = new Set<() => void>();

  constructor(snapshot: FleetSnapshot) {
    this.snapshot = snapshot;
  }

  setSnapshot(snapshot: FleetSnapshot): void {
    this.snapshot = snapshot;
    for (const listener of [...this.listeners]) listener();
  }

  get listenerCount(): number {
    return this.listeners.size;
  }

  /** The action calls only (start, stop, …), without the log polling. */
  actions(): ControllerCall[] {
    return this.calls.filter((c) => c.method !== 'logTail');
  }

  getSnapshot(): FleetSnapshot {
    return this.snapshot;
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  start(service: string): Promise<void> {
    this.calls.push({ method: 'start', service });
    return this.outcome('start');
  }

  stop(service: string): Promise<void> {
    this.calls.push({ method: 'stop', service });
    return this.outcome('stop');
  }

  restart(service: string): Promise<void> {
    this.calls.push({ method: 'restart', service });
    return this.outcome('restart');
  }

  startAll(): Promise<void> {
    this.calls.push({ method: 'startAll' });
    return this.outcome('startAll');
  }

  stopAll(): Promise<void> {
    this.calls.push({ method: 'stopAll' });
    return this.outcome('stopAll');
  }

  reapOurs(): Promise<void> {
    this.calls.push({ method: 'reapOurs' });
    return this.outcome('reapOurs');
  }

  logTail(service: string, lines: number): Promise<string[]> {
    this.calls.push({ method: 'logTail', service, lines });
    const failure = this.failures.get('logTail');
    if (failure !== undefined) return Promise.reject(new Error(failure));
    return Promise.resolve((this.logs.get(service) ?? []).slice(-lines));
  }

  private outcome(method: string): Promise<void> {
    const failure = this.failures.get(method);
    return failure === undefined ? Promise.resolve() : Promise.reject(new Error(failure));
  }
}
