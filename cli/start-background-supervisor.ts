// Hands the fleet to the background supervisor (evident supervise) when a command that
// controlled it ends and services still run: `up`, the console leaving the fleet running,
// a gate runner giving the fleet back. The supervisor runs in a session of its own with
// no terminal, its lines appended to state/supervisor.log (rotated as a service's log).
import { spawn } from 'node:child_process';
import { closeSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { FleetJournal } from '../src/evidence/fleet-journal.ts';
import { openServiceLog, rotateIfLarge } from '../src/supervisor/service-log.ts';
import type { SupervisorContext } from '../src/supervisor/supervisor-context.ts';

/** Where the supervisor's lines go: beside logs/, never a service's name. */
export const SUPERVISOR_LOG = 'supervisor';

/** Starts `evident supervise` for this fleet; returns its pid (undefined if it could not be started). */
export function startBackgroundSupervisor(context: SupervisorContext, journal: FleetJournal): number | undefined {
  const bin = evidentBin();
  const root = context.paths.root;
  try {
    rotateIfLarge(root, SUPERVISOR_LOG);
  } catch {
    // A log that cannot be rotated is no reason to leave the fleet unsupervised.
  }
  const fd = openServiceLog(root, SUPERVISOR_LOG, `supervise: started by pid ${process.pid}`);
  try {
    const args = [bin, 'supervise', '--contract', context.contract.path, '--state-dir', root, '--artifacts-dir', journal.artifactsDir, '--actor', journal.actor];
    const child = spawn(process.execPath, args, { stdio: ['ignore', fd, fd], detached: true, windowsHide: true });
    child.once('error', () => {});
    child.unref();
    return child.pid;
  } finally {
    closeSync(fd);
  }
}

/** bin/evident.js of this checkout, from cli/ (run from source) or dist/cli/ (built). */
function evidentBin(): string {
  for (let dir = import.meta.dirname; ; dir = dirname(dir)) {
    const bin = join(dir, 'bin', 'evident.js');
    if (existsSync(bin)) return bin;
    if (dirname(dir) === dir) throw new Error('bin/evident.js not found above this module');
  }
}
