// The health probe of a running service, on its contract's interval. A probe decides
// running or unhealthy; following, a process the controller is starting is probed too,
// and its first good probe shows it running.
import { probeService } from '../probes/health-probe.ts';
import { appendPoint } from '../telemetry/history.ts';
import type { FleetState, Runtime } from './fleet-state.ts';

/**
 * Starts a probe when one is due; returns it, or null. The result is not published on
 * its own (six probes would mean six renders a second): the tick publishes once.
 */
export function maybeProbe(fleet: FleetState, runtime: Runtime): Promise<void> | null {
  if (!runtime.record || runtime.probeInFlight) return null;
  const starting = fleet.followingFleet && runtime.state === 'starting';
  if (runtime.state !== 'running' && runtime.state !== 'unhealthy' && !starting) return null;
  const intervalMs = runtime.spec.health.interval_s * 1000;
  if (Date.now() - runtime.lastProbeAt < intervalMs - 50) return null;
  runtime.probeInFlight = true;
  runtime.lastProbeAt = Date.now();
  const record = runtime.record;
  return probeService(runtime.spec).then((result) => {
    runtime.probeInFlight = false;
    // The service was stopped or replaced while the probe ran: the result is of the old one.
    if (runtime.record !== record) return;
    runtime.probe = result;
    runtime.latencyHistory = appendPoint(runtime.latencyHistory, result.latencyMs);
    if (runtime.state === 'running' || runtime.state === 'unhealthy') runtime.state = result.ok ? 'running' : 'unhealthy';
    else if (runtime.state === 'starting' && fleet.followingFleet && result.ok) runtime.state = 'running';
  });
}
