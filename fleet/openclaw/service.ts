// openclaw: runs allowlisted tool commands in a worker child process, so its process tree
// always holds two PIDs. Its contract probe is tcp, so it opens its port only once the
// worker has passed its self-test; /healthz also says whether the worker is up.
import { readServiceEnv } from '../lib/env.ts';
import { runService } from '../lib/http-service.ts';
import { readJsonObject, requireString } from '../lib/request-body.ts';
import { sendJson } from '../lib/respond.ts';
import type { RequestContext } from '../lib/routes.ts';
import { SLEEP_CAP_MS } from './tools.ts';
import { createWorkerLink } from './worker-link.ts';

const env = readServiceEnv('openclaw', 7040);
/** Longer than the longest tool (sleep is capped), so only a stuck worker hits it. */
const TOOL_TIMEOUT_MS = SLEEP_CAP_MS + 3000;
const worker = createWorkerLink();

async function handleRun({ req, res }: RequestContext): Promise<void> {
  const body = await readJsonObject(req);
  const tool = requireString(body, 'tool', 64);
  const result = await worker.run(tool, body['input'], TOOL_TIMEOUT_MS);
  sendJson(res, 200, { tool, ...result });
}

await runService(env, {
  listen: 'after-warm-up',
  warmUp: () => worker.start(),
  health: () => {
    const status = worker.status();
    return status.worker_ready ? { ok: true, detail: { ...status } } : { ok: false, reason: 'worker_down', detail: { ...status } };
  },
  close: () => worker.stop(),
  routes: [
    { method: 'POST', path: '/v1/tools/run', handler: handleRun },
    { method: 'GET', path: '/v1/tools', handler: ({ res }) => sendJson(res, 200, { tools: worker.status().tools, sleep_cap_ms: SLEEP_CAP_MS }) },
  ],
});
