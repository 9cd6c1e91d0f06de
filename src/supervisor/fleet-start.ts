// Starting services of the fleet: each once everything it depends on is up, independent
// ones in parallel, one operation per service at a time. How one service is spawned and
// waited on until healthy is start-service.ts; this file is the fleet's order.
import type { ResolvedService } from '../contract/contract.ts';
import { onChildExit } from './fleet-exit.ts';
import { assertControl, runtimeOf, serialise, setActivity, type FleetState } from './fleet-state.ts';
import { startService } from './start-service.ts';

export interface StartAllResult {
  ok: boolean;
  failed: { service: string; reason: string }[];
}

/** Starts each service as soon as everything it depends on is up; independent ones in parallel. */
export async function startServices(fleet: FleetState, names: string[]): Promise<StartAllResult> {
  assertControl(fleet);
  const wanted = new Set(names);
  const failed: { service: string; reason: string }[] = [];
  const done = new Map<string, Promise<boolean>>();
  const startOne = (spec: ResolvedService): Promise<boolean> => {
    const existing = done.get(spec.name);
    if (existing) return existing;
    const promise = (async () => {
      const deps = spec.depends_on.filter((d) => wanted.has(d) || runtimeOf(fleet, d).record === null);
      const depResults = await Promise.all(deps.map((d) => startOne(runtimeOf(fleet, d).spec)));
      const badDep = deps.find((_, i) => !depResults[i]);
      if (badDep) {
        failed.push({ service: spec.name, reason: `not started: its dependency ${badDep} is not up` });
        runtimeOf(fleet, spec.name).lastError = `not started: dependency ${badDep} is not up`;
        fleet.publish();
        return false;
      }
      const reason = await serialise(fleet, spec.name, () => startOneNow(fleet, spec));
      if (reason) failed.push({ service: spec.name, reason });
      return reason === null;
    })();
    done.set(spec.name, promise);
    return promise;
  };
  setActivity(fleet, `starting ${names.length === fleet.runtimes.size ? 'the fleet' : names.join(', ')}`);
  try {
    await Promise.all(fleet.context.contract.services.filter((s) => wanted.has(s.name)).map(startOne));
  } finally {
    setActivity(fleet, null);
  }
  return { ok: failed.length === 0, failed };
}

/** As startServices, for a caller that wants one error naming every service that did not start. */
export async function startServicesOrThrow(fleet: FleetState, names: string[]): Promise<void> {
  const result = await startServices(fleet, names);
  if (!result.ok) throw new Error(result.failed.map((f) => `${f.service}: ${f.reason}`).join('; '));
}

/** The names, each after everything it depends on (transitively): what starting one service starts. */
export function withDependencies(fleet: FleetState, names: string[]): string[] {
  const result = new Set<string>();
  const visit = (name: string) => {
    if (result.has(name)) return;
    for (const dep of runtimeOf(fleet, name).spec.depends_on) visit(dep);
    result.add(name);
  };
  names.forEach(visit);
  return [...result];
}

/** One service, its turn in the queue come: started and healthy, or the reason it is not (null when it is). */
async function startOneNow(fleet: FleetState, spec: ResolvedService): Promise<string | null> {
  const runtime = runtimeOf(fleet, spec.name);
  if (runtime.record) return null;
  // Starting a service again after it exited on its own is a restart, as on-call counts them.
  if (runtime.state === 'exited') runtime.restarts++;
  runtime.state = 'starting';
  runtime.lastError = null;
  runtime.probe = null;
  fleet.publish();
  const outcome = await startService(fleet.context, spec, fleet.outputs, { restarts: runtime.restarts });
  if (!outcome.ok) {
    runtime.state = 'failed';
    runtime.lastError = outcome.reason;
    runtime.probe = outcome.probe;
    fleet.publish();
    return outcome.reason;
  }
  runtime.record = outcome.record;
  runtime.spawned = outcome.spawned;
  runtime.probe = outcome.probe;
  runtime.lastProbeAt = Date.now();
  runtime.state = 'running';
  runtime.portHolder = null;
  runtime.cpuHistory = [];
  runtime.rssHistory = [];
  runtime.latencyHistory = [];
  const record = outcome.record;
  // The exit no one asks for (the service crashed, or daemonized itself) is fleet-exit.ts's.
  void outcome.spawned?.exited.then(({ code, signal }) => onChildExit(fleet, spec.name, record, code, signal));
  fleet.publish();
  return null;
}
