// The gate engine's current snapshot (states, the followed run's progress, what `g` and
// `b` would do), re-rendering the caller whenever it changes.
import { useCallback, useSyncExternalStore } from 'react';
import type { GateController, GateDeskSnapshot } from '../../gates/desk/gate-controller.ts';

export function useGateDesk(gates: GateController): GateDeskSnapshot {
  const subscribe = useCallback((listener: () => void) => gates.subscribe(listener), [gates]);
  const getSnapshot = useCallback(() => gates.getSnapshot(), [gates]);
  return useSyncExternalStore(subscribe, getSnapshot, getSnapshot);
}
