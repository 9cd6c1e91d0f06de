import { describe, expect, it } from 'vitest';
import { resolveRestart } from '../../src/contract/restart-policy.ts';
import { decideRestart, describeEnd } from '../../src/supervisor/restart-decision.ts';

const crash = { code: 1, signal: null, observed: true };
const clean = { code: 0, signal: null, observed: true };
const unseen = { code: null, signal: null, observed: false };

describe('decideRestart', () => {
  it('never restarts under "no", and an absent restart is "no"', () => {
    expect(decideRestart(resolveRestart(undefined), crash, [], 0)).toMatchObject({ restart: false, gaveUp: false });
  });

  it('"on-failure" restarts a crash, a signal and an unseen exit, but not a clean exit', () => {
    const policy = resolveRestart({ policy: 'on-failure' });
    expect(decideRestart(policy, crash, [], 0)).toEqual({ restart: true, delayMs: 1000, attempt: 1 });
    expect(decideRestart(policy, { code: null, signal: 'SIGSEGV', observed: true }, [], 0).restart).toBe(true);
    expect(decideRestart(policy, unseen, [], 0).restart).toBe(true);
    expect(decideRestart(policy, clean, [], 0)).toMatchObject({ restart: false, gaveUp: false });
    expect(decideRestart(policy, { ...clean, startFailure: 'probe failed' }, [], 0).restart).toBe(true);
  });

  it('"always" restarts a clean exit too', () => {
    expect(decideRestart(resolveRestart({ policy: 'always' }), clean, [], 0).restart).toBe(true);
  });

  it('doubles the delay with each restart in the window, up to max_delay_s', () => {
    const policy = resolveRestart({ policy: 'always', delay_s: 0.5, max_delay_s: 3, limit: 10, window_s: 60 });
    const delays = [0, 1, 2, 3, 4].map((n) => decideRestart(policy, crash, Array.from({ length: n }, (_, i) => 1000 + i), 2000));
    expect(delays.map((d) => (d.restart ? d.delayMs : -1))).toEqual([500, 1000, 2000, 3000, 3000]);
    expect(delays.map((d) => (d.restart ? d.attempt : -1))).toEqual([1, 2, 3, 4, 5]);
  });

  it('gives up past the limit within the window, and counts only restarts inside it', () => {
    const policy = resolveRestart({ policy: 'on-failure', limit: 2, window_s: 10 });
    const gaveUp = decideRestart(policy, crash, [1_000, 2_000], 5_000);
    expect(gaveUp).toMatchObject({ restart: false, gaveUp: true });
    if (!gaveUp.restart) expect(gaveUp.reason).toContain('restarted 2 times in the last 10 s');
    // The first restart left the window: one more is allowed, at the second delay.
    expect(decideRestart(policy, crash, [1_000, 2_000], 11_500)).toEqual({ restart: true, delayMs: 2000, attempt: 2 });
  });

  it('a max_delay_s below delay_s is raised to it', () => {
    expect(resolveRestart({ policy: 'always', delay_s: 5, max_delay_s: 1 }).max_delay_s).toBe(5);
  });

  it('describes how the service ended', () => {
    expect(describeEnd(crash)).toBe('exit code 1');
    expect(describeEnd({ code: null, signal: 'SIGKILL', observed: true })).toBe('SIGKILL');
    expect(describeEnd(unseen)).toBe('an exit evident could not see');
    expect(describeEnd({ ...unseen, startFailure: 'probe failed' })).toBe('the restart failed: probe failed');
  });
});
