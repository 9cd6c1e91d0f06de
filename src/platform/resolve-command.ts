// Where a service's command resolves, the way spawn without a shell will find it: a path
// (it holds a separator) is taken from the service's working folder; a bare name is
// looked up on PATH — the service's own PATH when the contract sets one. On Windows
// spawn runs only .exe and .com files found that way (a .cmd or .bat needs a shell,
// which evident never uses), so only those extensions are tried, and the current folder
// is not searched first (as CreateProcess and `which` would) unless PATH names it.
import { isAbsolute, resolve, win32 } from 'node:path';
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
  if (!windows) return { path: which.sync(command, { nothrow: true, path }), searched: `on PATH` };
  // On Windows `which` (as CreateProcess) looks in the current folder before PATH: a
  // program planted there would run in the service's place. Only PATH is searched.
  const found = which.sync(command, { nothrow: true, all: true, path, pathExt: '.EXE;.COM' }) ?? [];
  return { path: firstOnPath(found, process.cwd(), path.split(';')), searched: 'on PATH (not in the current folder)' };
}

/**
 * The first of `found` (in search order) that is not in the current folder `cwd` — unless
 * PATH itself names that folder. Windows paths: compared without regard to case.
 */
export function firstOnPath(found: readonly string[], cwd: string, pathDirs: readonly string[]): string | null {
  const folder = (p: string) => win32.resolve(p).replace(/\\+$/, '').toLowerCase();
  const current = folder(cwd);
  const cwdOnPath = pathDirs.some((dir) => dir.trim() !== '' && folder(dir.replace(/^"(.*)"$/, '$1')) === current);
  return found.find((file) => cwdOnPath || folder(win32.dirname(file)) !== current) ?? null;
}
