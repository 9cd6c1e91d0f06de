// `evident watch --plain` on a real Gate 2 runner driving the real demo fleet (ports
// 18000–18050), in seconds-long "minutes": started while the runner warms up, it prints
// every minute as its file appears and exits with the verdict's code, and what it said
// of the run agrees with the summary the runner's judge wrote.
import { afterAll, describe, expect, it } from 'vitest';
import { killAndWait } from '../helpers/kill-and-wait.ts';
import { startCli } from '../helpers/run-cli.ts';
import { PASSABLE, soakFixture } from '../helpers/soak-fixture.ts';

const t = soakFixture({ shift: 11000, criteria: PASSABLE });
afterAll(() => t.cleanUp(), 60_000);

describe('evident watch on a live soak', () => {
  it('follows the runner minute by minute and exits with the verdict', async () => {
    const runner = t.start('--duration', '12s', '--minute', '3s', '--warmup', '3s', '--interval', '1s');
    try {
      const run = await t.waitForMinute(1);
      const watch = startCli(['watch', '--json', '--interval', '200'], { env: t.env });
      try {
        expect(await watch.exited).toBe(0);
      } finally {
        await killAndWait(watch.child);
      }
      expect(await runner.exited).toBe(0);
      const said = watch
        .output()
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as Record<string, any>);
      expect(said.map((o) => o.type)).toEqual(['start', 'minute', 'minute', 'minute', 'minute', 'end']);
      expect(said[0]).toMatchObject({ gate: 'gate2', trial: true, minutes_expected: 4, minute_s: 3, baseline_minute: 2, dir: run });
      const summary = t.summary(run);
      expect(said.at(-1)).toMatchObject({ status: 'PASSED', exit_code: 0 });
      expect(summary.status).toBe('PASSED');
      // Each minute as the judge read it: its requests and its p95 recomputed from the histogram.
      const minutes = summary.minutes as { minute: number; requests: number; p95_ms: number | null }[];
      expect(said.slice(1, 5).map((o) => [o.minute, o.requests, o.p95_ms])).toEqual(minutes.map((m) => [m.minute, m.requests, m.p95_ms]));
    } finally {
      await killAndWait(runner.child);
    }
  }, 90_000);
});
