// pipecat: a voice-style pipeline. It asks model-router for a streamed completion and
// re-frames the tokens into speakable ndjson frames, streamed to the caller as they form.
import type { ServerResponse } from 'node:http';
import { readServiceEnv, upstreamUrl } from '../lib/env.ts';
import { openStream, upstreamHttpError, type StreamReply } from '../lib/http-client.ts';
import { HttpError } from '../lib/http-error.ts';
import { runService } from '../lib/http-service.ts';
import { describeError, logError, logInfo } from '../lib/log.ts';
import { optionalString, readJsonObject, requireString } from '../lib/request-body.ts';
import { startNdjson } from '../lib/respond.ts';
import type { RequestContext } from '../lib/routes.ts';
import { ulid } from '../lib/ulid.ts';
import { UpstreamError } from '../lib/upstream-error.ts';
import { createUpstreamHealth } from '../lib/upstream-health.ts';
import { createFramer, framerSelfTest } from './framer.ts';

const env = readServiceEnv('pipecat', 7030);
const routerUrl = upstreamUrl('MODEL_ROUTER_URL', 'http://127.0.0.1:7010');
const HEADERS_TIMEOUT_MS = 3000;
const IDLE_TIMEOUT_MS = 2000;
const upstreams = createUpstreamHealth([{ name: 'model-router', baseUrl: routerUrl }]);
let primerMs: number | null = null;

interface RouterEvent {
  type?: string;
  text?: unknown;
  model?: unknown;
  route_reason?: unknown;
  context?: unknown;
}

async function openCompletion(prompt: string, sessionId: string | undefined, requestId: string, signal?: AbortSignal): Promise<StreamReply> {
  const body = { prompt, stream: true, ...(sessionId === undefined ? {} : { session_id: sessionId }) };
  const reply = await openStream('model-router', `${routerUrl}/v1/complete`, {
    body,
    requestId,
    timeoutMs: HEADERS_TIMEOUT_MS,
    idleTimeoutMs: IDLE_TIMEOUT_MS,
    ...(signal === undefined ? {} : { signal }),
  });
  if (reply.status === 200) return reply;
  // Not a stream: an error answer. The caller's mistakes (4xx) pass through; the router's own become 502.
  let text = '';
  for await (const chunk of reply.chunks()) text += Buffer.from(chunk).toString('utf8');
  let detail: unknown = text;
  try {
    detail = JSON.parse(text);
  } catch {
    // keep the raw text
  }
  if (reply.status < 500) {
    const message = (detail as { message?: unknown } | null)?.message;
    throw new HttpError(reply.status, 'rejected_by_model_router', typeof message === 'string' ? message : `model-router answered ${reply.status}`);
  }
  throw new HttpError(502, 'upstream_error', `model-router answered ${reply.status}`, { upstream: 'model-router', upstream_status: reply.status, upstream_body: detail });
}

async function handlePipeline({ req, res, requestId }: RequestContext): Promise<void> {
  const body = await readJsonObject(req);
  const text = requireString(body, 'text');
  const sessionId = optionalString(body, 'session_id');
  const hangup = new AbortController();
  res.on('close', () => hangup.abort(new Error('caller hung up')));
  let reply: StreamReply;
  try {
    reply = await openCompletion(text, sessionId, requestId, hangup.signal);
  } catch (error) {
    throw error instanceof UpstreamError ? upstreamHttpError(error) : error;
  }
  await relayFrames(reply, res, hangup.signal);
}

/** Reads router tokens, writes frames; a failure after the first byte becomes an error frame. */
async function relayFrames(reply: StreamReply, res: ServerResponse, hungUp: AbortSignal): Promise<void> {
  const started = performance.now();
  const at = (): number => Math.round(performance.now() - started);
  const write = startNdjson(res);
  const framer = createFramer();
  let tokens = 0;
  let model: unknown = null;
  try {
    for await (const value of reply.values()) {
      const event = value as RouterEvent;
      if (event.type === 'meta') {
        model = event.model;
        write({ type: 'start', pipeline_id: ulid(), model, route_reason: event.route_reason, context: event.context });
      } else if (event.type === 'token' && typeof event.text === 'string') {
        tokens++;
        const frame = framer.push(event.text);
        if (frame !== null) write({ type: 'frame', ...frame, at_ms: at() });
      }
    }
    const last = framer.flush();
    if (last !== null) write({ type: 'frame', ...last, at_ms: at() });
    write({ type: 'end', model, frames: framer.framesEmitted(), tokens, elapsed_ms: at() });
  } catch (error) {
    if (hungUp.aborted) return;
    const kind = error instanceof UpstreamError ? error.kind : 'internal';
    logError('pipeline stream failed', error);
    write({ type: 'error', error: kind, message: describeError(error), frames: framer.framesEmitted(), tokens });
  }
  res.end();
}

/** Proves the framer, then runs one real completion end to end to open the router connection. */
async function warmUp(): Promise<void> {
  framerSelfTest();
  const started = performance.now();
  try {
    const reply = await openCompletion('pipecat warm-up check', undefined, ulid());
    const framer = createFramer();
    for await (const value of reply.values()) {
      const event = value as RouterEvent;
      if (event.type === 'token' && typeof event.text === 'string') framer.push(event.text);
    }
    primerMs = Math.round(performance.now() - started);
    logInfo(`primer completion through model-router took ${primerMs} ms`);
  } catch (error) {
    // Not fatal: /healthz reports the router as down until it answers.
    logError('primer completion failed', error);
  }
}

await runService(env, {
  warmUp,
  health: async () => {
    const [router] = await upstreams.check();
    const detail = { primer_ms: primerMs, upstreams: { 'model-router': router } };
    return router?.healthy === true ? { ok: true, detail } : { ok: false, reason: 'upstream_down', detail };
  },
  routes: [{ method: 'POST', path: '/v1/pipeline', handler: handlePipeline }],
});
