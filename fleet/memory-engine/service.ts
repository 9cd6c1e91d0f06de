// memory-engine: sessions and their memories, kept in a SQLite database on disk at
// $MEMORY_DB or $EVIDENT_STATE_DIR/data/memory-engine.sqlite.
import { join, resolve } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { readServiceEnv } from '../lib/env.ts';
import { HttpError, notFound } from '../lib/http-error.ts';
import { runService } from '../lib/http-service.ts';
import { describeError, logInfo } from '../lib/log.ts';
import { readJsonObject, requireString } from '../lib/request-body.ts';
import { sendJson } from '../lib/respond.ts';
import type { RequestContext } from '../lib/routes.ts';
import { openStore, type MemoryStore } from './store.ts';

const env = readServiceEnv('memory-engine', 7020);
const dbPath = resolve(process.env['MEMORY_DB'] || join(env.stateDir, 'data', 'memory-engine.sqlite'));
/** Warm-up times real commits for this long: the figure shows in /healthz as commit_p50_us. */
const COMMIT_PROBE_MS = 200;

let store: MemoryStore | null = null;
let commitP50Us = 0;

function open(): MemoryStore {
  if (store === null) throw new HttpError(503, 'warming_up', 'the database is not open yet');
  return store;
}

function requireSession(s: MemoryStore, id: string) {
  const session = s.getSession(id);
  if (session === null) throw notFound(`session ${id} does not exist`);
  return session;
}

function listLimit(url: URL): number {
  const raw = url.searchParams.get('limit');
  if (raw === null) return 20;
  const limit = Number(raw);
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) {
    throw new HttpError(400, 'bad_request', `limit: expected a whole number 1–100, got "${raw}"`);
  }
  return limit;
}

const routes = [
  {
    method: 'POST',
    path: '/v1/sessions',
    handler: async ({ req, res }: RequestContext) => {
      await readJsonObject(req); // no fields yet, but a malformed body is still an error
      sendJson(res, 201, open().createSession());
    },
  },
  {
    method: 'GET',
    path: '/v1/sessions/:id',
    handler: ({ res, params }: RequestContext) => sendJson(res, 200, requireSession(open(), params['id'] ?? '')),
  },
  {
    method: 'DELETE',
    path: '/v1/sessions/:id',
    handler: ({ res, params }: RequestContext) => {
      const id = params['id'] ?? '';
      if (!open().deleteSession(id)) throw notFound(`session ${id} does not exist`);
      sendJson(res, 200, { id, deleted: true });
    },
  },
  {
    method: 'POST',
    path: '/v1/sessions/:id/memories',
    handler: async ({ req, res, params }: RequestContext) => {
      const text = requireString(await readJsonObject(req), 'text');
      const memory = open().addMemory(params['id'] ?? '', text);
      if (memory === null) throw notFound(`session ${params['id'] ?? ''} does not exist`);
      sendJson(res, 201, memory);
    },
  },
  {
    method: 'GET',
    path: '/v1/sessions/:id/memories',
    handler: ({ res, params, url }: RequestContext) => {
      const s = open();
      const session = requireSession(s, params['id'] ?? '');
      const q = url.searchParams.get('q') ?? '';
      sendJson(res, 200, { session_id: session.id, q, memories: s.listMemories(session.id, q, listLimit(url)) });
    },
  },
];

/** Opens and migrates the database, checks it, and measures how long a commit takes on this disk. */
async function warmUp(): Promise<void> {
  store = openStore(dbPath);
  const applied = store.appliedMigrations;
  logInfo(`database ${dbPath} (${store.journalMode}) at schema ${store.schemaVersion()}${applied.length > 0 ? `, applied ${applied.join(', ')}` : ''}`);
  const check = store.quickCheck();
  if (check !== 'ok') throw new Error(`${dbPath}: quick_check says ${check}`);
  await delay(0); // let /healthz say "starting" between the steps
  commitP50Us = await store.measureCommits(COMMIT_PROBE_MS);
  store.recordBoot(commitP50Us);
}

await runService(env, {
  warmUp,
  routes,
  health: () => {
    const detail = { db: dbPath, journal_mode: open().journalMode, commit_p50_us: commitP50Us };
    try {
      // A real query: a locked, missing or corrupt file fails here, not only at the next write.
      return { ok: true, detail: { ...detail, schema_version: open().schemaVersion() } };
    } catch (error) {
      return { ok: false, reason: 'database_error', detail: { ...detail, error: describeError(error) } };
    }
  },
  close: () => store?.close(),
});
