// memory-engine keeps sessions and memories in SQLite on disk: the API works, and what
// was written survives a restart on the same file.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFleetScope, getJson, postJson, stop, type FleetScope } from './fleet-harness.ts';

describe('memory-engine', () => {
  let scope: FleetScope;
  let dbPath: string;

  beforeAll(async () => {
    scope = await createFleetScope();
    dbPath = join(scope.stateDir, 'custom', 'memories.sqlite');
  });
  afterAll(async () => {
    await scope.cleanup();
  });

  it('creates, reads, searches and deletes sessions and memories', async () => {
    const me = await scope.startHealthy('memory-engine', { env: { MEMORY_DB: join(scope.stateDir, 'api.sqlite') } });
    const created = await postJson(`${me.url}/v1/sessions`, {});
    expect(created.status).toBe(201);
    const id: string = created.body.id;
    expect(id).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);

    expect((await postJson(`${me.url}/v1/sessions/${id}/memories`, { text: 'the gate is green' })).status).toBe(201);
    expect((await postJson(`${me.url}/v1/sessions/${id}/memories`, { text: 'RSS grew 5% overnight' })).status).toBe(201);
    const bad = await postJson(`${me.url}/v1/sessions/${id}/memories`, { text: 42 });
    expect(bad).toMatchObject({ status: 400, body: { error: 'bad_request', message: 'text: expected a non-empty string, got 42' } });

    const all = await getJson(`${me.url}/v1/sessions/${id}/memories`);
    expect(all.body.memories.map((m: { text: string }) => m.text)).toEqual(['RSS grew 5% overnight', 'the gate is green']);
    // Search is per term and case-insensitive; % is a literal character, not a wildcard.
    const found = await getJson(`${me.url}/v1/sessions/${id}/memories?q=${encodeURIComponent('rss 5%')}`);
    expect(found.body.memories.map((m: { text: string }) => m.text)).toEqual(['RSS grew 5% overnight']);
    const none = await getJson(`${me.url}/v1/sessions/${id}/memories?q=${encodeURIComponent('gate 5%')}`);
    expect(none.body.memories).toEqual([]);

    expect((await getJson(`${me.url}/v1/sessions/${id}`)).body).toMatchObject({ id, memory_count: 2 });
    expect((await getJson(`${me.url}/v1/sessions/${id}`, { method: 'DELETE' })).status).toBe(200);
    expect((await getJson(`${me.url}/v1/sessions/${id}`)).status).toBe(404);
    expect((await getJson(`${me.url}/v1/sessions/${id}`, { method: 'DELETE' })).status).toBe(404);
    expect((await postJson(`${me.url}/v1/sessions/${id}/memories`, { text: 'late' })).status).toBe(404);
    expect((await stop(me)).code).toBe(0);
  });

  it('keeps a session and its memories across a restart on the same database file', async () => {
    const first = await scope.startHealthy('memory-engine', { env: { MEMORY_DB: dbPath } });
    const health = await getJson(`${first.url}/healthz`);
    expect(health.body).toMatchObject({ db: dbPath, journal_mode: 'wal', schema_version: 2 });
    const id: string = (await postJson(`${first.url}/v1/sessions`, {})).body.id;
    await postJson(`${first.url}/v1/sessions/${id}/memories`, { text: 'written before the restart' });
    expect((await stop(first)).code).toBe(0);

    const second = await scope.startHealthy('memory-engine', { env: { MEMORY_DB: dbPath } });
    expect(second.pid).not.toBe(first.pid);
    expect((await getJson(`${second.url}/v1/sessions/${id}`)).body).toMatchObject({ id, memory_count: 1 });
    const memories = await getJson(`${second.url}/v1/sessions/${id}/memories`);
    expect(memories.body.memories[0].text).toBe('written before the restart');
    expect((await stop(second)).code).toBe(0);

    // The file itself: migrations ran once (not again on the second boot), WAL mode, two boots recorded.
    const db = new DatabaseSync(dbPath, { readOnly: true });
    try {
      expect(db.prepare('SELECT version FROM schema_version ORDER BY version').all().map((r) => r['version'])).toEqual([1, 2]);
      expect(db.prepare('PRAGMA journal_mode').get()?.['journal_mode']).toBe('wal');
      expect(db.prepare('SELECT count(*) AS n FROM boots').get()?.['n']).toBe(2);
      expect(db.prepare('SELECT count(*) AS n FROM write_probe').get()?.['n']).toBe(0);
    } finally {
      db.close();
    }
  });

  it('defaults to $EVIDENT_STATE_DIR/data/memory-engine.sqlite', async () => {
    const me = await scope.startHealthy('memory-engine');
    const expected = join(scope.stateDir, 'data', 'memory-engine.sqlite');
    expect((await getJson(`${me.url}/healthz`)).body.db).toBe(expected);
    expect(existsSync(expected)).toBe(true);
    expect((await stop(me)).code).toBe(0);
  });
});
