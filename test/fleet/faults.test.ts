// Fault injection: POST /__faults exists only with EVIDENT_FAULTS=1, and each fault is
// real (errors, stalls, retained memory, a crash with exit code 70).
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFleetScope, eventually, getJson, hasExited, postJson, type FleetScope } from './fleet-harness.ts';

/** Linux: resident set size in kB from /proc/<pid>/status. */
function rssKb(pid: number): number {
  const match = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(match?.[1] ?? 0);
}

describe('fault injection', () => {
  let scope: FleetScope;

  beforeEach(async () => {
    scope = await createFleetScope();
  });
  afterEach(async () => {
    await scope.cleanup();
  });

  it('answers 404 on /__faults when EVIDENT_FAULTS is not set, and leaves the service unharmed', async () => {
    const router = await scope.startHealthy('model-router', {});
    expect((await postJson(`${router.url}/__faults`, { crash: true })).status).toBe(404);
    expect((await getJson(`${router.url}/__faults`)).status).toBe(404);
    expect((await getJson(`${router.url}/healthz`)).status).toBe(200);
    expect(router.child.exitCode).toBeNull();
  });

  it('error_rate fails non-health requests with 500; /healthz stays 200; reset clears it', async () => {
    const router = await scope.startHealthy('model-router', { env: { EVIDENT_FAULTS: '1' } });
    expect((await postJson(`${router.url}/__faults`, { error_rate: 1 })).body).toMatchObject({ error_rate: 1 });
    const failed = await postJson(`${router.url}/v1/complete`, { prompt: 'hi' });
    expect(failed).toMatchObject({ status: 500, body: { error: 'injected_fault' } });
    expect((await getJson(`${router.url}/healthz`)).status).toBe(200);
    expect((await postJson(`${router.url}/__faults`, { error_rate: 2 })).status).toBe(400);
    await postJson(`${router.url}/__faults`, { reset: true });
    expect((await postJson(`${router.url}/v1/complete`, { prompt: 'hi' })).status).toBe(200);
  });

  it('stall_ms delays every response but the fault control itself', async () => {
    const memory = await scope.startHealthy('memory-engine', { env: { EVIDENT_FAULTS: '1' } });
    await postJson(`${memory.url}/__faults`, { stall_ms: 300 });
    const started = performance.now();
    expect((await getJson(`${memory.url}/healthz`)).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(295);
    const control = performance.now();
    await postJson(`${memory.url}/__faults`, { stall_ms: 0 });
    expect(performance.now() - control).toBeLessThan(250);
  });

  it.skipIf(process.platform !== 'linux')('leak_kb_per_s retains memory the OS can see', async () => {
    const memory = await scope.startHealthy('memory-engine', { env: { EVIDENT_FAULTS: '1' } });
    const before = rssKb(memory.pid);
    await postJson(`${memory.url}/__faults`, { leak_kb_per_s: 100_000 });
    expect(await eventually(async () => (await getJson(`${memory.url}/__faults`)).body.leaked_kb >= 40_000, 3000)).toBe(true);
    await postJson(`${memory.url}/__faults`, { leak_kb_per_s: 0 });
    expect(rssKb(memory.pid) - before).toBeGreaterThan(30_000);
  });

  it('crash exits with code 70 without a graceful stop', async () => {
    const gateway = await scope.startHealthy('api-gateway', { env: { EVIDENT_FAULTS: '1' } });
    expect((await postJson(`${gateway.url}/__faults`, { crash: true })).status).toBe(202);
    const exit = await gateway.exited;
    expect(exit).toMatchObject({ code: 70, signal: null });
    expect(gateway.output()).not.toContain('stopping');
  });

  it.skipIf(process.platform !== 'linux')('a crashed openclaw leaves no worker behind', async () => {
    const openclaw = await scope.startHealthy('openclaw', { env: { EVIDENT_FAULTS: '1' } });
    const workerPid: number = (await getJson(`${openclaw.url}/healthz`)).body.worker_pid;
    scope.track(workerPid, 'openclaw-worker.ts');
    await postJson(`${openclaw.url}/__faults`, { crash: true });
    expect((await openclaw.exited).code).toBe(70);
    expect(await eventually(() => hasExited(workerPid))).toBe(true);
  });
});
