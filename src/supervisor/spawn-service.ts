// Spawns one service: no shell, its own process group, stdout and stderr into what
// ServiceOutputs gives it (its FIFO, read into its log, or the log file itself), and an environment that marks it (and everything it starts) as ours.
// Plain child_process rather than execa here: execa is built around awaiting a
// subprocess, while a service is a detached daemon that must outlive this console.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, statSync } from 'node:fs';
import type { ResolvedService } from '../contract/contract.ts';
import type { SpawnFlags } from '../platform/platform.ts';
import type { StatePaths } from '../paths/state-paths.ts';
import { inheritedEnvironment } from './inherited-environment.ts';
import type { ServiceOutputs } from './service-outputs.ts';
import { commandLineText } from '../platform/command-line-text.ts';

export interface Spawned {
  child: ChildProcess;
  pid: number;
  /** Resolves with the exit code and signal if the process ends while we are its parent. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export class SpawnError extends Error {}

/** The environment a service runs with: ours (as much as `inherit_env` lets through), the contract's, then evident's markers. */
export function serviceEnvironment(service: ResolvedService, paths: StatePaths, base = process.env): NodeJS.ProcessEnv {
  return {
    ...inheritedEnvironment(service, base),
    PORT: String(service.port),
    ...service.env,
    EVIDENT_SERVICE: service.name,
    EVIDENT_FLEET: paths.fleetTag,
    EVIDENT_STATE_DIR: paths.root,
  };
}

export async function spawnService(service: ResolvedService, paths: StatePaths, flags: SpawnFlags, outputs: ServiceOutputs): Promise<Spawned> {
  if (!existsSync(service.cwd) || !statSync(service.cwd).isDirectory()) {
    throw new SpawnError(`working directory ${service.cwd} does not exist`);
  }
  const commandLine = commandLineText([service.command, ...service.args]);
  let logFd: number;
  try {
    logFd = outputs.forChild(service, `start: ${commandLine}`);
  } catch (error) {
    throw new SpawnError(`cannot set up its output: ${(error as Error).message}`);
  }
  const env = serviceEnvironment(service, paths);
  let child: ChildProcess;
  try {
    child = spawn(service.command, service.args, {
      cwd: service.cwd,
      env,
      stdio: ['ignore', logFd, logFd],
      detached: flags.detached,
      windowsHide: flags.windowsHide,
    });
  } finally {
    closeSync(logFd);
  }
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
  await new Promise<void>((resolve, reject) => {
    child.once('spawn', () => resolve());
    child.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') {
        reject(new SpawnError(`cannot run "${service.command}": not found (looked on PATH and in ${service.cwd})`));
      } else if (error.code === 'EACCES') {
        reject(new SpawnError(`cannot run "${service.command}": permission denied`));
      } else {
        reject(new SpawnError(`cannot run "${service.command}": ${error.message}`));
      }
    });
  });
  // The console must be free to exit while the service runs on.
  child.unref();
  return { child, pid: child.pid as number, exited };
}
