// Restarting a service: stop it alone (what depends on it keeps running), then start it
// and whatever it depends on that is not up. No leftover check in between: the service
// is meant to be back a moment later, not gone.
import { startServicesOrThrow, withDependencies } from './fleet-start.ts';
import { runtimeOf, type FleetState } from './fleet-state.ts';
import { stopServices } from './fleet-stop.ts';

export async function restartService(fleet: FleetState, name: string): Promise<void> {
  const runtime = runtimeOf(fleet, name);
  // One more restart only when something was running to restart. The stop leaves the
  // service 'stopped' (not 'exited'), so the start does not count it a second time.
  const restarts = runtime.restarts + (runtime.record ? 1 : 0);
  await stopServices(fleet, [name], { checkLeftovers: false });
  runtime.restarts = restarts;
  await startServicesOrThrow(fleet, withDependencies(fleet, [name]));
}
