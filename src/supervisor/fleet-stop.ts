// Stopping services of the fleet: dependents before what they depend on, one operation
// per service at a time, then the leftover check. How one service's process tree is
// signalled, waited for and killed is stop-service.ts; this file is the fleet's order.
import { cancelRestart } from './fleet-auto-restart.ts';
import type { ResolvedService } from '../contract/contract.ts';
import type { Leftover } from '../telemetry/fleet-snapshot.ts';
import { checkLeftovers } from './fleet-leftover-check.ts';
import { assertControl, runtimeOf, serialise, setActivity, type FleetState } from './fleet-state.ts';
import type { KnownOwner } from './ownership.ts';
import { readPidFile, type PidRecord } from './pid-file.ts';
import { stopService, type StopOutcome } from './stop-service.ts';
import type { SupervisorContext } from './supervisor-context.ts';
import type { SupervisorEvent } from './supervisor-event.ts';
import { findTagged } from './tagged-processes.ts';

export interface StopAllResult {
  outcomes: StopOutcome[];
  leftovers: Leftover[];
  /** Every event this stop emitted (stop, kill, stopped, the leftover check…), in order: what a judge of the stop reads. */
  events: (SupervisorEvent & { at: number })[];
}

/** Stops each service once everything that depends on it has stopped; then checks for leftovers. */
export async function stopServices(fleet: FleetState, names: string[], options: { checkLeftovers?: boolean } = {}): Promise<StopAllResult> {
  assertControl(fleet);
  const wanted = new Set(names);
  const outcomes: StopOutcome[] = [];
  // This stop's events go where every event goes, and are kept for the caller too.
  const events: (SupervisorEvent & { at: number })[] = [];
  const context: SupervisorContext = {
    ...fleet.context,
    emit: (event) => {
      events.push(event);
      fleet.context.emit(event);
    },
  };
  const done = new Map<string, Promise<void>>();
  const stopOne = (spec: ResolvedService): Promise<void> => {
    const existing = done.get(spec.name);
    if (existing) return existing;
    const promise = (async () => {
      const dependents = fleet.context.contract.services.filter((s) => wanted.has(s.name) && s.depends_on.includes(spec.name));
      await Promise.all(dependents.map(stopOne));
      const outcome = await serialise(fleet, spec.name, async () => stopOneNow(fleet, spec, context, await tagged));
      if (outcome) outcomes.push(outcome);
    })();
    done.set(spec.name, promise);
    return promise;
  };
  setActivity(fleet, `stopping ${names.length === fleet.runtimes.size ? 'the fleet' : names.join(', ')}`);
  // Who carries our tag is read once for the whole stop, not once per service.
  const tagged = fleet.context.platform.listProcesses().then((table) => findTagged(fleet.context, table));
  let leftovers: Leftover[] = [];
  try {
    await Promise.all(fleet.context.contract.services.filter((s) => wanted.has(s.name)).map(stopOne));
    if (options.checkLeftovers !== false) {
      const everSeen: KnownOwner[] = outcomes.flatMap((o) => o.everSeen.map((known) => ({ service: o.service, known })));
      leftovers = await checkLeftovers(fleet, everSeen, context);
    }
  } finally {
    setActivity(fleet, null);
  }
  return { outcomes, leftovers, events };
}

/** One service, its turn in the queue come: stopped by our record of it, or (none in memory) by its pid file. */
async function stopOneNow(fleet: FleetState, spec: ResolvedService, context: SupervisorContext, tagged?: Map<number, string | null>): Promise<StopOutcome | null> {
  const runtime = runtimeOf(fleet, spec.name);
  // Stopped on purpose: a restart waiting out its delay would undo it.
  cancelRestart(runtime);
  const record = runtime.record ?? recordOnDisk(fleet, spec.name);
  if (!record) {
    runtime.state = 'stopped';
    fleet.publish();
    return null;
  }
  runtime.state = 'stopping';
  fleet.publish();
  // When this process is the service's parent, the stop sees how it exited.
  const exited = runtime.record === record ? runtime.spawned?.exited : undefined;
  const outcome = await stopService(context, spec, record, { ...(tagged ? { tagged } : {}), ...(exited ? { exited } : {}) });
  runtime.record = null;
  runtime.spawned = null;
  runtime.state = 'stopped';
  runtime.probe = null;
  runtime.tree = [];
  runtime.cpuPercent = null;
  runtime.rssBytes = null;
  if (outcome.survivors.length > 0) runtime.lastError = `still alive after kill: ${outcome.survivors.join(', ')}`;
  else if (!outcome.graceful) runtime.lastError = `did not stop within ${spec.stop_timeout_s} s: killed ${outcome.killed.join(', ')}`;
  fleet.publish();
  return outcome;
}

function recordOnDisk(fleet: FleetState, name: string): PidRecord | null {
  const read = readPidFile(fleet.context.paths.pids, name);
  return read.kind === 'ok' ? read.record : null;
}
