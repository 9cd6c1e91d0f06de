// Who controls the fleet, as the console sees it over its life. A console takes the fleet
// lock when it opens; when a gate runner holds it, the console opens anyway and follows
// (read-only), and takes the lock back once the runner is gone — after the run has ended,
// or after a grace period in which the run's guard may take the fleet to stop it. `g`
// hands the lock over to a runner the console starts. Any other holder (another console)
// is refused at open, as before. No React: the console's hook subscribes to it.
import type { Platform } from '../platform/platform.ts';
import { acquireFleetLock, currentLockHolder, type LockHolder } from './fleet-lock.ts';
import { gateOfPurpose } from './gate-run-purpose.ts';
import { SUPERVISOR_PURPOSE } from './supervisor-leave-request.ts';

export type FleetControl =
  /** This console holds the lock: its keys act on the fleet. */
  | { kind: 'controlling' }
  /**
   * Another evident process holds (or just held) the lock; the console only watches.
   * `alive` is false once a runner is gone but its run has not ended yet: its guard may
   * still take the fleet to stop it.
   */
  | { kind: 'following'; holder: LockHolder; alive: boolean }
  /** The console let go of the lock for a runner it is starting. */
  | { kind: 'handing-over'; purpose: string };

/** What a view needs: the current control and change notifications. */
export interface FleetControlSource {
  getSnapshot(): FleetControl;
  subscribe(listener: () => void): () => void;
}

export interface FleetLockWatchOptions {
  platform: Platform;
  stateRoot: string;
  /** Written into the lock while this console holds it. */
  purpose: string;
  /** Called before the console stops controlling (follow, hand over); awaited. */
  onFollow: () => Promise<void> | void;
  /** Called once the console holds the lock again, before the change is published; awaited. */
  onControl: () => Promise<void> | void;
  /** True once the run a vanished runner drove has ended (its guard has nothing left to do). */
  runEnded?: (runId: string) => boolean;
  pollMs?: number;
  /** How long the lock of a runner that vanished mid-run is left for its guard. */
  graceMs?: number;
}

export type OpenedLockWatch = { ok: true; watch: FleetLockWatch } | { ok: false; holder: LockHolder };

const POLL_MS = 1000;
const GRACE_MS = 15_000;

/** `gate1 run 01K…` for a runner, else the holder's purpose (`evident console`). */
export function holderLabel(holder: LockHolder): string {
  if (!holder.run_id) return holder.purpose;
  const gate = gateOfPurpose(holder.purpose);
  return gate === null ? `run ${holder.run_id}` : `${gate} run ${holder.run_id}`;
}

export class FleetLockWatch implements FleetControlSource {
  private control: FleetControl;
  private release: (() => void) | null;
  private readonly options: FleetLockWatchOptions;
  private readonly listeners = new Set<() => void>();
  private timer: NodeJS.Timeout | null = null;
  private polling = false;
  private closed = false;
  /** When the followed holder was first seen gone, for the guard's grace period. */
  private goneSince: number | null = null;

  private constructor(options: FleetLockWatchOptions, control: FleetControl, release: (() => void) | null) {
    this.options = options;
    this.control = control;
    this.release = release;
  }

  /**
   * Takes the lock, or follows the gate runner that holds it. Refuses (ok: false) when the
   * holder is not a gate runner: two consoles never share a fleet.
   */
  static async open(options: FleetLockWatchOptions): Promise<OpenedLockWatch> {
    const lock = await acquireFleetLock(options.platform, options.stateRoot, options.purpose);
    if (lock.ok) return { ok: true, watch: new FleetLockWatch(options, { kind: 'controlling' }, lock.release) };
    if (!lock.holder.run_id) return { ok: false, holder: lock.holder };
    return { ok: true, watch: new FleetLockWatch(options, { kind: 'following', holder: lock.holder, alive: true }, null) };
  }

  getSnapshot = (): FleetControl => this.control;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** Starts watching the lock (every second); a poll still running when the next is due is skipped. */
  start(): void {
    if (this.timer !== null || this.closed) return;
    this.timer = setInterval(() => void this.poll(), this.options.pollMs ?? POLL_MS);
  }

  /**
   * Lets go of the lock for a runner: `work` starts it and says which holder took the
   * fleet (null: the runner did not, so the console takes the lock back at once).
   */
  async handOver<T>(purpose: string, work: () => Promise<T>, holderOf: (result: T) => LockHolder | null): Promise<T> {
    if (this.control.kind !== 'controlling' || this.release === null) throw new Error('this console does not control the fleet');
    await this.options.onFollow();
    this.set({ kind: 'handing-over', purpose });
    this.release();
    this.release = null;
    let result: T;
    try {
      result = await work();
    } catch (error) {
      await this.retake();
      throw error;
    }
    const holder = holderOf(result);
    if (holder === null) await this.retake();
    else this.follow(holder);
    return result;
  }

  /** Stops watching (the console is quitting): the control stays as it is until close(). */
  stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }

  /** Stops watching and lets go of the lock if this console holds it. */
  close(): void {
    this.closed = true;
    this.stop();
    this.release?.();
    this.release = null;
  }

  /** One look at the lock: follow whoever holds it now, or take it back when it is free. */
  async poll(): Promise<void> {
    if (this.polling || this.closed || this.timer === null || this.control.kind !== 'following') return;
    this.polling = true;
    try {
      const followed = this.control.holder;
      const holder = await currentLockHolder(this.options.platform, this.options.stateRoot);
      if (this.closed || this.control.kind !== 'following') return;
      if (holder !== null && holder.purpose !== SUPERVISOR_PURPOSE) {
        this.follow(holder);
        return;
      }
      // The background supervisor a finished runner handed the fleet to: ask for it back.
      if (holder !== null) {
        await this.retake();
        return;
      }
      // The holder is gone. A runner that died mid-run leaves the fleet to its guard for a while.
      const now = Date.now();
      this.goneSince ??= now;
      const runId = followed.run_id;
      const waiting = runId !== undefined && !(this.options.runEnded?.(runId) ?? true) && now - this.goneSince < (this.options.graceMs ?? GRACE_MS);
      if (waiting) {
        if (this.control.alive) this.set({ kind: 'following', holder: followed, alive: false });
        return;
      }
      await this.retake();
    } finally {
      this.polling = false;
    }
  }

  private follow(holder: LockHolder): void {
    this.goneSince = null;
    const current = this.control;
    if (current.kind === 'following' && current.alive && current.holder.pid === holder.pid && current.holder.start_token === holder.start_token && current.holder.run_id === holder.run_id) return;
    this.set({ kind: 'following', holder, alive: true });
  }

  /** Takes the lock if it is free: controlling again; else follows whoever has it now. */
  private async retake(): Promise<void> {
    const lock = await acquireFleetLock(this.options.platform, this.options.stateRoot, this.options.purpose);
    if (!lock.ok) {
      this.follow(lock.holder);
      return;
    }
    if (this.closed) {
      lock.release();
      return;
    }
    this.release = lock.release;
    this.goneSince = null;
    await this.options.onControl();
    this.set({ kind: 'controlling' });
  }

  private set(control: FleetControl): void {
    this.control = control;
    for (const listener of this.listeners) listener();
  }
}
