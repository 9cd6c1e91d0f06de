// Starting a service with Node's own spawn: no shell, `detached` (on POSIX, setsid: the
// service leads a new session and process group, the group its stop is sent to, and it
// outlives this process so the next console can adopt it), stdout and stderr on the one
// descriptor the caller opened. Plain child_process rather than execa: execa is built
// around awaiting a subprocess, while a service is a daemon that must outlive us.
import { spawn } from 'node:child_process';
import { LaunchError, type LaunchRequest, type Launched } from './platform.ts';

export async function launchWithNode(request: LaunchRequest): Promise<Launched> {
  const child = spawn(request.command, request.args, {
    cwd: request.cwd,
    env: request.env,
    stdio: ['ignore', request.output.fd, request.output.fd],
    detached: true,
    windowsHide: true,
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
  await new Promise<void>((resolve, reject) => {
    child.once('spawn', () => resolve());
    child.once('error', (error: NodeJS.ErrnoException) => reject(new LaunchError(error.message, error.code ?? null)));
  });
  // This process must be free to exit while the service runs on.
  child.unref();
  return { pid: child.pid as number, exited, inContainer: false };
}
