// Whether, and when, a service that ended on its own is started again: a pure function of
// its contract's restart policy, how it ended and when it was last restarted, so the rule
// is read and tested in one place. fleet-auto-restart.ts acts on the answer.
import type { RestartPolicy } from '../contract/restart-policy.ts';

/** How the service ended: `observed` false when evident was not its parent (code and signal then unknown). */
export interface ServiceEnd {
  code: number | null;
  signal: string | null;
  observed: boolean;
  /** Set when what failed was a restart itself (it did not become healthy): always a failure. */
  startFailure?: string;
}

export type RestartDecision =
  | { restart: true; delayMs: number; attempt: number }
  | { restart: false; reason: string; gaveUp: boolean };

/** `restartsAt`: when each earlier automatic restart was decided (ms), oldest first. */
export function decideRestart(policy: RestartPolicy, end: ServiceEnd, restartsAt: readonly number[], now: number): RestartDecision {
  if (policy.policy === 'no') return { restart: false, reason: 'its restart policy is "no"', gaveUp: false };
  const clean = end.startFailure === undefined && end.observed && end.signal === null && end.code === 0;
  if (policy.policy === 'on-failure' && clean) {
    return { restart: false, reason: 'it exited with code 0 and its restart policy is "on-failure"', gaveUp: false };
  }
  const inWindow = restartsAt.filter((at) => at > now - policy.window_s * 1000).length;
  if (inWindow >= policy.limit) {
    return {
      restart: false,
      reason: `restarted ${inWindow} ${inWindow === 1 ? 'time' : 'times'} in the last ${policy.window_s} s, its limit: left failed until an operator starts it`,
      gaveUp: true,
    };
  }
  const delayS = Math.min(policy.delay_s * 2 ** inWindow, policy.max_delay_s);
  return { restart: true, delayMs: Math.round(delayS * 1000), attempt: inWindow + 1 };
}

/** `exit code 3`, `SIGSEGV`, `an exit evident could not see`, or the failed restart. */
export function describeEnd(end: ServiceEnd): string {
  if (end.startFailure !== undefined) return `the restart failed: ${end.startFailure}`;
  if (!end.observed) return 'an exit evident could not see';
  if (end.signal !== null) return end.signal;
  return `exit code ${end.code ?? '?'}`;
}
