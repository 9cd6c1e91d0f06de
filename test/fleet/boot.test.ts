// Each of the six services boots from `node fleet/<name>.ts` and answers GET /healthz
// with 200 after a visible warm-up; the exec probe script judges health. How long a boot
// takes is a figure for bench/ (printed here too), never an assertion: these machines are
// shared, and a slow day must not fail a correct service. Every wait is on a condition.
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FLEET_DIR, createFleetScope, eventually, getJson, stop, type FleetScope, type RunningService, type ServiceName } from './fleet-harness.ts';

describe('fleet boot', () => {
  let scope: FleetScope;
  const running: Partial<Record<ServiceName, RunningService>> = {};
  const bootMs: Record<string, number> = {};

  beforeAll(async () => {
    scope = await createFleetScope();
  });
  afterAll(async () => {
    // Boot figures for the report: a figure, not an assertion.
    console.log(`boot ms (spawn to first 200): ${JSON.stringify(bootMs)}`);
    await scope.cleanup();
  });

  // In dependency order, each with its upstreams already up, as the contract starts them.
  const order: ServiceName[] = ['memory-engine', 'model-router', 'openclaw', 'pipecat', 'eva-os', 'api-gateway'];
  for (const name of order) {
    it(`${name} answers /healthz 200 after its warm-up`, async () => {
      const service = await scope.startHealthy(name, { upstreams: running });
      running[name] = service;
      bootMs[name] = service.boot.ms;
      // openclaw opens its port only when ready (its contract probe is tcp); the others say "starting" first.
      expect(service.boot.sawStarting).toBe(name !== 'openclaw');
      const health = await getJson(`${service.url}/healthz`);
      expect(health.status).toBe(200);
      expect(health.body).toMatchObject({ status: 'ok', service: name, pid: service.pid });
      expect(health.body.uptime_s).toBeGreaterThan(0);
      expect(health.body.boot_ms).toBeGreaterThanOrEqual(300);
    });
  }

  it('every request is one line on stdout', async () => {
    const gateway = running['api-gateway'];
    expect(gateway).toBeDefined();
    if (gateway === undefined) return;
    const reply = await fetch(`${gateway.url}/no-such-route`);
    expect(reply.status).toBe(404);
    const rid = reply.headers.get('x-request-id') ?? 'missing';
    const line = new RegExp(`^\\S+ INFO api-gateway GET /no-such-route 404 [\\d.]+ms rid=${rid}$`, 'm');
    expect(await eventually(() => line.test(gateway.output()), 30_000)).toBe(true);
    expect(gateway.output().match(new RegExp(rid, 'g'))).toHaveLength(1);
  });

  it('healthcheck.mjs exits 0 for a 2xx, 1 for a 503 or no answer, 2 when called wrongly', async () => {
    const probe = (...args: string[]) => spawnSync(process.execPath, ['healthcheck.mjs', ...args], { cwd: FLEET_DIR, encoding: 'utf8', timeout: 10_000 });
    const eva = running['eva-os'];
    const router = running['model-router'];
    expect(eva).toBeDefined();
    expect(router).toBeDefined();
    if (eva === undefined || router === undefined) return;
    expect(probe(`${eva.url}/healthz`).status).toBe(0);
    expect(probe(`http://127.0.0.1:${scope.deadPort}/healthz`).status).toBe(1);
    expect(probe().status).toBe(2);
    // With model-router gone, pipecat says 503 (once its 1 s upstream cache expires) and
    // the probe of it fails.
    await stop(router);
    const pipecat = running['pipecat'];
    if (pipecat === undefined) throw new Error('pipecat not started');
    let result = probe(`${pipecat.url}/healthz`);
    expect(await eventually(() => (result = probe(`${pipecat.url}/healthz`)).status !== 0, 30_000)).toBe(true);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('503');
  });
});
