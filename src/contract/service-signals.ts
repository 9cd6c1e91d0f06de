// The signals a contract may name for a service's graceful stop (`stop_signal`) and its
// reload (`reload_signal`): POSIX names written in full, with the SIG prefix, as kill(1),
// systemd's KillSignal= and nginx's documentation spell them. One spelling per signal, so
// the same declaration always hashes the same; a name written without the prefix, or in
// lower case, is refused with the spelling meant. SIGKILL and SIGSTOP cannot be caught, so
// they are never a request: evident sends SIGKILL itself once stop_timeout_s has passed.
import { describeValue } from './describe-value.ts';

export const SERVICE_SIGNALS = ['SIGTERM', 'SIGQUIT', 'SIGINT', 'SIGHUP', 'SIGUSR1', 'SIGUSR2'] as const;

export type ServiceSignal = (typeof SERVICE_SIGNALS)[number];

/** What a service is sent to stop when its contract names no `stop_signal`. */
export const DEFAULT_STOP_SIGNAL: ServiceSignal = 'SIGTERM';

const UNCATCHABLE = new Set(['SIGKILL', 'SIGSTOP']);

/** `"SIGTERM", "SIGQUIT", … or "SIGUSR2"` */
export function allowedSignalsText(): string {
  const quoted = SERVICE_SIGNALS.map((s) => JSON.stringify(s));
  return `${quoted.slice(0, -1).join(', ')} or ${quoted.at(-1)}`;
}

/** Why `input` is not a signal a contract may name, quoting it back with the allowed list. */
export function signalProblem(input: unknown): string {
  const allowed = allowedSignalsText();
  if (typeof input !== 'string') return `expected a signal name: ${allowed}; got ${describeValue(input)}`;
  const upper = input.trim().toUpperCase();
  const full = upper.startsWith('SIG') ? upper : `SIG${upper}`;
  if (UNCATCHABLE.has(full)) {
    return `${full} cannot be caught, so it asks a program nothing (evident sends SIGKILL itself once stop_timeout_s has passed): expected ${allowed}, got ${describeValue(input)}`;
  }
  const meant = (SERVICE_SIGNALS as readonly string[]).includes(full) ? ` (did you mean ${JSON.stringify(full)}?)` : '';
  return `expected ${allowed}, got ${describeValue(input)}${meant}`;
}
