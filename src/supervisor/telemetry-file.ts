// What the process controlling the fleet measured at its last tick, kept in
// state/telemetry.json so a command that takes one reading (`evident status`) can show a
// live CPU rate, and its recent history, instead of an average over each process's life.
// A view, not evidence: written each tick by rename (no fsync), read only when fresh and
// when its writer is still alive.
import { randomBytes } from 'node:crypto';
import { closeSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { CREATE_NEW } from '../platform/open-flags.ts';

/** How many points of history travel in the file (a minute at the default tick). */
const HISTORY_POINTS = 60;

export interface TelemetryFile {
  written_at: number;
  /** The process that wrote it (the fleet lock says what it is). */
  writer: { pid: number; start_token: string };
  interval_ms: number;
  services: Record<string, { pid: number; cpu_percent: number | null; rss_bytes: number | null; cpu_history: number[] }>;
}

export function telemetryPath(stateRoot: string): string {
  return join(stateRoot, 'telemetry.json');
}

export function writeTelemetryFile(stateRoot: string, telemetry: TelemetryFile): void {
  const path = telemetryPath(stateRoot);
  const temp = `${path}.${randomBytes(8).toString('hex')}.tmp`;
  const trimmed = {
    ...telemetry,
    services: Object.fromEntries(Object.entries(telemetry.services).map(([name, s]) => [name, { ...s, cpu_history: s.cpu_history.slice(-HISTORY_POINTS) }])),
  };
  try {
    const fd = openSync(temp, CREATE_NEW, 0o600);
    try {
      writeSync(fd, `${JSON.stringify(trimmed)}\n`);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, path);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}

/** The file when it is no older than `maxAgeMs`; null when missing, unreadable or stale. */
export function readFreshTelemetry(stateRoot: string, now: number, maxAgeMs: number): TelemetryFile | null {
  let parsed: TelemetryFile;
  try {
    parsed = JSON.parse(readFileSync(telemetryPath(stateRoot), 'utf8')) as TelemetryFile;
  } catch {
    return null;
  }
  if (typeof parsed?.written_at !== 'number' || typeof parsed.services !== 'object' || parsed.services === null) return null;
  return now - parsed.written_at <= maxAgeMs ? parsed : null;
}
