// The public front door end to end: chat streams through api-gateway -> pipecat ->
// model-router (-> memory-engine for context); upstream failures become 502 / 504.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFleetScope, getJson, postJson, stop, type FleetScope, type RunningService } from './fleet-harness.ts';

interface Chunked {
  status: number;
  contentType: string | null;
  /** performance.now() of each chunk read from the body. */
  times: number[];
  lines: any[];
}

async function readChunks(url: string, body: unknown): Promise<Chunked> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), signal: AbortSignal.timeout(10_000) });
  const times: number[] = [];
  let text = '';
  const decoder = new TextDecoder();
  if (response.body === null) throw new Error('no body');
  for await (const chunk of response.body) {
    times.push(performance.now());
    text += decoder.decode(chunk, { stream: true });
  }
  const lines = text.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l));
  return { status: response.status, contentType: response.headers.get('content-type'), times, lines };
}

describe('api-gateway', () => {
  let scope: FleetScope;
  let memory: RunningService;
  let router: RunningService;
  let pipecat: RunningService;
  let openclaw: RunningService;
  let gateway: RunningService;

  beforeAll(async () => {
    scope = await createFleetScope();
    memory = await scope.startHealthy('memory-engine');
    router = await scope.startHealthy('model-router', { upstreams: { 'memory-engine': memory } });
    pipecat = await scope.startHealthy('pipecat', { upstreams: { 'model-router': router } });
    openclaw = await scope.startHealthy('openclaw', { env: { EVIDENT_FAULTS: '1' } });
    gateway = await scope.startHealthy('api-gateway', {
      upstreams: { 'memory-engine': memory, 'model-router': router, pipecat, openclaw },
      env: { GATEWAY_UPSTREAM_TIMEOUT_MS: '500' },
    });
  });
  afterAll(async () => {
    await scope.cleanup();
  });

  it('streams a chat as several chunks over time, framed by pipecat from model-router tokens', async () => {
    const chat = await readChunks(`${gateway.url}/v1/chat`, { message: 'tell me what the console saw during the long night of the soak' });
    expect(chat.status).toBe(200);
    expect(chat.contentType).toContain('application/x-ndjson');
    // Streamed, not buffered: many reads, spread over the time the tokens took to arrive.
    expect(chat.times.length).toBeGreaterThanOrEqual(4);
    expect((chat.times.at(-1) ?? 0) - (chat.times[0] ?? 0)).toBeGreaterThan(50);
    const types = chat.lines.map((l) => l.type);
    expect(types[0]).toBe('start');
    expect(types.at(-1)).toBe('end');
    const frames = chat.lines.filter((l) => l.type === 'frame');
    expect(frames.length).toBeGreaterThanOrEqual(3);
    expect(frames.map((f) => f.seq)).toEqual(frames.map((_, i) => i));
    expect(chat.lines.at(-1)).toMatchObject({ type: 'end', model: 'scribe-2', frames: frames.length, tokens: 48 });

    // The toy models are seeded by the prompt: the same prompt gives the same words.
    const again = await readChunks(`${gateway.url}/v1/chat`, { message: 'tell me what the console saw during the long night of the soak' });
    expect(again.lines.filter((l) => l.type === 'frame').map((f) => f.text)).toEqual(frames.map((f) => f.text));
  });

  it('reads session memories into the completion when given a session_id', async () => {
    const session = await postJson(`${gateway.url}/v1/sessions`, {});
    expect(session.status).toBe(201);
    await postJson(`${memory.url}/v1/sessions/${session.body.id}/memories`, { text: 'the reviewer signed the summary' });
    const chat = await readChunks(`${gateway.url}/v1/chat`, { message: 'status', session_id: session.body.id });
    expect(chat.lines[0]).toMatchObject({ type: 'start', context: { status: 'used', memories: 1 } });
    expect((await getJson(`${gateway.url}/v1/sessions/${session.body.id}`, { method: 'DELETE' })).status).toBe(200);
    expect((await getJson(`${gateway.url}/v1/sessions/${session.body.id}`, { method: 'DELETE' })).status).toBe(404);
  });

  it('passes the caller’s mistakes (4xx) through and reports its upstreams in /healthz', async () => {
    const unknown = await postJson(`${gateway.url}/v1/tools/run`, { tool: 'rm', input: '-rf' });
    expect(unknown).toMatchObject({ status: 400, body: { error: 'unknown_tool' } });
    expect((await postJson(`${gateway.url}/v1/chat`, {})).status).toBe(400);
    const health = await getJson(`${gateway.url}/healthz`);
    expect(health.status).toBe(200);
    expect(health.body.upstreams.pipecat).toMatchObject({ reachable: true, healthy: true, status: 200 });
    // eva-os is not started in this file: unreachable, yet the gateway itself is healthy.
    expect(health.body.upstreams['eva-os']).toMatchObject({ reachable: false, healthy: false });
    expect(health.body.upstreams_healthy).toBe(4);
  });

  it('turns an upstream 5xx into 502 and a slow upstream into 504', async () => {
    expect((await postJson(`${openclaw.url}/__faults`, { error_rate: 1 })).status).toBe(200);
    const failed = await postJson(`${gateway.url}/v1/tools/run`, { tool: 'sha256', input: 'x' });
    expect(failed).toMatchObject({ status: 502, body: { error: 'upstream_error', upstream: 'openclaw', upstream_status: 500 } });

    await postJson(`${openclaw.url}/__faults`, { reset: true, stall_ms: 1500 });
    const slow = await postJson(`${gateway.url}/v1/tools/run`, { tool: 'sha256', input: 'x' });
    expect(slow).toMatchObject({ status: 504, body: { error: 'upstream_timeout', upstream: 'openclaw' } });
    await postJson(`${openclaw.url}/__faults`, { reset: true });
    expect((await postJson(`${gateway.url}/v1/tools/run`, { tool: 'sha256', input: 'x' })).status).toBe(200);
  });

  it('answers 502 when pipecat is down, and stays healthy itself', async () => {
    expect((await stop(pipecat)).code).toBe(0);
    const chat = await postJson(`${gateway.url}/v1/chat`, { message: 'hello' });
    expect(chat).toMatchObject({ status: 502, body: { error: 'upstream_unreachable', upstream: 'pipecat' } });
    expect(chat.body.message).toContain('ECONNREFUSED');
    await new Promise((resolve) => setTimeout(resolve, 1100)); // past the 1 s health cache
    const health = await getJson(`${gateway.url}/healthz`);
    expect(health.status).toBe(200);
    expect(health.body.upstreams.pipecat).toMatchObject({ reachable: false, healthy: false });
  });
});
