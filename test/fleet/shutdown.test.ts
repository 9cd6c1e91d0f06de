// Every service stops cleanly and quickly on SIGTERM and SIGINT (exit 0), and a stream in
// flight when the signal arrives is finished, not cut.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { childPids, createFleetScope, eventually, hasExited, stop, type FleetScope, type RunningService, type ServiceName } from './fleet-harness.ts';

const SERVICES: ServiceName[] = ['memory-engine', 'model-router', 'openclaw', 'pipecat', 'eva-os', 'api-gateway'];

describe('graceful shutdown', () => {
  let scope: FleetScope;
  const stopMs: Record<string, number> = {};
  /** Upstreams for pipecat and eva-os, which are only healthy when theirs are. */
  const deps: Partial<Record<ServiceName, RunningService>> = {};

  beforeAll(async () => {
    scope = await createFleetScope();
    deps['memory-engine'] = await scope.startHealthy('memory-engine', { env: { MEMORY_DB: `${scope.stateDir}/deps.sqlite` } });
    deps['model-router'] = await scope.startHealthy('model-router', { upstreams: deps });
    deps.openclaw = await scope.startHealthy('openclaw');
  });
  afterAll(async () => {
    console.log(`stop ms (signal to exit): ${JSON.stringify(stopMs)}`);
    await scope.cleanup();
  });

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    for (const name of SERVICES) {
      it(`${name} exits 0 within 1 s of ${signal}`, async () => {
        const service = await scope.startHealthy(name, { upstreams: deps });
        const exit = await stop(service, signal);
        stopMs[`${name} ${signal}`] = exit.at;
        expect(exit).toMatchObject({ code: 0, signal: null });
        expect(exit.at).toBeLessThan(1000);
        expect(service.output()).toContain(`${signal} received: stopping`);
      });
    }
  }

  for (const name of ['memory-engine', 'model-router'] as const) {
    it(`${name} exits 0 when stopped during its warm-up`, async () => {
      const service = await scope.start(name);
      expect(await eventually(() => service.output().includes('(warming up)'), 3000)).toBe(true);
      const exit = await stop(service, 'SIGTERM');
      expect(exit).toMatchObject({ code: 0, signal: null });
      expect(service.output()).not.toContain('ready after');
    });
  }

  it.skipIf(process.platform !== 'linux')('openclaw stopped while its worker is still starting leaves no worker behind', async () => {
    const openclaw = await scope.start('openclaw');
    let workerPid = 0;
    expect(
      await eventually(() => {
        workerPid = childPids(openclaw.pid)[0] ?? 0;
        return workerPid !== 0;
      }, 3000),
    ).toBe(true);
    scope.track(workerPid, 'openclaw-worker.ts');
    const exit = await stop(openclaw, 'SIGTERM');
    expect(exit).toMatchObject({ code: 0, signal: null });
    expect(openclaw.output()).not.toContain('ready after');
    expect(await eventually(() => hasExited(workerPid))).toBe(true);
  });

  it('finishes a stream that is under way when SIGTERM arrives, then exits 0', async () => {
    const router: RunningService = await scope.startHealthy('model-router');
    const response = await fetch(`${router.url}/v1/complete`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ prompt: 'tell me what the console saw during the long night of the soak', stream: true }),
    });
    const reader = response.body?.getReader();
    if (reader === undefined) throw new Error('no body');
    const first = await reader.read();
    expect(first.done).toBe(false);
    const stopping = stop(router, 'SIGTERM');
    let text = new TextDecoder().decode(first.value);
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) text += new TextDecoder().decode(chunk.value);
    const lines = text.trim().split('\n').map((l) => JSON.parse(l) as { type: string });
    expect(lines.at(-1)).toMatchObject({ type: 'done', tokens: 48 });
    expect(lines.filter((l) => l.type === 'token')).toHaveLength(48);
    expect((await stopping).code).toBe(0);
    expect(router.output()).toContain('SIGTERM received: stopping (1 request(s) in flight)');
  });
});
