// An in-memory FleetController for view tests: it serves snapshots the test sets and
// records every call it receives. It stands in for the supervisor only in UI tests.
// Like the supervisor, it puts the watched log's tail into every snapshot it serves,
// read from `logs` when the snapshot is published (setSnapshot) or the watch changes.
import type { FleetController } from '../../src/supervisor/fleet-controller.ts';
import type { FleetSnapshot } from '../../src/telemetry/fleet-snapshot.ts';

export type ControllerCall =
  | { method: 'start' | 'stop' | 'restart' | 'reload'; service: string }
  | { method: 'startAll' | 'stopAll' | 'reapOurs' }
  | { method: 'watchLog'; service: string | null; lines: number };

export class RecordingController implements FleetController {
  readonly calls: ControllerCall[] = [];
  /** Log lines per service; a watched service's last `lines` go into the next snapshot served. */
  logs = new Map<string, string[]>();
  /** Snapshots published (by setSnapshot or watchLog), to tell a render caused by the log alone. */
  publishes = 0;
  /** Make an action reject with this message (by method name). */
  failures = new Map<string, string>();
  private snapshot: FleetSnapshot;
  private served: FleetSnapshot;
  private watched: { service: string; lines: number } | null = null;
  private readonly listeners = new Set<() => void>();

  constructor(snapshot: FleetSnapshot) {
    this.snapshot = snapshot;
    this.served = this.withLog();
  }

  /** Publishes a new snapshot (like a telemetry tick), with the watched log read again. */
  setSnapshot(snapshot: FleetSnapshot): void {
    this.snapshot = snapshot;
    this.publish();
  }

  /** The service and size last asked for with watchLog, or null. */
  get watching(): { service: string; lines: number } | null {
    return this.watched;
  }

  get listenerCount(): number {
    return this.listeners.size;
  }

  /** The action calls only (start, stop, …), without the log polling. */
  actions(): ControllerCall[] {
    return this.calls.filter((c) => c.method !== 'watchLog');
  }

  /** The watchLog calls only. */
  watchCalls(): Extract<ControllerCall, { method: 'watchLog' }>[] {
    return this.calls.filter((c) => c.method === 'watchLog');
  }

  getSnapshot(): FleetSnapshot {
    return this.served;
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

  reload(service: string): Promise<void> {
    this.calls.push({ method: 'reload', service });
    return this.outcome('reload');
  }

  /** Services that cannot be reloaded, with the reason reloadRefusal gives. */
  reloadRefusals = new Map<string, string>();

  reloadRefusal(service: string): string | null {
    return this.reloadRefusals.get(service) ?? null;
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

  watchLog(service: string | null, lines: number): void {
    this.calls.push({ method: 'watchLog', service, lines });
    this.watched = service === null || lines <= 0 ? null : { service, lines };
    this.publish();
  }

  private publish(): void {
    this.served = this.withLog();
    this.publishes++;
    for (const listener of [...this.listeners]) listener();
  }

  private withLog(): FleetSnapshot {
    const w = this.watched;
    return { ...this.snapshot, log: w === null ? null : { service: w.service, lines: (this.logs.get(w.service) ?? []).slice(-w.lines) } };
  }

  private outcome(method: string): Promise<void> {
    const failure = this.failures.get(method);
    return failure === undefined ? Promise.resolve() : Promise.reject(new Error(failure));
  }
}
