// What every supervisor operation needs: the OS, where state lives, the contract, and
// where to report what it does.
import type { Contract } from '../contract/contract.ts';
import type { FleetJournal } from '../evidence/fleet-journal.ts';
import type { Platform } from '../platform/platform.ts';
import type { StatePaths } from '../paths/state-paths.ts';
import type { EventSink, SupervisorEvent } from './supervisor-event.ts';

export interface SupervisorContext {
  platform: Platform;
  paths: StatePaths;
  contract: Contract;
  emit: EventSink;
  /** Where a CLI command records its events and operator actions (absent in library use). */
  journal?: FleetJournal;
}

export function emitNow(context: SupervisorContext, event: SupervisorEvent): void {
  context.emit({ ...event, at: Date.now() });
}
