// The signals that mean "stop now, cleanly". The one platform difference lives here:
// Windows delivers Ctrl+Break as SIGBREAK, which does not exist elsewhere.
//
// Entry files call catchShutdownSignals() before loading the rest of the service (which
// takes tens of milliseconds), so a stop that arrives that early is still an exit 0
// rather than Node's default death by signal.

let handler: ((signal: NodeJS.Signals) => void) | null = null;
let installed = false;
let fired = false;

export function shutdownSignals(): NodeJS.Signals[] {
  return process.platform === 'win32' ? ['SIGTERM', 'SIGINT', 'SIGBREAK'] : ['SIGTERM', 'SIGINT'];
}

/** From now on a stop signal exits 0 at once, until onShutdownSignal names a real handler. */
export function catchShutdownSignals(): void {
  if (installed) return;
  installed = true;
  for (const signal of shutdownSignals()) {
    process.on(signal, () => {
      // Later signals are ignored: the shutdown under way is already bounded.
      if (fired) return;
      fired = true;
      if (handler === null) process.exit(0); // nothing opened yet, nothing to close
      handler(signal);
    });
  }
}

/** Calls `onSignal` for the first shutdown signal. */
export function onShutdownSignal(onSignal: (signal: NodeJS.Signals) => void): void {
  handler = onSignal;
  catchShutdownSignals();
}
