// A service that ended on its own is started again as its contract's `restart` says
// (restart-decision.ts decides; this file waits and acts), in a process that supervises
// the fleet over time (SupervisorContext.restartOnExit). Each decision is an event, so
// the operator journal holds every restart and every refusal with its reason.
import { runtimeOf, type FleetState, type Runtime } from './fleet-state.ts';
import { decideRestart, describeEnd, type ServiceEnd } from './restart-decision.ts';
import { emitNow } from './supervisor-context.ts';
import { startServices } from './fleet-start.ts';

/** Called once the service is marked exited (or a restart of it failed). */
export function restartIfPolicySays(fleet: FleetState, runtime: Runtime, end: ServiceEnd): void {
  if (fleet.context.restartOnExit !== true || fleet.followingFleet) return;
  const policy = runtime.spec.restart;
  if (policy.policy === 'no') return;
  const now = Date.now();
  const decision = decideRestart(policy, end, runtime.restartsAt, now);
  const name = runtime.spec.name;
  if (!decision.restart) {
    emitNow(fleet.context, { type: 'restart-refused', service: name, policy: policy.policy, after: describeEnd(end), reason: decision.reason, gave_up: decision.gaveUp });
    if (decision.gaveUp) {
      runtime.state = 'failed';
      runtime.lastError = `${runtime.lastError ?? 'ended'}; not restarted: ${decision.reason}`;
      fleet.publish();
    }
    return;
  }
  runtime.restartsAt = [...runtime.restartsAt.filter((at) => at > now - policy.window_s * 1000), now];
  emitNow(fleet.context, { type: 'restart-scheduled', service: name, policy: policy.policy, after: describeEnd(end), attempt: decision.attempt, delay_ms: decision.delayMs });
  cancelRestart(runtime);
  // Never what keeps a process alive: one that is leaving hands the fleet to the next supervisor.
  runtime.restartTimer = setTimeout(() => void restartNow(fleet, runtime), decision.delayMs).unref();
}

/** An operator's start or stop, or this process letting go of the fleet, ends any wait. */
export function cancelRestart(runtime: Runtime): void {
  if (runtime.restartTimer !== null) clearTimeout(runtime.restartTimer);
  runtime.restartTimer = null;
}

export function cancelAllRestarts(fleet: FleetState): void {
  for (const runtime of fleet.runtimes.values()) cancelRestart(runtime);
}

async function restartNow(fleet: FleetState, scheduled: Runtime): Promise<void> {
  scheduled.restartTimer = null;
  const name = scheduled.spec.name;
  // Only the service as it was left: not if this process follows another now, or an
  // operator started or stopped it meanwhile (its runtime was replaced, or its state moved on).
  if (fleet.followingFleet || fleet.runtimes.get(name) !== scheduled) return;
  if (scheduled.record !== null || (scheduled.state !== 'exited' && scheduled.state !== 'failed')) return;
  const down = scheduled.spec.depends_on.find((d) => runtimeOf(fleet, d).record === null);
  if (down !== undefined) {
    // Starting a dependency an operator stopped would overrule them: wait for it instead, as one more failed attempt.
    restartIfPolicySays(fleet, scheduled, { code: null, signal: null, observed: true, startFailure: `its dependency ${down} is not running` });
    return;
  }
  // fleet-start counts a restart when the service had exited; a failed restart is one more.
  if (scheduled.state === 'failed') scheduled.restarts++;
  const result = await startServices(fleet, [name]);
  const failure = result.failed.find((f) => f.service === name);
  if (failure && fleet.runtimes.get(name) === scheduled) {
    restartIfPolicySays(fleet, scheduled, { code: null, signal: null, observed: true, startFailure: failure.reason });
  }
}
