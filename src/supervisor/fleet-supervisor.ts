// The fleet, as the console's FleetController and the engine behind the headless
// commands: it owns the one FleetState, publishes an immutable FleetSnapshot after every
// change, and hands each operation to the file named for it: fleet-start, fleet-stop,
// fleet-restart, fleet-reload, fleet-adopt, fleet-reap, fleet-follow (while another process, a gate
// runner, holds the fleet lock), fleet-telemetry and fleet-log-watch. An exit no one
// asked for is fleet-exit's; the leftover check is fleet-leftover-check's.
import type { FleetSnapshot, Leftover } from '../telemetry/fleet-snapshot.ts';
import { adopt, resumeControl } from './fleet-adopt.ts';
import { cancelAllRestarts } from './fleet-auto-restart.ts';
import type { FleetController } from './fleet-controller.ts';
import { followFleet } from './fleet-follow.ts';
import { checkLeftovers } from './fleet-leftover-check.ts';
import { watchLog } from './fleet-log-watch.ts';
import { reapOurs } from './fleet-reap.ts';
import { reloadRefusal, reloadService, type ReloadOutcome } from './fleet-reload.ts';
import { restartService } from './fleet-restart.ts';
import { buildSnapshot } from './fleet-snapshot-build.ts';
import { startServices, startServicesOrThrow, withDependencies, type StartAllResult } from './fleet-start.ts';
import { newFleetState, type FleetState } from './fleet-state.ts';
import { stopServices, type StopAllResult } from './fleet-stop.ts';
import { startTelemetry, stopTelemetry, tick } from './fleet-telemetry.ts';
import type { KnownOwner } from './ownership.ts';
import type { SupervisorContext } from './supervisor-context.ts';

export type { ReloadOutcome, StartAllResult, StopAllResult };

export class FleetSupervisor implements FleetController {
  private readonly listeners = new Set<() => void>();
  private readonly fleet: FleetState;
  private snapshot: FleetSnapshot;

  constructor(context: SupervisorContext) {
    this.fleet = newFleetState(context, () => this.publish());
    this.snapshot = buildSnapshot(this.fleet);
  }

  // ---- FleetController ----------------------------------------------------------

  getSnapshot = (): FleetSnapshot => this.snapshot;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** Starts the service and whatever it depends on that is not up; throws naming each that failed. */
  async start(name: string): Promise<void> {
    await startServicesOrThrow(this.fleet, withDependencies(this.fleet, [name]));
  }

  async stop(name: string): Promise<void> {
    await stopServices(this.fleet, [name]);
  }

  async restart(name: string): Promise<void> {
    await restartService(this.fleet, name);
  }

  /** Sends the reload_signal; rejects with the reason when it was not sent. */
  async reload(name: string): Promise<void> {
    const outcome = await reloadService(this.fleet, name);
    if (!outcome.sent) throw new Error(outcome.reason);
  }

  reloadRefusal(name: string): string | null {
    return reloadRefusal(this.fleet, name);
  }

  /** The reload and what came of it: sent (to which group or pid), or why not. Throws what reloadRefusal says. */
  reloadService(name: string): Promise<ReloadOutcome> {
    return reloadService(this.fleet, name);
  }

  async startAll(): Promise<void> {
    await startServicesOrThrow(this.fleet, this.fleet.context.contract.services.map((s) => s.name));
  }

  async stopAll(): Promise<void> {
    await stopServices(this.fleet, this.fleet.context.contract.services.map((s) => s.name));
  }

  async reapOurs(): Promise<void> {
    await reapOurs(this.fleet);
  }

  /** Unchanged arguments change nothing; a name not in the contract throws, as for start and stop. */
  watchLog(service: string | null, lines: number): void {
    watchLog(this.fleet, service, lines);
  }

  // ---- lifecycle ----------------------------------------------------------------

