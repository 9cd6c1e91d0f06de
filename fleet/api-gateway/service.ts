// api-gateway: the public front door. It forwards each route to the service that owns it;
// an upstream that fails becomes 502 (unreachable, 5xx, garbage) or 504 (too slow) with a
// JSON error naming it. Its /healthz is 200 while it serves and lists every upstream.
import type { ServerResponse } from 'node:http';
import { readMs, readServiceEnv, upstreamUrl } from '../lib/env.ts';
import { callJson, openStream, upstreamHttpError, upstreamStatusError, type StreamReply } from '../lib/http-client.ts';
import { runService } from '../lib/http-service.ts';
import { logError, logInfo } from '../lib/log.ts';
import { optionalString, readJsonObject, requireString, type JsonObject } from '../lib/request-body.ts';
import { sendJson } from '../lib/respond.ts';
import type { RequestContext, Route } from '../lib/routes.ts';
import { UpstreamError } from '../lib/upstream-error.ts';
import { createUpstreamHealth } from '../lib/upstream-health.ts';

const env = readServiceEnv('api-gateway', 7000);
const UPSTREAMS = {
  'model-router': upstreamUrl('MODEL_ROUTER_URL', 'http://127.0.0.1:7010'),
  'memory-engine': upstreamUrl('MEMORY_ENGINE_URL', 'http://127.0.0.1:7020'),
  pipecat: upstreamUrl('PIPECAT_URL', 'http://127.0.0.1:7030'),
  openclaw: upstreamUrl('OPENCLAW_URL', 'http://127.0.0.1:7040'),
  'eva-os': upstreamUrl('EVA_OS_URL', 'http://127.0.0.1:7050'),
};
type UpstreamName = keyof typeof UPSTREAMS;
/** Longest wait for an upstream's answer (or, for a stream, its first byte and each gap). */
const TIMEOUT_MS = readMs('GATEWAY_UPSTREAM_TIMEOUT_MS', 8000);
const upstreams = createUpstreamHealth(Object.entries(UPSTREAMS).map(([name, baseUrl]) => ({ name, baseUrl })));

/** Forwards a JSON call: 2xx and 4xx pass through, 5xx becomes 502, failures 502/504. */
async function forward(ctx: RequestContext, upstream: UpstreamName, path: string, method: string, body?: JsonObject): Promise<void> {
  try {
    const reply = await callJson(upstream, `${UPSTREAMS[upstream]}${path}`, {
      method,
      timeoutMs: TIMEOUT_MS,
      requestId: ctx.requestId,
      ...(body === undefined ? {} : { body }),
    });
    if (reply.status >= 500) throw upstreamStatusError(upstream, reply);
    sendJson(ctx.res, reply.status, reply.body);
  } catch (error) {
    throw error instanceof UpstreamError ? upstreamHttpError(error) : error;
  }
}

/** POST /v1/chat {message | text, session_id?}: pipecat's frames, passed through as they arrive. */
async function handleChat(ctx: RequestContext): Promise<void> {
  const body = await readJsonObject(ctx.req);
  const text = typeof body['message'] === 'string' ? requireString(body, 'message') : requireString(body, 'text');
  const sessionId = optionalString(body, 'session_id');
  const hangup = new AbortController();
  ctx.res.on('close', () => hangup.abort(new Error('caller hung up')));
  let reply: StreamReply;
  try {
    reply = await openStream('pipecat', `${UPSTREAMS.pipecat}/v1/pipeline`, {
      body: { text, ...(sessionId === undefined ? {} : { session_id: sessionId }) },
      requestId: ctx.requestId,
      timeoutMs: TIMEOUT_MS,
      idleTimeoutMs: TIMEOUT_MS,
      signal: hangup.signal,
    });
  } catch (error) {
    throw error instanceof UpstreamError ? upstreamHttpError(error) : error;
  }
  if (reply.status !== 200) return relayError(ctx.res, reply);
  ctx.res.writeHead(200, { 'content-type': reply.contentType || 'application/x-ndjson', 'cache-control': 'no-store', 'x-accel-buffering': 'no' });
  ctx.res.flushHeaders();
  try {
    for await (const chunk of reply.chunks()) ctx.res.write(chunk);
  } catch (error) {
    if (hangup.signal.aborted) return;
    // Headers are gone: tell the client in-band, in the stream's own format.
    const kind = error instanceof UpstreamError ? error.kind : 'internal';
    logError('chat stream from pipecat failed', error);
    ctx.res.write(`${JSON.stringify({ type: 'error', error: kind, message: error instanceof Error ? error.message : String(error), upstream: 'pipecat' })}\n`);
  }
  ctx.res.end();
}

async function relayError(res: ServerResponse, reply: StreamReply): Promise<void> {
  let text = '';
  for await (const chunk of reply.chunks()) text += Buffer.from(chunk).toString('utf8');
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  if (reply.status >= 500) throw upstreamStatusError('pipecat', { status: reply.status, body: parsed });
  sendJson(res, reply.status, parsed);
}

const routes: Route[] = [
  { method: 'POST', path: '/v1/chat', handler: handleChat },
  { method: 'POST', path: '/v1/action', handler: async (ctx) => forward(ctx, 'eva-os', '/v1/action', 'POST', await readJsonObject(ctx.req)) },
  { method: 'POST', path: '/v1/tools/run', handler: async (ctx) => forward(ctx, 'openclaw', '/v1/tools/run', 'POST', await readJsonObject(ctx.req)) },
  { method: 'POST', path: '/v1/sessions', handler: async (ctx) => forward(ctx, 'memory-engine', '/v1/sessions', 'POST', await readJsonObject(ctx.req)) },
  {
    method: 'DELETE',
    path: '/v1/sessions/:id',
    handler: (ctx) => forward(ctx, 'memory-engine', `/v1/sessions/${encodeURIComponent(ctx.params['id'] ?? '')}`, 'DELETE'),
  },
];

await runService(env, {
  routes,
  // Learn which upstreams are up before the first caller arrives; down ones are only reported.
  warmUp: async () => {
    const statuses = await upstreams.check();
    logInfo(`upstreams healthy: ${statuses.filter((s) => s.healthy).map((s) => s.name).join(', ') || 'none'}`);
  },
  health: async () => {
    const statuses = await upstreams.check();
    return {
      ok: true,
      detail: {
        upstreams_healthy: statuses.filter((s) => s.healthy).length,
        upstreams_total: statuses.length,
        upstreams: Object.fromEntries(statuses.map((s) => [s.name, s])),
      },
    };
  },
});
