// model-router: picks a toy model for each prompt and completes it, as one JSON answer or
// as an ndjson token stream. With a session_id it steers the completion with that
// session's memories from memory-engine (optional: without them it still answers).
import { setTimeout as delay } from 'node:timers/promises';
import { readServiceEnv, upstreamUrl } from '../lib/env.ts';
import { callJson } from '../lib/http-client.ts';
import { runService } from '../lib/http-service.ts';
import { describeError } from '../lib/log.ts';
import type { MarkovChain } from '../lib/markov.ts';
import { generate } from '../lib/markov.ts';
import { hashString, seededRandom } from '../lib/prng.ts';
import { optionalBoolean, optionalNumber, optionalString, readJsonObject, requireString } from '../lib/request-body.ts';
import { sendJson, startNdjson } from '../lib/respond.ts';
import type { RequestContext } from '../lib/routes.ts';
import { ulid } from '../lib/ulid.ts';
import { MODELS, ROUTES, promptFeatures, routeFor, trainModels, type ModelSpec } from './models.ts';

const env = readServiceEnv('model-router', 7010);
const memoryUrl = upstreamUrl('MEMORY_ENGINE_URL', 'http://127.0.0.1:7020');
/** Gap between streamed tokens: visible as a stream, yet 48 tokens stay under 0.3 s. */
const TOKEN_GAP_MS = 6;
const CONTEXT_TIMEOUT_MS = 500;
/** Warm-up keeps self-evaluating the models for this long to measure their throughput. */
const EVAL_MS = 250;
const EVAL_PROMPTS = ['why did the gate fail?', 'const x = 1;', 'status', 'tell me what the console saw during the long night of the soak test'];

let models: Map<string, { spec: ModelSpec; chain: MarkovChain }> = new Map();
let tokensPerSecond = 0;
const contextCalls = { ok: 0, failed: 0, last_error: null as string | null };

interface Context {
  status: 'none' | 'used' | 'session_not_found' | 'unavailable';
  memories: number;
  texts: string[];
}

async function readContext(sessionId: string | undefined, requestId: string): Promise<Context> {
  if (sessionId === undefined) return { status: 'none', memories: 0, texts: [] };
  const url = `${memoryUrl}/v1/sessions/${encodeURIComponent(sessionId)}/memories?limit=5`;
  try {
    const reply = await callJson('memory-engine', url, { timeoutMs: CONTEXT_TIMEOUT_MS, requestId });
    if (reply.status === 404) return { status: 'session_not_found', memories: 0, texts: [] };
    const memories = (reply.body as { memories?: { text?: unknown }[] } | null)?.memories;
    if (reply.status !== 200 || !Array.isArray(memories)) throw new Error(`memory-engine answered ${reply.status}`);
    contextCalls.ok++;
    const texts = memories.map((m) => m.text).filter((t): t is string => typeof t === 'string');
    return { status: 'used', memories: texts.length, texts };
  } catch (error) {
    // Context is a nicety: answer without it rather than fail the completion.
    contextCalls.failed++;
    contextCalls.last_error = describeError(error);
    return { status: 'unavailable', memories: 0, texts: [] };
  }
}

function complete(prompt: string, context: Context, maxTokens: number | undefined) {
  const features = promptFeatures(prompt);
  const rule = routeFor(features);
  const model = models.get(rule.model);
  if (model === undefined) throw new Error(`model ${rule.model} is not loaded`);
  const limit = Math.min(maxTokens ?? model.spec.maxTokens, model.spec.maxTokens);
  const seed = hashString(`${rule.model}\n${prompt}\n${context.texts.join('\n')}`);
  const steer = [...features.words, ...context.texts.flatMap((t) => t.split(/\s+/))];
  const words = generate(model.chain, seededRandom(seed), limit, steer);
  return { model: rule.model, reason: rule.reason, tokens: words.map((w, i) => (i === 0 ? w : ` ${w}`)) };
}

async function handleComplete({ req, res, requestId }: RequestContext): Promise<void> {
  const body = await readJsonObject(req);
  const prompt = requireString(body, 'prompt');
  const sessionId = optionalString(body, 'session_id');
  const stream = optionalBoolean(body, 'stream') ?? false;
  const maxTokens = optionalNumber(body, 'max_tokens', 1, 64);
  const context = await readContext(sessionId, requestId);
  const id = ulid();
  const { model, reason, tokens } = complete(prompt, context, maxTokens === undefined ? undefined : Math.floor(maxTokens));
  const contextInfo = { status: context.status, memories: context.memories };
  if (!stream) {
    return sendJson(res, 200, { id, model, route_reason: reason, text: tokens.join(''), tokens: tokens.length, context: contextInfo });
  }
  const started = performance.now();
  const write = startNdjson(res);
  let hungUp = false;
  res.on('close', () => (hungUp = true));
  write({ type: 'meta', id, model, route_reason: reason, context: contextInfo });
  for (const [index, text] of tokens.entries()) {
    await delay(TOKEN_GAP_MS);
    if (hungUp) return;
    write({ type: 'token', index, text });
  }
  write({ type: 'done', id, tokens: tokens.length, elapsed_ms: Math.round(performance.now() - started) });
  res.end();
}

/** Trains every model, then generates from each repeatedly to prove determinism and measure speed. */
async function warmUp(): Promise<void> {
  models = trainModels();
  const started = performance.now();
  let generated = 0;
  const empty: Context = { status: 'none', memories: 0, texts: [] };
  while (performance.now() - started < EVAL_MS) {
    for (const prompt of EVAL_PROMPTS) {
      const a = complete(`${prompt} ${generated}`, empty, undefined);
      const b = complete(`${prompt} ${generated}`, empty, undefined);
      if (a.tokens.join('') !== b.tokens.join('')) throw new Error(`model ${a.model} is not deterministic`);
      generated += a.tokens.length;
    }
    // Yield so /healthz can answer "starting" while we evaluate.
    await delay(0);
  }
  tokensPerSecond = Math.round((generated * 2) / ((performance.now() - started) / 1000));
}

await runService(env, {
  warmUp,
  health: () => ({ ok: true, detail: { models: models.size, tokens_per_s: tokensPerSecond, memory_engine: { url: memoryUrl, ...contextCalls } } }),
  routes: [
    { method: 'POST', path: '/v1/complete', handler: handleComplete },
    {
      method: 'GET',
      path: '/v1/models',
      handler: ({ res }) =>
        sendJson(res, 200, {
          models: MODELS.map((m) => ({ name: m.name, order: m.order, max_tokens: m.maxTokens })),
          routes: ROUTES.map((r) => ({ model: r.model, when: r.reason })),
        }),
    },
  ],
});
