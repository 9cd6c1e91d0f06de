// Where a service's command resolves, the way spawn without a shell will find it: a path
// (it holds a separator) is taken from the service's working folder; a bare name is
// looked up on PATH — the service's own PATH when the contract sets one. On Windows
// spawn runs only .exe and .com files found that way (a .cmd or .bat needs a shell,
// which evident never uses), so only those extensions are tried.
import { isAbsolute, resolve } from 'node:path';
import which from 'which';

/** Where execvp and libuv look for a bare command when the environment has no PATH (glibc's _PATH_DEFPATH). */
export const POSIX_DEFAULT_PATH = '/usr/bin:/bin';

export interface ResolvedCommand {
  /** The file spawn will run, or null when there is none. */
  path: string | null;
  /** Where it was looked for, to say so when it is missing. */
  searched: string;
}

export function resolveCommand(command: string, cwd: string, env: Record<string, string | undefined>): ResolvedCommand {
  const windows = process.platform === 'win32';
  const hasSeparator = windows ? /[\\/]/.test(command) : command.includes('/');
  if (hasSeparator) {
    const file = isAbsolute(command) ? command : resolve(cwd, command);
    return { path: which.sync(file, { nothrow: true, ...(windows ? { pathExt: '.EXE;.COM' } : {}) }), searched: file };
  }
  const pathKey = Object.keys(env).find((key) => key.toUpperCase() === 'PATH');
  if (pathKey === undefined && !windows) {
    // No PATH at all (inherit_env: false): libuv, as execvp, then searches the system's
    // default path, so a bare `node` may be /usr/bin/node, not the one evident runs on.
    return { path: which.sync(command, { nothrow: true, path: POSIX_DEFAULT_PATH }), searched: `on the default path ${POSIX_DEFAULT_PATH} (the service's environment has no PATH)` };
  }
  const path = (pathKey === undefined ? undefined : env[pathKey]) ?? '';
  return { path: which.sync(command, { nothrow: true, path, ...(windows ? { pathExt: '.EXE;.COM' } : {}) }), searched: `on PATH` };
}