  /** Takes over services left running by an earlier console, from their pid files; `readOnly` writes and removes no pid file. */
  async adopt(options: { readOnly?: boolean } = {}): Promise<void> {
    await adopt(this.fleet, options);
  }

  /** Starts sampling every `intervalMs`. A tick still running when the next is due is skipped. */
  startTelemetry(intervalMs = 1000): void {
    startTelemetry(this.fleet, intervalMs);
  }

  stopTelemetry(): void {
    stopTelemetry(this.fleet);
  }

  /** True while another process controls the fleet and this supervisor only follows it. */
  get following(): boolean {
    return this.fleet.followingFleet;
  }

  /**
   * Read-only from now on: another evident process (a gate runner) controls the fleet.
   * Each tick then reads the pid files that process writes (so the processes it starts in
   * every cycle appear), samples and probes them, and nothing else: no start, stop,
   * signal, adoption, pid file, output reading, log rotation, leftover check or event. Start, stop and
   * reap are refused. Resolves once a tick in flight has finished.
   */
  async follow(): Promise<void> {
    await followFleet(this.fleet);
  }

  /** This process controls the fleet again: what was followed is forgotten, and what runs now is adopted. */
  async resumeControl(): Promise<void> {
    await resumeControl(this.fleet);
  }

  /**
   * True while there is anything to supervise: a service running (by our records), being
   * started or stopped, or waiting out a restart's delay.
   */
  supervising(): boolean {
    return [...this.fleet.runtimes.values()].some((r) => r.record !== null || r.restartTimer !== null || r.state === 'starting' || r.state === 'stopping');
  }

  /**
   * This process is about to let go of the fleet (it exits, or another evident process
   * asked for it): no restart waits any more, no tick runs, and every operation in flight
   * (a restart becoming healthy) has finished, so the next controller's pid files are whole.
   */
  async letGo(): Promise<void> {
    cancelAllRestarts(this.fleet);
    stopTelemetry(this.fleet);
    await this.fleet.tickDone;
    await Promise.all([...this.fleet.runtimes.values()].map((r) => r.queue));
    // A restart whose delay ended while the queues drained: not after this.
    cancelAllRestarts(this.fleet);
    // What services print from now on waits in their pipes for the next controller.
    await this.fleet.outputs.release();
  }

  /**
   * Stops reading the services' output: each pump drains its pipe, writes its partial
   * line and closes. For a process about to exit or hand the fleet over; what services
   * print afterwards waits in their pipes for the next controller.
   */
  async releaseOutput(): Promise<void> {
    await this.fleet.outputs.release();
  }

  /** Services still running (by our records). */
  runningServices(): string[] {
    return [...this.fleet.runtimes.values()].filter((r) => r.record !== null).map((r) => r.spec.name);
  }

  // ---- start / stop -------------------------------------------------------------

  /** Starts each service as soon as everything it depends on is up; independent ones in parallel. */
  startServices(names: string[]): Promise<StartAllResult> {
    return startServices(this.fleet, names);
  }

  /** Stops each service once everything that depends on it has stopped; then checks for leftovers. */
  stopServices(names: string[], options: { checkLeftovers?: boolean } = {}): Promise<StopAllResult> {
    return stopServices(this.fleet, names, options);
  }

  /**
   * The zombie/orphan check: ours still alive, defunct children, listeners on contract
   * ports; with `unreaped`, the running services' defunct children too.
   */
  async checkLeftovers(everSeen: KnownOwner[] = [], options: { unreaped?: boolean } = {}): Promise<Leftover[]> {
    return checkLeftovers(this.fleet, everSeen, this.fleet.context, options);
  }

  // ---- telemetry ----------------------------------------------------------------

  /** One sample of every service. Public so headless commands can take a single reading. */
  async tick(): Promise<void> {
    await tick(this.fleet);
  }

  // ---- snapshots ----------------------------------------------------------------

  private publish(): void {
    this.snapshot = buildSnapshot(this.fleet);
    for (const listener of this.listeners) listener();
  }
}
