// A service's process ended without us stopping it: a program that daemonized itself is
// followed to the process it forked; anything else is marked exited, and the leftover
// check looks for what it left behind.
import { restartIfPolicySays } from './fleet-auto-restart.ts';
import { checkLeftovers } from './fleet-leftover-check.ts';
import { runtimeOf, type FleetState, type Runtime } from './fleet-state.ts';
import { findForkedSuccessor, followedRecord } from './forked-successor.ts';
import type { KnownOwner } from './ownership.ts';
import { writePidFile, type PidRecord } from './pid-file.ts';
import { dropIfSpent } from './spent-pid-file.ts';
import { emitNow } from './supervisor-context.ts';
import { commandLineText } from '../platform/command-line-text.ts';

/** A child this process spawned for the service (as `record`) has exited. */
export function onChildExit(fleet: FleetState, name: string, record: PidRecord, code: number | null, signal: NodeJS.Signals | null): void {
  // Following: the controller stops what this process had started; its pid files say the rest.
  if (fleet.followingFleet) return;
  const runtime = runtimeOf(fleet, name);
  if (runtime.record !== record || runtime.state === 'stopping') return;
  void followOrExit(fleet, runtime, code, signal);
}

/**
 * The service's process ended without us stopping it. A clean exit (or one we could not
 * see, for an adopted process) that left exactly one tagged process of the service is a
 * program that daemonized itself: follow that process. Anything else is an exit.
 */
export async function followOrExit(fleet: FleetState, runtime: Runtime, code: number | null, signal: NodeJS.Signals | null): Promise<void> {
  const record = runtime.record;
  if (!record || runtime.following || fleet.followingFleet) return;
  runtime.following = true;
  try {
    // A service declared `daemonizes` is followed from its pid file at start, never guessed.
    if (!runtime.spec.daemonizes && (code === 0 || (code === null && signal === null))) {
      const successor = await findForkedSuccessor(fleet.context, { ...record, service: runtime.spec.name }).catch(() => null);
      // Another process took the fleet meanwhile: its pid files are the truth now.
      if (fleet.followingFleet) return;
      if (successor && runtime.record === record && runtime.state !== 'stopping') {
        emitNow(fleet.context, { type: 'followed', service: runtime.spec.name, from: record.pid, to: successor.pid, command: commandLineText(successor.argv) });
        runtime.record = followedRecord(record, successor);
        runtime.spawned = null;
        writePidFile(fleet.context.paths.pids, runtime.record);
        fleet.publish();
        return;
      }
    }
    if (runtime.record === record && runtime.state !== 'stopping') markExited(fleet, runtime, code, signal);
  } finally {
    runtime.following = false;
  }
}

function markExited(fleet: FleetState, runtime: Runtime, code: number | null, signal: NodeJS.Signals | null): void {
  const record = runtime.record as PidRecord;
  emitNow(fleet.context, { type: 'exited', service: runtime.spec.name, pid: record.pid, code, signal });
  runtime.state = 'exited';
  runtime.lastError = `pid ${record.pid} exited${code !== null ? ` with code ${code}` : ''}${signal ? ` on ${signal}` : ''}`;
  // Keep the record's descendants known (for the leftover check). The pid file is the
  // proof that what the service left is ours: it goes once nothing of it is left.
  const everSeen: KnownOwner[] = [record, ...record.descendants].map((known) => ({ service: runtime.spec.name, known }));
  runtime.record = null;
  runtime.spawned = null;
  runtime.tree = [];
  runtime.cpuPercent = null;
  runtime.rssBytes = null;
  fleet.publish();
  restartIfPolicySays(fleet, runtime, { code, signal, observed: code !== null || signal !== null });
  void checkLeftovers(fleet, everSeen)
    .then(() => dropIfSpent(fleet.context, { ...record, service: runtime.spec.name }))
    .catch(() => {});
}
