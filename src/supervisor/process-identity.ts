// The proof that a pid still belongs to the process we recorded: same start token and
// same command line. Pure, so every signal site makes the same decision.
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
  if (!sameArgv(seen.argv, known.argv)) {
    return {
      same: false,
      reason: `pid ${known.pid} now runs \`${seen.argv.join(' ')}\`, not \`${known.argv.join(' ')}\``,
    };
  }
  return { same: true };
}

export function sameArgv(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((part, i) => part === b[i]);
}

export function toKnown(info: ProcessInfo): KnownProcess {
  return { pid: info.pid, start_token: info.startToken, argv: info.argv };
}
