// A console asked to go by a signal (SIGTERM from a service manager or a test, SIGINT
// from `kill -INT` or Ctrl-C without a terminal, SIGHUP from a closed terminal) leaves the
// fleet running and hands it to the background supervisor. The handlers are installed
// before the console takes the fleet: a signal that came while it was still adopting the
// services would otherwise end it by default, holding the lock, with no supervisor after it.
export interface LeaveSignals {
  /** Resolves with the first of the signals that arrived. */
  readonly asked: Promise<NodeJS.Signals>;
  /** Removes the handlers (the console is quitting on its own). */
  stop(): void;
}

export function listenForLeave(signals: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP']): LeaveSignals {
  let resolveAsked: (signal: NodeJS.Signals) => void = () => {};
  const asked = new Promise<NodeJS.Signals>((resolve) => (resolveAsked = resolve));
  const handlers = signals.map((signal) => {
    const handler = () => resolveAsked(signal);
    process.on(signal, handler);
    return [signal, handler] as const;
  });
  return {
    asked,
    stop() {
      for (const [signal, handler] of handlers) process.off(signal, handler);
    },
  };
}
