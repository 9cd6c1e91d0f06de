// An action through api-gateway -> eva-os really uses memory-engine (a session, the goal
// and the result are stored) and openclaw (the tool runs in its worker).
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFleetScope, eventually, getJson, postJson, stop, type FleetScope, type RunningService } from './fleet-harness.ts';

describe('eva-os actions', () => {
  let scope: FleetScope;
  let memory: RunningService;
  let openclaw: RunningService;
  let eva: RunningService;
  let gateway: RunningService;

  beforeAll(async () => {
    scope = await createFleetScope();
    memory = await scope.startHealthy('memory-engine');
    openclaw = await scope.startHealthy('openclaw');
    eva = await scope.startHealthy('eva-os', { upstreams: { 'memory-engine': memory, openclaw } });
    gateway = await scope.startHealthy('api-gateway', { upstreams: { 'memory-engine': memory, openclaw, 'eva-os': eva } });
  });
  afterAll(async () => {
    await scope.cleanup();
  });

  it('plans, stores the goal, runs the tool in openclaw and stores the result', async () => {
    const action = await postJson(`${gateway.url}/v1/action`, { goal: 'hash this: evidence not assertions' });
    expect(action.status).toBe(200);
    expect(action.body.plan.map((s: { kind: string }) => s.kind)).toEqual(['session', 'remember', 'tool', 'remember']);
    expect(action.body.results.map((r: { status: string }) => r.status)).toEqual(['ok', 'ok', 'ok', 'ok']);
    const tool = action.body.results[2].output;
    expect(tool.output.sha256).toBe(createHash('sha256').update('evidence not assertions').digest('hex'));
    // It ran in openclaw's worker, whose pid openclaw reports.
    expect(tool.worker_pid).toBe((await getJson(`${openclaw.url}/healthz`)).body.worker_pid);

    const sessionId: string = action.body.session_id;
    const stored = await getJson(`${memory.url}/v1/sessions/${sessionId}/memories`);
    expect(stored.body.memories.map((m: { text: string }) => m.text)).toEqual([
      `result of sha256: ${JSON.stringify(tool.output)}`,
      'goal: hash this: evidence not assertions',
    ]);
  });

  it('adds to an existing session, and answers 404 for a session that does not exist', async () => {
    const session = (await postJson(`${memory.url}/v1/sessions`, {})).body.id as string;
    const action = await postJson(`${eva.url}/v1/action`, { goal: 'sort: pear, apple, fig', session_id: session });
    expect(action.body.results[2].output.output.text).toBe('apple\nfig\npear');
    expect((await getJson(`${memory.url}/v1/sessions/${session}`)).body.memory_count).toBe(2);

    const missing = await postJson(`${eva.url}/v1/action`, { goal: 'count words', session_id: 'NO-SUCH-SESSION' });
    expect(missing.status).toBe(404);
    expect(missing.body.results.map((r: { status: string }) => r.status)).toEqual(['failed', 'skipped', 'skipped', 'skipped']);
  });

  it('fails with 502 naming openclaw when openclaw is down, and /healthz turns 503', async () => {
    expect((await stop(openclaw)).code).toBe(0);
    const action = await postJson(`${gateway.url}/v1/action`, { goal: 'hash this: x' });
    // eva-os answered 502; the gateway reports that as an upstream error from eva-os, keeping its body.
    expect(action.status).toBe(502);
    expect(action.body).toMatchObject({ upstream: 'eva-os', upstream_status: 502 });
    expect(action.body.upstream_body).toMatchObject({ error: 'upstream_unreachable', upstream: 'openclaw' });
    expect(action.body.upstream_body.results.map((r: { status: string }) => r.status)).toEqual(['ok', 'ok', 'failed', 'skipped']);
    const unhealthy = await eventually(async () => (await getJson(`${eva.url}/healthz`)).status === 503);
    expect(unhealthy).toBe(true);
    expect((await getJson(`${eva.url}/healthz`)).body).toMatchObject({ reason: 'upstream_down', upstreams: { openclaw: { reachable: false } } });
  });
});
