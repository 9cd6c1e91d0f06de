// Adopting services an earlier evident process left running, from their pid files. A pid
// is adopted only when the process there is still the one recorded (same start time; a
// command line it changed since is recorded): PIDs are reused, and a stranger is never
// taken over nor signalled.
import type { ProcessInfo } from '../platform/platform.ts';
import { syncFromPidFiles } from './fleet-follow.ts';
import { blankRuntime, type FleetState } from './fleet-state.ts';
import { findForkedSuccessor, followedRecord } from './forked-successor.ts';
import { readPidFile, writePidFile } from './pid-file.ts';
import { noteCommandChange } from './command-change.ts';
import { checkIdentity } from './process-identity.ts';
import { dropIfSpent } from './spent-pid-file.ts';
import { emitNow } from './supervisor-context.ts';
import { commandLineText } from '../platform/command-line-text.ts';

/**
 * Takes over services left running by an earlier console, from their pid files.
 * `readOnly` (a command that only looks, as `evident zombies`): the same reading, but no
 * pid file is written or removed.
 */
export async function adopt(fleet: FleetState, options: { readOnly?: boolean } = {}): Promise<void> {
  const write = options.readOnly !== true;
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
      noteCommandChange(fleet.context, record, seen as ProcessInfo, { write });
      runtime.record = record;
      runtime.restarts = record.restarts;
      runtime.state = 'running';
      // Its output is this process's to read now (a command that only looks reads nothing).
      if (write) fleet.outputs.adopt(runtime.spec);
      emitNow(fleet.context, { type: 'adopt', service: name, pid: record.pid });
      continue;
    }
    // The recorded process is gone. If it daemonized itself after the last console
    // looked, its successor carries the service's tag: adopt that one.
    if (seen === null || seen.state === 'Z' || seen.startToken !== record.start_token) {
      const successor = await findForkedSuccessor(fleet.context, { ...record, service: name }).catch(() => null);
      if (successor) {
        emitNow(fleet.context, { type: 'followed', service: name, from: record.pid, to: successor.pid, command: commandLineText(successor.argv) });
        runtime.record = followedRecord(record, successor);
        runtime.restarts = record.restarts;
        runtime.state = 'running';
        if (write) writePidFile(fleet.context.paths.pids, runtime.record);
        if (write) fleet.outputs.adopt(runtime.spec);
        emitNow(fleet.context, { type: 'adopt', service: name, pid: successor.pid });
        continue;
      }
    }
    // The service's process is gone. Never signal the pid: if someone else has it now,
    // that process is not ours. What it left (its group, its descendants) may still be
    // around: the pid file proves them ours, so it stays until nothing of them is left.
    emitNow(fleet.context, { type: 'adopt-refused', service: name, pid: record.pid, reason: identity.reason });
    const remains = write ? await dropIfSpent(fleet.context, { ...record, service: name }) : [];
    runtime.lastError = `stale pid file: ${identity.reason}${remains.length > 0 ? `; kept: ${describeRemains(remains)} of it still run (\`evident down\` or \`evident zombies --reap\` ends them)` : ''}`;
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

/** `pid 8398` or `pids 8398, 8399`. */
function describeRemains(remains: readonly ProcessInfo[]): string {
  return `${remains.length === 1 ? 'pid' : 'pids'} ${remains.map((p) => p.pid).join(', ')}`;
}
