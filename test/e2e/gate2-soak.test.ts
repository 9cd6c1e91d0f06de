// Gate 2 through the real CLI on the real demo fleet (ports 17600–17650), in seconds-long
// "minutes": a short soak that passes and that verify recomputes minute by minute from the
// stored histograms and samples; an operator's abort, which ends it INTERRUPTED with the
// fleet stopped; and the plans it refuses.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { killAndWait } from '../helpers/kill-and-wait.ts';
import { PASSABLE, soakFixture } from '../helpers/soak-fixture.ts';

const fixtures: ReturnType<typeof soakFixture>[] = [];
afterAll(async () => {
  for (const f of fixtures) await f.cleanUp();
}, 60_000);

function fixture(options: Partial<Parameters<typeof soakFixture>[0]> = {}) {
  const f = soakFixture({ shift: 10600, ...options });
  fixtures.push(f);
  return f;
}

const SHORT = ['--minute', '3s', '--warmup', '3s', '--interval', '1s'];

describe('evident gate gate2', () => {
  it('passes a short soak on the demo fleet, and verify recomputes every minute from the stored evidence', async () => {
    const t = fixture({ sessions: true, criteria: PASSABLE });
    const result = await t.cli('gate', 'gate2', '--duration', '12s', ...SHORT);
    expect(result.exitCode, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toMatch(/run \w+ started \(a trial: shortened parameters\): soak for 12s \(minutes of 3s\), warm-up 3s, samples every 1s/);
    expect(result.stdout).toMatch(/minute 1\/4 \(warm-up\): \d+ request\(s\)/);
    expect(result.stdout).toContain('gate2 PASSED');
    const run = t.runDir() as string;
    const names = readdirSync(run);
    expect(names.filter((n) => /^gate2-metrics-minute-\d{4}\.json$/.test(n)).sort()).toEqual([1, 2, 3, 4].map((m) => `gate2-metrics-minute-000${m}.json`));

    const summary = t.summary(run);
    expect(summary).toMatchObject({ status: 'PASSED', trial: true, minute_s: 3, minutes_expected: 4, minutes_recorded: 4, baseline_minute: 2, first_breach: null });
    const names_ = (summary.criteria_results as { name: string; measured: number | null }[]).map((c) => c.name);
    expect(new Set(names_)).toEqual(new Set(['max_error_rate', 'max_memory_growth', 'max_restarts', 'p95_stability_factor', 'no_stuck_session', 'sustained:p95_ms>2000x3', 'complete_observations', 'traffic_achieved']));
    expect((summary.criteria_results as { name: string; service?: string; measured: number | null }[]).filter((c) => c.name === 'max_memory_growth' && c.measured !== null)).toHaveLength(6);

    // The rate held: every endpoint sent what its schedule asked for (12 s at 1, 0.5 and 0.25 req/s).
    const minutes = [1, 2, 3, 4].map((m) => JSON.parse(readFileSync(join(run, `gate2-metrics-minute-000${m}.json`), 'utf8')) as { endpoints: { name: string; sent: number; requests: number }[]; services: { rss_bytes_samples: number[] }[] });
    const sent = (name: string) => minutes.reduce((a, m) => a + (m.endpoints.find((e) => e.name === name)?.sent ?? 0), 0);
    expect([sent('chat'), sent('action'), sent('tool')]).toEqual([12, 6, 3]);
    expect(sent('session')).toBe(1);
    expect(minutes.every((m) => m.services.every((s) => s.rss_bytes_samples.length >= 2))).toBe(true);

    // No record per request: the journal holds minutes, not 10,000s of lines.
    const journal = readFileSync(join(run, 'journal.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { type: string });
    expect(journal.filter((r) => r.type === 'soak.minute')).toHaveLength(4);
    expect(journal.length).toBeLessThan(80);

    const verified = await t.cli('verify', run);
    expect(verified.exitCode, verified.stdout + verified.stderr).toBe(0);
    expect(verified.stdout).toMatch(/ok +summary .*PASSED: equals soak judge/);
    expect(verified.stdout).toMatch(/ok +evidence +the Gate 2 files beside the journal agree with it/);
    // The fleet was stopped at the end: nothing answers on its ports.
    for (const port of t.ports) expect(await fetch(`http://127.0.0.1:${port}/healthz`).then(() => 'answered', () => 'closed')).toBe('closed');
  }, 90_000);

  it('ends INTERRUPTED when an operator aborts it, naming who, with the fleet stopped', async () => {
    const t = fixture();
    const runner = t.start('--duration', '60s', ...SHORT);
    try {
      await t.waitForMinute(1);
      const aborted = await t.cli('gate', 'gate2', '--abort', '--reason', 'host maintenance');
      expect(aborted.exitCode, aborted.stdout + aborted.stderr).toBe(0);
      expect(await runner.exited).toBe(1);
    } finally {
      await killAndWait(runner.child);
    }
    const run = t.runDir() as string;
    const summary = t.summary(run);
    expect(summary.status).toBe('INTERRUPTED');
    expect(summary.reasons[0]).toMatch(/^aborted by .+: host maintenance$/);
    expect(summary.minutes_recorded).toBeLessThan(20);
    expect((await t.cli('verify', run)).exitCode).toBe(0);
    for (const port of t.ports) expect(await fetch(`http://127.0.0.1:${port}/healthz`).then(() => 'answered', () => 'closed')).toBe('closed');
  }, 90_000);

  it('refuses plans it cannot judge, saying why (exit 2), and runs nothing', async () => {
    const t = fixture();
    const cases: [string[], RegExp][] = [
      [['--duration', '10s', '--minute', '3s'], /a soak runs whole minutes of 3s: 10s is not a whole number of them \(try 9s\)/],
      [['--duration', '12s', '--minute', '3s', '--warmup', '12s'], /the warm-up \(12s\) leaves no minute of the 12s soak to judge/],
      [['--duration', '12s', '--minute', '3s', '--interval', '5s'], /the sample interval \(5s\) is longer than a minute \(3s\)/],
      [['--cycles', '2'], /--cycles applies to a start\/stop gate, not to a soak/],
      [['--duration', 'soon'], /--duration: expected a duration such as 20s, 30m or 48h, got "soon"/],
    ];
    for (const [args, message] of cases) {
      const result = await t.cli('gate', 'gate2', ...args);
      expect(result.exitCode, args.join(' ')).toBe(2);
      expect(result.stderr).toMatch(message);
    }
    expect(existsSync(join(t.dir, 'artifacts')) ? readdirSync(join(t.dir, 'artifacts')).filter((n) => n !== 'operator') : []).toEqual([]);

    // A target the contract does not have: refused before any run is recorded.
    const elsewhere = fixture({ target: 'web-frontend' });
    const refused = await elsewhere.cli('gate', 'gate2', '--duration', '12s', ...SHORT);
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr).toMatch(/evident gate gate2: the traffic target "web-frontend" is not a service of the contract .* \(its services: memory-engine, model-router, openclaw, pipecat, eva-os, api-gateway\)/);
    expect(elsewhere.runDir()).toBeNull();
  }, 60_000);
});
