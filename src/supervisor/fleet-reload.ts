// Reloading a service: its contract's reload_signal (nginx: SIGHUP), sent once to the
// process group the service's own process leads, or to that process alone when it leads
// none. Only to a running service proven ours, as a stop proves it: the pid on record
// (in memory, or in its pid file) must still be the same process (start token and command
// line), re-read right before the signal. Queued with the service's other operations,
// so a reload never lands in the middle of a start or a stop.
import { assertControl, runtimeOf, serialise, type FleetState } from './fleet-state.ts';
import { readPidFile } from './pid-file.ts';
import { checkIdentity } from './process-identity.ts';
import { emitNow } from './supervisor-context.ts';

export type ReloadOutcome =
  | { sent: true; service: string; signal: string; pid: number; group: number | null; reached: number[] }
  /** `not-running`: nothing on record, or the process on record is gone; `not-ours`: the pid is someone else's now. */
  | { sent: false; service: string; signal: string; pid: number | null; why: 'not-running' | 'not-ours'; reason: string };

/**
 * Why `name` can never be reloaded here, whatever runs: its contract declares no
 * reload_signal, or the platform has no signal to send (Windows). Null when it can be.
 */
export function reloadRefusal(fleet: FleetState, name: string): string | null {
  const spec = runtimeOf(fleet, name).spec;
  if (spec.reload_signal === undefined) {
    return `${name} declares no reload_signal in the contract (${fleet.context.contract.path}): evident does not guess how a program reloads; declare one (nginx: "SIGHUP") or restart it`;
  }
  return fleet.context.platform.reloadRefusal;
}

/** Sends the service its reload_signal once, if it runs and is proven ours. Throws what reloadRefusal says. */
export async function reloadService(fleet: FleetState, name: string): Promise<ReloadOutcome> {
  assertControl(fleet);
  const refusal = reloadRefusal(fleet, name);
  if (refusal !== null) throw new Error(refusal);
  const signal = runtimeOf(fleet, name).spec.reload_signal as NodeJS.Signals;
  return serialise(fleet, name, async () => {
    const { context } = fleet;
    const runtime = runtimeOf(fleet, name);
    const onDisk = readPidFile(context.paths.pids, name);
    const record = runtime.record ?? (onDisk.kind === 'ok' ? onDisk.record : null);
    const refuse = (pid: number | null, why: 'not-running' | 'not-ours', reason: string): ReloadOutcome => {
      emitNow(context, { type: 'reload', service: name, pid, signal, group: null, reached: [], refused: reason });
      return { sent: false, service: name, signal, pid, why, reason };
    };
    if (record === null) return refuse(null, 'not-running', `${name} is not running (no process on record)`);
    const seen = await context.platform.readProcess(record.pid);
    const identity = checkIdentity(record, seen);
    if (!identity.same) {
      const gone = seen === null || seen.state === 'Z';
      return refuse(record.pid, gone ? 'not-running' : 'not-ours', gone ? `${name} is not running (${identity.reason})` : `not proven ours: ${identity.reason}`);
    }
    if (seen === null) return refuse(record.pid, 'not-running', `${name} is not running`);
    // Who is in the group when it is sent: the evidence names them.
    const reached = seen.pgid === seen.pid ? (await context.platform.listProcesses()).filter((p) => p.pgid === seen.pid && p.state !== 'Z').map((p) => p.pid) : [seen.pid];
    const delivery = await context.platform.sendSignal(seen, signal);
    emitNow(context, { type: 'reload', service: name, pid: seen.pid, signal, group: delivery.group, reached, refused: null });
    return { sent: true, service: name, signal, pid: seen.pid, group: delivery.group, reached };
  });
}
