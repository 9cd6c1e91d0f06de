// Whether two environment variable names are the same variable: exactly on POSIX; on
// Windows the environment ignores case (`Path` is `PATH`). The one place this lives.
export function sameEnvName(a: string, b: string): boolean {
  return process.platform === 'win32' ? a.toUpperCase() === b.toUpperCase() : a === b;
}
