// The proof that a pid still belongs to the process we recorded: the same start token. A
// pid and its start time name one process for its whole life, whatever its command line
// says now: a launcher that execs the service, a service that re-execs itself, nginx
// renaming itself "nginx: master process" are all still the process we started. What it
// runs now is recorded (command-change.ts), never taken for a stranger. Pure, so every
// signal site makes the same decision.
import type { ProcessInfo } from '../platform/platform.ts';
import type { KnownProcess } from './pid-file.ts';

export type IdentityVerdict =
  | { same: true }
  | { same: false; reason: string };

export function checkIdentity(known: KnownProcess, seen: ProcessInfo | null): IdentityVerdict {
  if (seen === null) return { same: false, reason: `pid ${known.pid} is gone` };
  if (seen.state === 'Z') return { same: false, reason: `pid ${known.pid} has exited (defunct)` };
  if (seen.startToken !== known.start_token) {
    return { same: false, reason: `pid ${known.pid} now belongs to another process (start time differs)` };
  }
  return { same: true };
}

/** The command line the same process shows now, when it is not the one recorded (it exec'd or renamed itself); else null. */
export function changedCommandLine(known: KnownProcess, seen: ProcessInfo): string[] | null {
  if (seen.state === 'Z' || seen.startToken !== known.start_token || seen.argv.length === 0) return null;
  return sameArgv(seen.argv, known.argv) ? null : seen.argv;
}

export function sameArgv(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((part, i) => part === b[i]);
}

export function toKnown(info: ProcessInfo): KnownProcess {
  return { pid: info.pid, start_token: info.startToken, argv: info.argv };
}
