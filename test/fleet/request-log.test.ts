// Each request is one log line, but a health check only when its answer changed: a
// supervisor probing every second would otherwise bury every other line in the log.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFleetScope, eventually, getJson, stop, type FleetScope } from './fleet-harness.ts';

function linesOf(output: string, what: string): string[] {
  return output.split('\n').filter((line) => line.includes(what));
}

describe('the request log', () => {
  let scope: FleetScope;

  beforeEach(async () => {
    scope = await createFleetScope();
  });
  afterEach(async () => {
    await scope.cleanup();
  });

  it('logs every other request, and a health check only when its status differs from the last one', async () => {
    const router = await scope.startHealthy('model-router');
    const pipecat = await scope.startHealthy('pipecat', { upstreams: { 'model-router': router } });
    for (let i = 0; i < 4; i++) expect((await getJson(`${pipecat.url}/healthz`)).status).toBe(200);
    for (let i = 0; i < 3; i++) expect((await getJson(`${pipecat.url}/nowhere`)).status).toBe(404);
    // Lines are written when each response closes: wait for the last of them.
    expect(await eventually(() => linesOf(pipecat.output(), 'GET /nowhere 404').length === 3, 10_000)).toBe(true);
    expect(linesOf(pipecat.output(), 'GET /healthz 200')).toHaveLength(1);

    await stop(router);
    // pipecat caches its upstream's health for a second: ask until it answers 503, then twice more.
    expect(await eventually(async () => (await getJson(`${pipecat.url}/healthz`)).status === 503, 10_000)).toBe(true);
    for (let i = 0; i < 2; i++) expect((await getJson(`${pipecat.url}/healthz`)).status).toBe(503);
    expect(await eventually(() => linesOf(pipecat.output(), 'GET /healthz 503').length >= 1, 10_000)).toBe(true);
    await getJson(`${pipecat.url}/nowhere`);
    expect(await eventually(() => linesOf(pipecat.output(), 'GET /nowhere 404').length === 4, 10_000)).toBe(true);
    const health = linesOf(pipecat.output(), 'GET /healthz').map((line) => /GET \/healthz (\d{3}) /.exec(line)?.[1]);
    // The starting 503 waitHealthy saw (if it saw one), one 200, one 503 once the router was gone.
    expect(health.slice(-2)).toEqual(['200', '503']);
    expect(health.length).toBeLessThanOrEqual(3);
  });
});
