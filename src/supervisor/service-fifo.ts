// The named pipe a service prints into where the platform has them (serviceOutput 'fifo'):
// state/logs/<service>.pipe, owner-only. The child holds it open for reading AND writing,
// so its writes never meet a pipe without a reader (no EPIPE, no SIGPIPE) when no evident
// process reads: a supervisor killed outright leaves its services running. What they print
// then waits in the pipe (64 KiB on Linux; a service that prints more waits too) until
// the fleet's next controller attaches its output pump. Only a FIFO we own is used: a
// link, a file or another user's pipe at that name is refused, never followed.
import { execFileSync } from 'node:child_process';
import { closeSync, constants, fstatSync, lstatSync, mkdirSync, openSync, type Stats } from 'node:fs';
import { join } from 'node:path';

export class ServiceFifoError extends Error {}

export function fifoPath(folder: string, service: string): string {
  return join(folder, `${service}.pipe`);
}

/** The service's FIFO, created if missing; throws ServiceFifoError when something else stands at its name. */
export function ensureServiceFifo(folder: string, service: string): string {
  const path = fifoPath(folder, service);
  mkdirSync(folder, { recursive: true, mode: 0o700 });
  if (lstatOrNull(path) === null) {
    try {
      // Node has no mkfifo; the command runs without a shell, its path an argument.
      execFileSync('mkfifo', ['-m', '600', path], { stdio: ['ignore', 'ignore', 'pipe'] });
    } catch (error) {
      // Someone made it meanwhile: judged below like any other.
      if (lstatOrNull(path) === null) throw new ServiceFifoError(`cannot create the output pipe ${path}: ${(error as Error).message.trim()}`);
    }
  }
  const problem = fifoProblem(lstatOrNull(path));
  if (problem) throw new ServiceFifoError(`${path} ${problem}: refusing to use it as ${service}'s output pipe`);
  return path;
}

/** True when the service's FIFO exists and is one we own (nothing is created). */
export function hasServiceFifo(folder: string, service: string): boolean {
  const stat = lstatOrNull(fifoPath(folder, service));
  return stat !== null && fifoProblem(stat) === null;
}

/** A descriptor for the child's stdout and stderr: read and write, so its own writes never find the pipe without a reader. */
export function openFifoForChild(path: string): number {
  return openChecked(path, constants.O_RDWR);
}

/** A non-blocking read descriptor, for the output pump. */
export function openFifoForReading(path: string): number {
  return openChecked(path, constants.O_RDONLY | constants.O_NONBLOCK);
}

/** Opens without following a link, then checks what was opened (it may have been swapped since the lstat). */
function openChecked(path: string, flags: number): number {
  const fd = openSync(path, flags | constants.O_NOFOLLOW);
  const problem = fifoProblem(fstatSync(fd));
  if (problem) {
    closeSync(fd);
    throw new ServiceFifoError(`${path} ${problem}`);
  }
  return fd;
}

/** Why this is not a FIFO of ours, or null when it is. */
function fifoProblem(stat: Stats | null): string | null {
  if (stat === null) return 'does not exist';
  if (stat.isSymbolicLink()) return 'is a symbolic link';
  if (!stat.isFIFO()) return 'is not a named pipe';
  const uid = process.getuid?.();
  if (uid !== undefined && stat.uid !== uid) return `is owned by another user (uid ${stat.uid})`;
  if ((stat.mode & 0o077) !== 0) return `is open to others (mode ${(stat.mode & 0o777).toString(8)})`;
  return null;
}

function lstatOrNull(path: string): Stats | null {
  try {
    return lstatSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}
