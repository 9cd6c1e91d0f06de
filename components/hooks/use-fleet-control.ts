// Who controls the fleet now (this console, or a gate runner it follows), from the
// console's lock watch (src/supervisor/fleet-lock-watch.ts), re-rendering on every change.
import { useCallback, useSyncExternalStore } from 'react';
import type { FleetControl, FleetControlSource } from '../../src/supervisor/fleet-lock-watch.ts';

export function useFleetControl(source: FleetControlSource): FleetControl {
  const subscribe = useCallback((listener: () => void) => source.subscribe(listener), [source]);
  const getSnapshot = useCallback(() => source.getSnapshot(), [source]);
  return useSyncExternalStore(subscribe, getSnapshot, getSnapshot);
}
