// The last lines of a service's output, fetched from the controller about once a second
// while the pane that shows them is on screen.
import { useEffect, useState } from 'react';
import type { FleetController } from '../../src/supervisor/fleet-controller.ts';
import { errorMessage, sanitizeLine } from '../format.ts';

export const LOG_REFRESH_MS = 1000;

export interface LogTail {
  /** At most the requested number of lines, oldest first, safe to display. */
  lines: readonly string[];
  /** Why the last fetch failed, or null. */
  error: string | null;
  /** True once the first fetch for this service has answered. */
  loaded: boolean;
}

interface Held extends LogTail {
  service: string | null;
}

const EMPTY: LogTail = { lines: [], error: null, loaded: false };

/**
 * Polls `controller.logTail(service, lines)` now and every `intervalMs` while `service`
 * is set and `lines` > 0. A tick is skipped while the previous fetch is still running;
 * a result that arrives after the service or size changed is dropped. Keeps at most the
 * last `lines` lines, and re-renders only when they changed.
 */
export function useLogTail(
  controller: FleetController,
  service: string | null,
  lines: number,
  intervalMs: number = LOG_REFRESH_MS,
): LogTail {
  const [held, setHeld] = useState<Held>({ ...EMPTY, service });

  useEffect(() => {
    if (service === null || lines <= 0) return undefined;
    let active = true;
    let inFlight = false;
    const fetchTail = (): void => {
      if (inFlight) return;
      inFlight = true;
      let request: Promise<string[]>;
      try {
        request = Promise.resolve(controller.logTail(service, lines));
      } catch (error) {
        request = Promise.reject(error);
      }
      request
        .then(
          (got) => {
            if (!active) return;
            const kept = got.slice(-lines).map(sanitizeLine);
            setHeld((prev) => (prev.service === service && prev.loaded && prev.error === null && sameLines(prev.lines, kept) ? prev : { service, lines: kept, error: null, loaded: true }));
          },
          (error: unknown) => {
            if (!active) return;
            const message = errorMessage(error);
            setHeld((prev) => (prev.service === service && prev.error === message ? prev : { service, lines: prev.service === service ? prev.lines : [], error: message, loaded: true }));
          },
        )
        .finally(() => {
          inFlight = false;
        });
    };
    fetchTail();
    const timer = setInterval(fetchTail, intervalMs);
    return () => {
      active = false;
      clearInterval(timer);
    };
  }, [controller, service, lines, intervalMs]);

  if (held.service !== service) return EMPTY;
  return held.lines.length > lines ? { ...held, lines: held.lines.slice(-Math.max(0, lines)) } : held;
}

function sameLines(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((line, i) => line === b[i]);
}
