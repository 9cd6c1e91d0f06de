// Following a fleet that another evident process (a gate runner) controls: this process
// only watches. Each look reads the pid files that process writes, so the processes it
// starts in every cycle appear here; nothing is started, stopped, signalled, adopted or
// written, and no service's output is read (the controller's pumps read it). Taking the
// fleet back is an adoption: see resumeControl in fleet-adopt.ts.
import { cancelAllRestarts } from './fleet-auto-restart.ts';
import { blankRuntime, type FleetState } from './fleet-state.ts';
import { readPidFile } from './pid-file.ts';
import { checkIdentity } from './process-identity.ts';

/**
 * From now on only follow. Resolves once this process reads no service's output any more
 * (the controller does), a tick in flight has finished and the pid files have been read.
 */
export async function followFleet(fleet: FleetState): Promise<void> {
  fleet.followingFleet = true;
  // The controller decides what restarts now, and reads the output.
  cancelAllRestarts(fleet);
  await fleet.outputs.release();
  await fleet.tickDone;
  await syncFromPidFiles(fleet);
  fleet.publish();
}

/**
 * Following: each service is the process its pid file names, when that process is alive
 * and the one recorded; a new pid (the controller's next cycle) starts over as starting.
 */
export async function syncFromPidFiles(fleet: FleetState): Promise<void> {
  for (const runtime of fleet.runtimes.values()) {
    const read = readPidFile(fleet.context.paths.pids, runtime.spec.name);
    const record = read.kind === 'ok' ? read.record : null;
    const current = runtime.record;
    if (record !== null && current !== null && record.pid === current.pid && record.start_token === current.start_token) {
      current.descendants = record.descendants;
      runtime.restarts = record.restarts;
      continue;
    }
    const alive = record !== null && checkIdentity(record, await fleet.context.platform.readProcess(record.pid)).same;
    if (alive || current !== null || runtime.state !== 'stopped') {
      fleet.runtimes.set(runtime.spec.name, {
        ...blankRuntime(runtime.spec),
        ...(alive ? { record, state: 'starting' as const, restarts: record.restarts } : {}),
      });
    }
  }
}
