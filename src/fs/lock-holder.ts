// Reading a lock file's holder: the pid it names, and whether that process is alive. The
// locks of evident (a journal's writer, a run's sealer) are files holding `{"pid": …}`.
/** The pid a lock file's text names, or null when it names none (a damaged lock). */
export function lockHolderPid(text: string): number | null {
  try {
    const pid = (JSON.parse(text) as { pid?: unknown }).pid;
    return typeof pid === 'number' && Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

/** Alive, or alive under another user (EPERM): either way not a stale holder. */
export function isPidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
