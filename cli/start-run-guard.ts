// Every gate runner starts a guard (evident gate-guard) in a session of its own, tied to
// it by a pipe: should the runner die without ending its run, the guard stops the fleet
// and ends the run INTERRUPTED. `done()` tells it the run ended normally.
import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { StatePaths } from '../src/paths/state-paths.ts';
import { GUARD_DONE } from './commands/gate-guard.ts';

export interface RunGuard {
  pid: number | undefined;
  done(): void;
}

export function startRunGuard(runDir: string, paths: StatePaths, contractPath: string): RunGuard {
  const folder = join(paths.root, 'runs');
  mkdirSync(folder, { recursive: true });
  const fd = openSync(join(folder, `guard-${basename(runDir)}.log`), 'a');
  try {
    const child = spawn(process.execPath, [process.argv[1] as string, 'gate-guard', runDir, '--runner-pid', String(process.pid), '--state-dir', paths.root, '--contract', contractPath], {
      stdio: ['pipe', fd, fd],
      detached: true,
      windowsHide: true,
    });
    child.once('error', () => {});
    child.stdin?.once('error', () => {});
    child.unref();
    return {
      pid: child.pid,
      done: () => {
        child.stdin?.end(`${GUARD_DONE}\n`);
      },
    };
  } finally {
    closeSync(fd);
  }
}
