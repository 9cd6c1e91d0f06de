// Gate 2 catches what the traffic meets (demo fleet on ports 17800–17850, the faults control
// on): 1 % of requests failing fails it on max_error_rate, a stalled service on
// no_stuck_session (its requests and probes time out). Each test loosens the criteria it
// does not examine, so the one it names is the one that must fail.
import { afterAll, describe, expect, it } from 'vitest';
import { killAndWait } from '../helpers/kill-and-wait.ts';
import { LOOSE, sessionTraffic, soakFixture, type SoakTestOptions } from '../helpers/soak-fixture.ts';
import { until } from '../helpers/wait.ts';

const fixtures: ReturnType<typeof soakFixture>[] = [];
afterAll(async () => {
  for (const f of fixtures) await f.cleanUp();
}, 60_000);

const SHORT = ['--minute', '3s', '--warmup', '3s', '--interval', '1s'];

/** A soak of `duration` with `inject` run once it is under way; ends FAILED, and its evidence verifies. */
async function soakWithFault(options: Omit<SoakTestOptions, 'shift'>, duration: string, inject: (t: ReturnType<typeof soakFixture>) => Promise<void>) {
  const t = soakFixture({ shift: 10800, ...options });
  fixtures.push(t);
  const runner = t.start('--duration', duration, ...SHORT);
  try {
    await inject(t);
    expect(await runner.exited, runner.output()).toBe(1);
  } finally {
    await killAndWait(runner.child);
  }
  const run = t.runDir() as string;
  const summary = t.summary(run);
  expect(summary.status).toBe('FAILED');
  expect((await t.cli('verify', run)).exitCode).toBe(0);
  return { summary, output: runner.output() };
}

describe('Gate 2 faults the traffic meets', () => {
  it('fails a 1 % error rate on max_error_rate, with the measured rate beside the limit', async () => {
    // 100 requests a second, so 1 % is a rate within seconds: ~30 errors in 30 s, the limit 0.5 %.
    const { summary, output } = await soakWithFault({ endpoints: sessionTraffic(100, 10_000), criteria: { ...LOOSE, max_error_rate: 0.005 } }, '30s', async (t) => {
      // From the first request on: the gateway fails 1 % of what it is sent.
      await until(async () => (await t.fault('api-gateway', { error_rate: 0.01 })) === 200, 'the gateway took the fault');
    });
    expect(summary.first_breach).toMatchObject({ criterion: 'max_error_rate', limit: 0.005 });
    expect(summary.first_breach.measured).toBeGreaterThanOrEqual(0.005);
    expect(summary.first_breach.measured).toBeLessThan(0.03);
    expect(output).toMatch(/minute \d+: max_error_rate measured [\d.]+, limit 0\.005: the gate fails now/);
  }, 90_000);

  it('fails a stalled service on no_stuck_session: requests and probes past their timeout', async () => {
    const { summary } = await soakWithFault({ endpoints: sessionTraffic(5, 1000), criteria: LOOSE }, '45s', async (t) => {
      await t.waitForMinute(1);
      await t.fault('api-gateway', { stall_ms: 3000 });
    });
    expect(summary.first_breach).toMatchObject({ criterion: 'no_stuck_session', limit: 0 });
    expect(summary.first_breach.measured).toBeGreaterThan(0);
    expect(summary.minutes_recorded).toBeLessThan(15);
  }, 90_000);
});
