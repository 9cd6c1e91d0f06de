// memory-engine's data: sessions and their memories in SQLite (WAL mode), behind a few
// functions that take and return plain objects.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { ulid } from '../lib/ulid.ts';
import { migrate, schemaVersion } from './migrations.ts';

export interface Session {
  id: string;
  created_at: string;
  memory_count: number;
}

export interface Memory {
  id: string;
  session_id: string;
  text: string;
  created_at: string;
}

export interface MemoryStore {
  path: string;
  journalMode: string;
  appliedMigrations: number[];
  createSession(): Session;
  getSession(id: string): Session | null;
  /** False when there was no such session. */
  deleteSession(id: string): boolean;
  /** Null when the session does not exist. */
  addMemory(sessionId: string, text: string): Memory | null;
  /** Newest first; every term of `query` must appear (case-insensitive). */
  listMemories(sessionId: string, query: string, limit: number): Memory[];
  schemaVersion(): number;
  /** Durable commits into write_probe for up to `ms` (at most 1000); returns the median commit time in µs. */
  measureCommits(ms: number): Promise<number>;
  recordBoot(commitP50Us: number): void;
  /** PRAGMA quick_check: 'ok' or SQLite's first complaint. */
  quickCheck(): string;
  close(): void;
}

export function openStore(path: string): MemoryStore {
  mkdirSync(dirname(path), { recursive: true });
  const db = new DatabaseSync(path);
  db.exec('PRAGMA busy_timeout = 2000');
  const journal = db.prepare('PRAGMA journal_mode = WAL').get()?.['journal_mode'];
  db.exec('PRAGMA synchronous = NORMAL');
  db.exec('PRAGMA foreign_keys = ON');
  const appliedMigrations = migrate(db);

  const insertSession = db.prepare('INSERT INTO sessions (id, created_at) VALUES (?, ?)');
  const selectSession = db.prepare(
    'SELECT s.id, s.created_at, (SELECT count(*) FROM memories m WHERE m.session_id = s.id) AS memory_count FROM sessions s WHERE s.id = ?',
  );
  const removeSession = db.prepare('DELETE FROM sessions WHERE id = ?');
  const insertMemory = db.prepare('INSERT INTO memories (id, session_id, text, created_at) VALUES (?, ?, ?, ?)');
  const sessionExists = db.prepare('SELECT 1 AS found FROM sessions WHERE id = ?');

  return {
    path,
    journalMode: typeof journal === 'string' ? journal : 'unknown',
    appliedMigrations,
    createSession() {
      const session = { id: ulid(), created_at: new Date().toISOString(), memory_count: 0 };
      insertSession.run(session.id, session.created_at);
      return session;
    },
    getSession(id) {
      const row = selectSession.get(id);
      if (row === undefined) return null;
      return { id: String(row['id']), created_at: String(row['created_at']), memory_count: Number(row['memory_count']) };
    },
    deleteSession(id) {
      return Number(removeSession.run(id).changes) > 0;
    },
    addMemory(sessionId, text) {
      if (sessionExists.get(sessionId) === undefined) return null;
      const memory = { id: ulid(), session_id: sessionId, text, created_at: new Date().toISOString() };
      insertMemory.run(memory.id, memory.session_id, memory.text, memory.created_at);
      return memory;
    },
    listMemories(sessionId, query, limit) {
      const terms = query.split(/\s+/).filter((t) => t !== '').slice(0, 8);
      const where = terms.map(() => " AND text LIKE ? ESCAPE '\\'").join('');
      const params = terms.map((t) => `%${t.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
      const rows = db
        .prepare(`SELECT id, session_id, text, created_at FROM memories WHERE session_id = ?${where} ORDER BY id DESC LIMIT ?`)
        .all(sessionId, ...params, limit);
      return rows.map((r) => ({ id: String(r['id']), session_id: String(r['session_id']), text: String(r['text']), created_at: String(r['created_at']) }));
    },
    schemaVersion: () => schemaVersion(db),
    async measureCommits(ms) {
      const insert = db.prepare('INSERT INTO write_probe (written_at) VALUES (?)');
      const samples: number[] = [];
      // Durable commits (fsync each), the worst case a request can meet on this disk.
      db.exec('PRAGMA synchronous = FULL');
      const started = performance.now();
      while (performance.now() - started < ms && samples.length < 1000) {
        const t0 = performance.now();
        insert.run(new Date().toISOString());
        samples.push(performance.now() - t0);
        // Commits are synchronous: yield now and then so /healthz can still say "starting".
        if (samples.length % 16 === 0) await new Promise((resolve) => setImmediate(resolve));
      }
      db.exec('PRAGMA synchronous = NORMAL');
      db.exec('DELETE FROM write_probe');
      samples.sort((a, b) => a - b);
      return Math.round((samples[Math.floor(samples.length / 2)] ?? 0) * 1000);
    },
    recordBoot(commitP50Us) {
      db.prepare('INSERT INTO boots (id, pid, started_at, commit_p50_us) VALUES (?, ?, ?, ?)').run(ulid(), process.pid, new Date().toISOString(), commitP50Us);
    },
    quickCheck() {
      const row = db.prepare('PRAGMA quick_check').get();
      return String(row?.['quick_check'] ?? 'no answer');
    },
    close() {
      if (db.isOpen) db.close();
    },
  };
}
