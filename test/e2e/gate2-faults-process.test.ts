// Gate 2 catches what goes wrong inside a service (demo fleet on ports 17700–17750, the
// faults control on): a memory leak fails it on max_memory_growth naming the service, a
// crash (the runner starts the service again) on max_restarts. Each test loosens the
// criteria it does not examine, so the one it names is the one that must fail.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { killAndWait } from '../helpers/kill-and-wait.ts';
import { LOOSE, soakFixture } from '../helpers/soak-fixture.ts';

const fixtures: ReturnType<typeof soakFixture>[] = [];
afterAll(async () => {
  for (const f of fixtures) await f.cleanUp();
}, 60_000);

const SHORT = ['--duration', '45s', '--minute', '3s', '--warmup', '3s', '--interval', '1s'];

async function soakWithFault(criteria: Record<string, unknown>, service: string, fault: Record<string, unknown>) {
  const t = soakFixture({ shift: 10700, criteria: { ...LOOSE, ...criteria } });
  fixtures.push(t);
  const runner = t.start(...SHORT);
  try {
    await t.waitForMinute(1);
    await t.fault(service, fault);
    expect(await runner.exited, runner.output()).toBe(1);
  } finally {
    await killAndWait(runner.child);
  }
  const run = t.runDir() as string;
  const verified = await t.cli('verify', run);
  expect(verified.exitCode, verified.stdout).toBe(0);
  return { t, run, output: runner.output(), summary: t.summary(run) };
}

describe('Gate 2 faults inside a service', () => {
  it('fails a memory leak on max_memory_growth, naming the service, well before the end', async () => {
    const { summary, output } = await soakWithFault({ max_memory_growth: 0.05 }, 'memory-engine', { leak_kb_per_s: 8192 });
    expect(summary.status).toBe('FAILED');
    expect(summary.first_breach).toMatchObject({ criterion: 'max_memory_growth', service: 'memory-engine', limit: 0.05 });
    expect(summary.first_breach.measured).toBeGreaterThanOrEqual(0.05);
    expect(summary.minutes_recorded).toBeLessThan(15);
    expect(output).toMatch(/minute \d+: max_memory_growth \(memory-engine\) measured [\d.]+, limit 0\.05: the gate fails now/);
    const leaky = (summary.criteria_results as { name: string; service?: string; detail: string }[]).find((c) => c.name === 'max_memory_growth' && c.service === 'memory-engine');
    expect(leaky?.detail).toMatch(/^RSS \d+ → \d+ bytes \(minute 2 → \d+\)$/);
  }, 90_000);

  it('fails a crash on max_restarts: the runner starts the service again and counts it', async () => {
    const { summary, output, run } = await soakWithFault({ max_restarts: 0 }, 'openclaw', { crash: true });
    expect(summary.status).toBe('FAILED');
    expect(summary.first_breach).toMatchObject({ criterion: 'max_restarts', service: 'openclaw', measured: 1, limit: 0 });
    expect(output).toMatch(/openclaw is exited \(pid \d+ exited with code 70\): starting it again/);
    const journal = readFileSync(join(run, 'journal.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { type: string; payload: Record<string, unknown> });
    expect(journal.find((r) => r.type === 'soak.restart')?.payload).toMatchObject({ service: 'openclaw', state: 'exited' });
    expect(journal.find((r) => r.type === 'supervisor.exited')?.payload).toMatchObject({ service: 'openclaw', code: 70 });
  }, 90_000);
});
