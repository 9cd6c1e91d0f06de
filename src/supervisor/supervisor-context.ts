// What every supervisor operation needs: the OS, where state lives, the contract, and
// where to report what it does: a sink of SupervisorEvents, declared here, which the
// evidence side implements (the operator journal, a run's journal). The supervisor knows
// no journal.
import type { Contract } from '../contract/contract.ts';
import type { Platform } from '../platform/platform.ts';
import type { StatePaths } from '../paths/state-paths.ts';
import type { EventSink, SupervisorEvent } from './supervisor-event.ts';

export interface SupervisorContext {
  platform: Platform;
  paths: StatePaths;
  contract: Contract;
  emit: EventSink;
  /**
   * Start a service that ends on its own again, as its contract's `restart` says
   * (fleet-auto-restart.ts). Set by the processes that supervise the fleet over time (the
   * console, \`up\`, the background supervisor); a gate runner leaves it off, since a crash
   * during a gate is a finding, not something to paper over.
   */
  restartOnExit?: boolean;
}

export function emitNow(context: SupervisorContext, event: SupervisorEvent): void {
  context.emit({ ...event, at: Date.now() });
}
