// Adopting services an earlier evident process left running, from their pid files. A pid
// is adopted only when the process there is still the one recorded (same start time; a
// command line it changed since is recorded): PIDs are reused, and a stranger is never
// taken over nor signalled.
import type { ProcessInfo } from '../platform/platform.ts';
import { syncFromPidFiles } from './fleet-follow.ts';
import { blankRuntime, type FleetState } from './fleet-state.ts';
import { findForkedSuccessor, followedRecord } from './forked-successor.ts';
import { readPidFile, removePidFile, writePidFile } from './pid-file.ts';
import { noteCommandChange } from './command-change.ts';
import { checkIdentity } from './process-identity.ts';
import { emitNow } from './supervisor-context.ts';

/** Takes over services left running by an earlier console, from their pid files. */
export async function adopt(fleet: FleetState): Promise<void> {
  if (fleet.followingFleet) {
    // Following: take nothing over; show what the controller's pid files name.
    await syncFromPidFiles(fleet);
    fleet.publish();
    return;
  }
  for (const runtime of fleet.runtimes.values()) {
    const name = runtime.spec.name;
    const read = readPidFile(fleet.context.paths.pids, name);
    if (read.kind === 'missing') continue;
    if (read.kind === 'corrupt') {
      runtime.lastError = `pid file unreadable (${read.reason}); nothing adopted`;
      continue;
    }
    const record = read.record;
    const seen = await fleet.context.platform.readProcess(record.pid);
    const identity = checkIdentity(record, seen);
    if (identity.same) {
      noteCommandChange(fleet.context, record, seen as ProcessInfo, { write: true });
      runtime.record = record;
      runtime.restarts = record.restarts;
      runtime.state = 'running';
      emitNow(fleet.context, { type: 'adopt', service: name, pid: record.pid });
      continue;
    }
    // The recorded process is gone. If it daemonized itself after the last console
    // looked, its successor carries the service's tag: adopt that one.
    if (seen === null || seen.state === 'Z' || seen.startToken !== record.start_token) {
      const successor = await findForkedSuccessor(fleet.context, name, record.pid).catch(() => null);
      if (successor) {
        emitNow(fleet.context, { type: 'followed', service: name, from: record.pid, to: successor.pid, command: successor.argv.join(' ') });
        runtime.record = followedRecord(record, successor);
        runtime.restarts = record.restarts;
        runtime.state = 'running';
        writePidFile(fleet.context.paths.pids, runtime.record);
        emitNow(fleet.context, { type: 'adopt', service: name, pid: successor.pid });
        continue;
      }
    }
    // The service is gone. Never signal the pid: if someone else has it now, that
    // process is not ours. Its descendants may still be around: the leftover check says.
    emitNow(fleet.context, { type: 'adopt-refused', service: name, pid: record.pid, reason: identity.reason });
    runtime.lastError = `stale pid file: ${identity.reason}`;
    removePidFile(fleet.context.paths.pids, name);
  }
  fleet.publish();
}

/**
 * This process controls the fleet again (the one it followed let go): what was followed
 * is forgotten, and what runs now is adopted, as a new console would.
 */
export async function resumeControl(fleet: FleetState): Promise<void> {
  if (!fleet.followingFleet) return;
  await fleet.tickDone;
  fleet.followingFleet = false;
  for (const [name, runtime] of fleet.runtimes) fleet.runtimes.set(name, blankRuntime(runtime.spec));
  await adopt(fleet);
}
