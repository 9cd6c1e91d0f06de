// A one-shot command evident runs and waits for (an exec health probe), started so that
// everything it starts can be ended with it: on Linux in a process group of its own (spawn
// detached: setsid), ended by SIGKILL to the group; on Windows, which has no such groups,
// ended by `taskkill /T /F` of its tree. Otherwise a probe script that outlives its timeout
// would leave its grandchildren running, one more set each probe.
import { spawn } from 'node:child_process';
import type { PlannedCommand } from './platform.ts';
import { forceKillCommand } from './windows.ts';

/** How the command is ended: a signal to its process group, or a command that kills its tree. */
export type CommandTreeKill = { kind: 'group-signal'; pgid: number; signal: NodeJS.Signals } | { kind: 'command'; planned: PlannedCommand };

/** Spawn options that put a one-shot command where `killCommandTree` can reach all it starts. */
export function commandTreeSpawnOptions(platform: NodeJS.Platform = process.platform): { detached: boolean; windowsHide: boolean } {
  // Windows: a detached child gets a console of its own; taskkill follows parent pids instead.
  return { detached: platform !== 'win32', windowsHide: true };
}

/** What ends the tree of `pid`, spawned with `commandTreeSpawnOptions`. */
export function planCommandTreeKill(pid: number, platform: NodeJS.Platform = process.platform): CommandTreeKill {
  return platform === 'win32' ? { kind: 'command', planned: forceKillCommand(pid) } : { kind: 'group-signal', pgid: pid, signal: 'SIGKILL' };
}

/**
 * Kills the command and everything it started. Call it only while the command has not been
 * reaped (its ChildProcess has no exit code or signal yet): until then its pid, and the
 * group it leads, cannot belong to another process.
 */
export function killCommandTree(pid: number): void {
  const plan = planCommandTreeKill(pid);
  if (plan.kind === 'group-signal') {
    try {
      process.kill(-plan.pgid, plan.signal);
    } catch {
      // ESRCH: the group is already gone, which is what we wanted.
    }
    return;
  }
  const killer = spawn(plan.planned.command, plan.planned.args, { windowsHide: true, stdio: 'ignore' });
  killer.on('error', () => {});
}
