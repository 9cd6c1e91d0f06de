// Spawns one service: no shell, in a session and process group of its own (the platform's
// launchService), stdout and stderr into what ServiceOutputs gives it (its FIFO, read into
// its log, or the log file itself), and an environment that marks it (and everything it
// starts) as ours.
import { closeSync, existsSync, statSync } from 'node:fs';
import type { ResolvedService } from '../contract/contract.ts';
import { LaunchError, type Launched, type Platform } from '../platform/platform.ts';
import type { StatePaths } from '../paths/state-paths.ts';
import { inheritedEnvironment } from './inherited-environment.ts';
import type { ServiceOutputs } from './service-outputs.ts';
import { commandLineText } from '../platform/command-line-text.ts';
import { logPath } from './service-log.ts';

export type Spawned = Launched;

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

export async function spawnService(service: ResolvedService, paths: StatePaths, platform: Platform, outputs: ServiceOutputs, container: string | null): Promise<Spawned> {
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
  try {
    return await platform.launchService({
      command: service.command,
      args: service.args,
      cwd: service.cwd,
      env: serviceEnvironment(service, paths),
      output: { fd: logFd, logPath: logPath(paths.logs, service.name) },
      container,
    });
  } catch (error) {
    if (!(error instanceof LaunchError)) throw error;
    if (error.code === 'ENOENT') throw new SpawnError(`cannot run "${service.command}": not found (looked on PATH and in ${service.cwd})`);
    if (error.code === 'EACCES') throw new SpawnError(`cannot run "${service.command}": permission denied`);
    throw new SpawnError(`cannot run "${service.command}": ${error.message}`);
  } finally {
    closeSync(logFd);
  }
}
