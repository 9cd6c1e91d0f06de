// The controller's current snapshot, re-rendering the caller whenever it changes.
import { useCallback, useSyncExternalStore } from 'react';
import type { FleetController } from '../../src/supervisor/fleet-controller.ts';
import type { FleetSnapshot } from '../../src/telemetry/fleet-snapshot.ts';

/**
 * React's external-store hook over `controller.subscribe` / `controller.getSnapshot`.
 * The controller must return the same snapshot object until something changes, or
 * React re-renders in a loop.
 */
export function useFleetSnapshot(controller: FleetController): FleetSnapshot {
  const subscribe = useCallback((listener: () => void) => controller.subscribe(listener), [controller]);
  const getSnapshot = useCallback(() => controller.getSnapshot(), [controller]);
  return useSyncExternalStore(subscribe, getSnapshot, getSnapshot);
}
