// A service's process may run another program than the one recorded while staying the
// same process (same pid, same start time): a launcher that execs once the service is
// ready, a service that re-execs itself, a program that renames itself. The change is
// recorded — an event, and (by the process that controls the fleet) the pid file — so the
// record shows what runs now; it never makes the process a stranger.
import type { ProcessInfo } from '../platform/platform.ts';
import { writePidFile, type PidRecord } from './pid-file.ts';
import { changedCommandLine } from './process-identity.ts';
import { emitNow, type SupervisorContext } from './supervisor-context.ts';
import { commandLineText } from '../platform/command-line-text.ts';

/** Notes what `seen` (the record's own process) runs now, if it changed; `write` keeps it in the pid file. True when it changed. */
export function noteCommandChange(context: SupervisorContext, record: PidRecord, seen: ProcessInfo, options: { write: boolean }): boolean {
  const now = changedCommandLine(record, seen);
  if (now === null) return false;
  emitNow(context, { type: 'command-changed', service: record.service, pid: record.pid, from: commandLineText(record.argv), to: commandLineText(now) });
  record.argv = now;
  if (options.write) writePidFile(context.paths.pids, record);
  return true;
}
