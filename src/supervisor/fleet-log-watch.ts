// The log the console shows: the last lines of one service's captured stdout and stderr,
// carried in every snapshot (re-read at each telemetry tick), so the log pane costs no
// render of its own.
import { runtimeOf, type FleetState } from './fleet-state.ts';
import { readLogTail } from './service-log.ts';

/** Unchanged arguments change nothing; a name not in the contract throws, as for start and stop. */
export function watchLog(fleet: FleetState, service: string | null, lines: number): void {
  if (service === null || lines <= 0) {
    if (fleet.watched === null) return;
    fleet.watched = null;
    fleet.watchedTail = null;
    fleet.publish();
    return;
  }
  runtimeOf(fleet, service);
  if (fleet.watched?.service === service && fleet.watched.lines === lines) return;
  fleet.watched = { service, lines };
  readWatchedLog(fleet);
  fleet.publish();
}

/** Re-reads the watched log (bounded: it reads backwards from the end); an unreadable log is no lines. */
export function readWatchedLog(fleet: FleetState): void {
  const watched = fleet.watched;
  if (watched === null) {
    fleet.watchedTail = null;
    return;
  }
  let lines: string[];
  try {
    lines = readLogTail(fleet.context.paths.logs, watched.service, watched.lines);
  } catch {
    lines = [];
  }
  fleet.watchedTail = { service: watched.service, lines };
}
