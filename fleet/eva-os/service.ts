// eva-os: plans and performs actions. Each action keeps its goal in memory-engine, runs a
// tool through openclaw, keeps the result too, and answers with the plan and what happened.
import { readServiceEnv, upstreamUrl } from '../lib/env.ts';
import { callJson, upstreamHttpError, upstreamStatusError, type JsonReply } from '../lib/http-client.ts';
import { HttpError } from '../lib/http-error.ts';
import { runService } from '../lib/http-service.ts';
import { describeError, logError, logInfo } from '../lib/log.ts';
import { optionalString, readJsonObject, requireString } from '../lib/request-body.ts';
import { sendJson } from '../lib/respond.ts';
import type { RequestContext } from '../lib/routes.ts';
import { ulid } from '../lib/ulid.ts';
import { UpstreamError } from '../lib/upstream-error.ts';
import { createUpstreamHealth } from '../lib/upstream-health.ts';
import { planFor, plannerSelfTest, type PlanStep } from './planner.ts';

const env = readServiceEnv('eva-os', 7050);
const memoryUrl = upstreamUrl('MEMORY_ENGINE_URL', 'http://127.0.0.1:7020');
const openclawUrl = upstreamUrl('OPENCLAW_URL', 'http://127.0.0.1:7040');
const MEMORY_TIMEOUT_MS = 2000;
/** openclaw's longest tool (sleep) is capped at 2 s. */
const TOOL_TIMEOUT_MS = 5000;
const upstreams = createUpstreamHealth([
  { name: 'memory-engine', baseUrl: memoryUrl },
  { name: 'openclaw', baseUrl: openclawUrl },
]);

interface StepResult {
  step: number;
  kind: PlanStep['kind'];
  status: 'ok' | 'failed' | 'skipped';
  ms: number;
  output?: unknown;
  error?: string;
}

/** A 2xx body, or the HttpError our caller should see for this upstream answer. */
function expectOk(upstream: string, reply: JsonReply, notFoundMessage?: string): unknown {
  if (reply.status >= 200 && reply.status < 300) return reply.body;
  if (reply.status === 404 && notFoundMessage !== undefined) throw new HttpError(404, 'not_found', notFoundMessage);
  throw upstreamStatusError(upstream, reply);
}

async function handleAction({ req, res, requestId }: RequestContext): Promise<void> {
  const body = await readJsonObject(req);
  const goal = requireString(body, 'goal', 2000);
  const givenSession = optionalString(body, 'session_id');
  const actionId = ulid();
  const { choice, steps } = planFor(goal, givenSession);
  const results: StepResult[] = [];
  let sessionId = givenSession;

  const memory = (path: string, payload?: unknown): Promise<JsonReply> =>
    callJson('memory-engine', `${memoryUrl}${path}`, { timeoutMs: MEMORY_TIMEOUT_MS, requestId, ...(payload === undefined ? {} : { body: payload }) });
  const missing = (): string => `session ${sessionId ?? '?'} does not exist`;

  const perform: Record<number, () => Promise<unknown>> = {
    1: async () => {
      if (sessionId !== undefined) return expectOk('memory-engine', await memory(`/v1/sessions/${encodeURIComponent(sessionId)}`), missing());
      const created = expectOk('memory-engine', await memory('/v1/sessions', {})) as { id?: unknown };
      if (typeof created.id !== 'string') throw new HttpError(502, 'upstream_bad_response', 'memory-engine created a session without an id');
      sessionId = created.id;
      return created;
    },
    2: async () => expectOk('memory-engine', await memory(`/v1/sessions/${encodeURIComponent(sessionId ?? '')}/memories`, { text: `goal: ${goal}` }), missing()),
    3: async () => {
      const reply = await callJson('openclaw', `${openclawUrl}/v1/tools/run`, { body: { tool: choice.tool, input: choice.input }, timeoutMs: TOOL_TIMEOUT_MS, requestId });
      return expectOk('openclaw', reply);
    },
    4: async () => {
      const tool = results.find((r) => r.step === 3)?.output as { output?: unknown } | undefined;
      const text = `result of ${choice.tool}: ${JSON.stringify(tool?.output ?? null).slice(0, 2000)}`;
      return expectOk('memory-engine', await memory(`/v1/sessions/${encodeURIComponent(sessionId ?? '')}/memories`, { text }), missing());
    },
  };

  for (const step of steps) {
    const started = performance.now();
    const ms = (): number => Math.round((performance.now() - started) * 10) / 10;
    try {
      const output = await (perform[step.step] ?? (() => Promise.reject(new Error(`no performer for step ${step.step}`))))();
      results.push({ step: step.step, kind: step.kind, status: 'ok', ms: ms(), output });
    } catch (error) {
      const failure = error instanceof UpstreamError ? upstreamHttpError(error) : error instanceof HttpError ? error : new HttpError(500, 'internal', describeError(error));
      results.push({ step: step.step, kind: step.kind, status: 'failed', ms: ms(), error: failure.message });
      for (const rest of steps.filter((s) => s.step > step.step)) results.push({ step: rest.step, kind: rest.kind, status: 'skipped', ms: 0 });
      throw new HttpError(failure.status, failure.code, failure.message, { ...failure.detail, action_id: actionId, session_id: sessionId ?? null, plan: steps, results });
    }
  }
  sendJson(res, 200, { action_id: actionId, goal, session_id: sessionId, status: 'done', tool: choice, plan: steps, results });
}

/** Proves the planner, then sees whether the services it needs are up (not fatal: /healthz says so). */
async function warmUp(): Promise<void> {
  plannerSelfTest();
  const statuses = await upstreams.check();
  for (const s of statuses) {
    if (s.healthy) logInfo(`${s.name} is up at ${s.url} (${s.latency_ms} ms)`);
    else logError(`${s.name} is not healthy at ${s.url}: ${s.error ?? `status ${s.status ?? '?'}`}`);
  }
}

await runService(env, {
  warmUp,
  health: async () => {
    const statuses = await upstreams.check();
    const detail = { upstreams: Object.fromEntries(statuses.map((s) => [s.name, s])) };
    return statuses.every((s) => s.healthy) ? { ok: true, detail } : { ok: false, reason: 'upstream_down', detail };
  },
  routes: [{ method: 'POST', path: '/v1/action', handler: handleAction }],
});
