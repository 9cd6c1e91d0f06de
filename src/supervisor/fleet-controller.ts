// What a view may ask of the fleet. The console's components receive one of these and
// never spawn, signal or write anything themselves.
import type { FleetSnapshot } from '../telemetry/fleet-snapshot.ts';

export interface FleetController {
  getSnapshot(): FleetSnapshot;
  /** Called after every change; returns the unsubscribe function. */
  subscribe(listener: () => void): () => void;
  start(service: string): Promise<void>;
  stop(service: string): Promise<void>;
  restart(service: string): Promise<void>;
  /**
   * Send the service its contract's reload_signal, once (fleet-reload.ts). Rejects, saying
   * why, when nothing was sent: no reload_signal declared, a platform without signals,
   * the service not running or not proven ours.
   */
  reload(service: string): Promise<void>;
  /** Why the service can never be reloaded here (no reload_signal, no signals on this platform); null when it can. Asked before a reload is recorded. */
  reloadRefusal(service: string): string | null;
  startAll(): Promise<void>;
  stopAll(): Promise<void>;
  /** Kill leftovers and port holders proven to be ours; never touches anything else. */
  reapOurs(): Promise<void>;
  /**
   * Include the last `lines` lines of this service's captured stdout and stderr in every
   * snapshot from now on (read at each telemetry tick, and once right away); null stops.
   * The tail travels in the snapshot so the log pane costs no render of its own.
   */
  watchLog(service: string | null, lines: number): void;
}
