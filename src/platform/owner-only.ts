// Owner-only permissions for secrets on disk (the signing key and its folder). The one
// place this platform difference lives: POSIX mode bits (0600 files, 0700 folders) on
// Linux, an access control list rewritten with icacls on Windows.
import { spawnSync } from 'node:child_process';
import { chmodSync, statSync } from 'node:fs';
import { userInfo } from 'node:os';
import { windowsTools } from './windows-system-paths.ts';

/** A command with its arguments, run without a shell. */
export interface OwnerOnlyCommand {
  command: string;
  args: string[];
}

/** Leaves `path` (a file or a folder) readable and writable by its owner alone. */
export function restrictToOwner(path: string): void {
  const isFolder = statSync(path).isDirectory();
  if (process.platform !== 'win32') {
    chmodSync(path, isFolder ? 0o700 : 0o600);
    return;
  }
  const { command, args } = windowsOwnerOnlyCommand(path, windowsAccountName(), isFolder);
  const result = spawnSync(command, args, { encoding: 'utf8', windowsHide: true });
  if (result.error !== undefined || result.status !== 0) {
    const why = result.error?.message ?? `${result.stdout}${result.stderr}`.trim();
    throw new Error(`could not restrict ${path} to its owner (${command} ${args.join(' ')}): ${why}`);
  }
}

/**
 * True when nobody but the owner can read `path`. On POSIX: no group or other bits.
 * On Windows always true: Node reports mode bits there from the read-only attribute
 * alone (every file looks 0o666), so they say nothing about who may read it, and the
 * ACL could only be checked by parsing icacls output, which is localised. The ACL is
 * set by `restrictToOwner` when evident creates the file, and the folder it lives in
 * is restricted first, so what evident created is owner-only from the start.
 */
export function isOwnerOnly(path: string): boolean {
  if (process.platform === 'win32') return true;
  return (statSync(path).mode & 0o077) === 0;
}

/**
 * What `restrictToOwner` runs on Windows: drop inherited entries (`/inheritance:r`) and
 * replace every grant with full control for the account (`/grant:r`). A folder's grant
 * is inheritable (OI)(CI) so a file created inside it starts owner-only too.
 */
export function windowsOwnerOnlyCommand(path: string, account: string, isFolder: boolean): OwnerOnlyCommand {
  return { command: windowsTools().icacls, args: [path, '/inheritance:r', '/grant:r', `${account}:${isFolder ? '(OI)(CI)F' : 'F'}`] };
}

/** DOMAIN\user where Windows says which domain, so a local account of the same name is not meant. */
function windowsAccountName(): string {
  const user = process.env.USERNAME ?? userInfo().username;
  const domain = process.env.USERDOMAIN;
  return domain ? `${domain}\\${user}` : user;
}

/**
 * Why nobody but this user (or root) may trust `path`'s contents, or null when they may:
 * on POSIX, a folder owned by another user, or writable by its group or by others, lets
 * someone else plant a pid file (which evident would signal) or a key (which it would
 * trust) — the test ssh applies to ~/.ssh. On Windows null: mode bits say nothing there
 * (see `isOwnerOnly`), and evident restricts what it creates with `restrictToOwner`.
 */
export function foreignControlProblem(path: string): string | null {
  if (process.platform === 'win32') return null;
  const stat = statSync(path);
  const uid = process.getuid?.();
  if (uid !== undefined && stat.uid !== uid && stat.uid !== 0) return `is owned by another user (uid ${stat.uid}, you are ${uid})`;
  if ((stat.mode & 0o022) !== 0) return `is writable by ${(stat.mode & 0o002) !== 0 ? 'others' : 'its group'} (mode ${(stat.mode & 0o777).toString(8).padStart(3, '0')})`;
  return null;
}
