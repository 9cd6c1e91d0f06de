// The Windows programs evident runs, by absolute path under %SystemRoot%\System32: started
// by bare name, libuv (as CreateProcess) would search the current folder first, so a
// `taskkill.exe` or `powershell.exe` planted in a service's or the operator's folder would
// run in their place. SystemRoot comes from the environment (any case, as Windows
// variables are), and is used only when it is a plain absolute drive path.
import { win32 } from 'node:path';

/** Where Windows lives when the environment does not say (or says something odd). */
export const DEFAULT_SYSTEM_ROOT = 'C:\\Windows';

/** `C:\Windows`-like: a drive letter, a backslash, and no quotes, `;` or other separators of a list. */
const PLAIN_DRIVE_PATH = /^[A-Za-z]:\\[^"';<>|?*\r\n]*$/;

export function systemRoot(env: NodeJS.ProcessEnv = process.env): string {
  const key = Object.keys(env).find((name) => name.toUpperCase() === 'SYSTEMROOT');
  const value = key === undefined ? undefined : env[key];
  if (value === undefined || !PLAIN_DRIVE_PATH.test(value) || value.split('\\').includes('..')) return DEFAULT_SYSTEM_ROOT;
  return win32.normalize(value).replace(/\\$/, '');
}

export interface WindowsTools {
  powershell: string;
  taskkill: string;
  icacls: string;
}

export function windowsTools(env: NodeJS.ProcessEnv = process.env): WindowsTools {
  const system32 = win32.join(systemRoot(env), 'System32');
  return {
    powershell: win32.join(system32, 'WindowsPowerShell', 'v1.0', 'powershell.exe'),
    taskkill: win32.join(system32, 'taskkill.exe'),
    icacls: win32.join(system32, 'icacls.exe'),
  };
}
