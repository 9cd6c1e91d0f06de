// The last lines of a service's output, as the supervisor reads them at every telemetry
// tick. The tail travels in the fleet snapshot, so the pane re-renders with the rest of
// the console (once a tick) and never on a timer of its own.
import { useEffect, useMemo, useRef } from 'react';
import type { FleetController } from '../../src/supervisor/fleet-controller.ts';
import { sanitizeLine } from '../format.ts';
import { useFleetSnapshot } from './use-fleet-snapshot.ts';

export interface LogTail {
  /** At most the requested number of lines, oldest first, safe to display. */
  lines: readonly string[];
  /** True once a snapshot carries this service's tail (an unreadable or missing log is no lines). */
  loaded: boolean;
}

const EMPTY: LogTail = { lines: [], loaded: false };

/**
 * Asks the controller to put the last `lines` lines of `service`'s log into its snapshots
 * (once per change of service or size, not per tick), and stops asking on unmount. While
 * `service` is null or `lines` ≤ 0 nothing is watched. Returns the tail from the current
 * snapshot when it is this service's, sanitised, keeping at most the last `lines`.
 */
export function useLogTail(controller: FleetController, service: string | null, lines: number): LogTail {
  const snapshot = useFleetSnapshot(controller);
  const watching = service !== null && lines > 0;
  const asked = useRef(false);

  useEffect(() => {
    if (watching) {
      controller.watchLog(service, lines);
      asked.current = true;
    } else if (asked.current) {
      controller.watchLog(null, 0);
      asked.current = false;
    }
  }, [controller, watching, service, lines]);

  // Stop only when the pane goes away (or gets another controller): a change of service
  // or size is one watchLog call, not a stop and a start (each would publish a snapshot).
  useEffect(
    () => () => {
      if (!asked.current) return;
      controller.watchLog(null, 0);
      asked.current = false;
    },
    [controller],
  );

  const log = snapshot.log;
  const raw = watching && log !== null && log.service === service ? log.lines : null;
  return useMemo(() => (raw === null ? EMPTY : { lines: raw.slice(-lines).map(sanitizeLine), loaded: true }), [raw, lines]);
}
