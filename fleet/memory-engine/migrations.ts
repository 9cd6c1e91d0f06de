// memory-engine's schema, as numbered migrations applied in order on boot. Each runs in
// its own transaction with its schema_version row, so a crash leaves the old or new schema.
import type { DatabaseSync } from 'node:sqlite';

interface Migration {
  version: number;
  sql: string;
}

const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    sql: `
      CREATE TABLE sessions (
        id TEXT PRIMARY KEY,
        created_at TEXT NOT NULL
      );
      CREATE TABLE memories (
        id TEXT PRIMARY KEY,
        session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
        text TEXT NOT NULL,
        created_at TEXT NOT NULL
      );
      CREATE INDEX memories_by_session ON memories (session_id, id);`,
  },
  {
    version: 2,
    // Warm-up measures commit latency with real commits into write_probe; boots keeps one row per boot.
    sql: `
      CREATE TABLE write_probe (id INTEGER PRIMARY KEY, written_at TEXT NOT NULL);
      CREATE TABLE boots (
        id TEXT PRIMARY KEY,
        pid INTEGER NOT NULL,
        started_at TEXT NOT NULL,
        commit_p50_us INTEGER
      );`,
  },
];

export const LATEST_SCHEMA_VERSION = MIGRATIONS.length;

/** Brings the database to the latest schema; returns the versions it applied. */
export function migrate(db: DatabaseSync): number[] {
  db.exec('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)');
  const current = schemaVersion(db);
  if (current > LATEST_SCHEMA_VERSION) {
    throw new Error(`the database is at schema version ${current}, newer than this memory-engine knows (${LATEST_SCHEMA_VERSION})`);
  }
  const applied: number[] = [];
  for (const migration of MIGRATIONS) {
    if (migration.version <= current) continue;
    db.exec('BEGIN IMMEDIATE');
    try {
      db.exec(migration.sql);
      db.prepare('INSERT INTO schema_version (version, applied_at) VALUES (?, ?)').run(migration.version, new Date().toISOString());
      db.exec('COMMIT');
    } catch (error) {
      db.exec('ROLLBACK');
      throw new Error(`migration ${migration.version} failed: ${error instanceof Error ? error.message : String(error)}`);
    }
    applied.push(migration.version);
  }
  return applied;
}

export function schemaVersion(db: DatabaseSync): number {
  const row = db.prepare('SELECT max(version) AS version FROM schema_version').get();
  const version = row?.['version'];
  return typeof version === 'number' ? version : 0;
}
