// The gate engine, loaded after the console's first frame: the pipeline's schema, the
// state view and the gate modules are not on the start-up path. Until the real desk is
// there this serves a "reading" snapshot (or, if it could not be made, why), and the
// gate keys' actions are refused.
import type { BlockerPayload } from '../operations/record-blocker.ts';
import type { GateController, GateDeskSnapshot } from './gate-controller.ts';

/** A gate controller with a lifecycle: `start` reads and follows, `stop` lets go. */
export type RunnableGateController = GateController & { start(): void; stop(): void };

export const LOADING_GATES: GateDeskSnapshot = {
  loaded: false,
  pipeline: { name: '', version: '' },
  states: [],
  next: null,
  toDocument: null,
  blockers: [],
  run: null,
  problems: [],
  at: 0,
};

export class LazyGateDesk implements RunnableGateController {
  private readonly load: () => Promise<RunnableGateController>;
  private desk: RunnableGateController | null = null;
  private fallback: GateDeskSnapshot = LOADING_GATES;
  private stopped = false;
  private readonly listeners = new Set<() => void>();

  constructor(load: () => Promise<RunnableGateController>) {
    this.load = load;
  }

  getSnapshot = (): GateDeskSnapshot => this.desk?.getSnapshot() ?? this.fallback;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** Loads the desk (once) and starts it. */
  start(): void {
    if (this.desk !== null || this.stopped) return;
    this.load().then(
      (desk) => {
        if (this.stopped) return;
        this.desk = desk;
        desk.subscribe(() => this.notify());
        desk.start();
        this.notify();
      },
      (error: unknown) => {
        this.fallback = { ...LOADING_GATES, loaded: true, problems: [`the gates are unavailable: ${(error as Error).message.split('\n')[0]}`] };
        this.notify();
      },
    );
  }

  stop(): void {
    this.stopped = true;
    this.desk?.stop();
  }

  runGate(gateId: string): Promise<{ runId: string; runnerPid: number }> {
    return this.ready().runGate(gateId);
  }

  documentBlocker(payload: BlockerPayload): Promise<string> {
    return this.ready().documentBlocker(payload);
  }

  quarantineUnverified(gateId: string): Promise<string> {
    return this.ready().quarantineUnverified(gateId);
  }

  executionLog(): Promise<string> {
    return this.desk === null ? Promise.reject(new Error('the gates are still being read')) : this.desk.executionLog();
  }

  private ready(): GateController {
    if (this.desk === null) throw new Error('the gates are still being read');
    return this.desk;
  }

  private notify(): void {
    for (const listener of this.listeners) listener();
  }
}
