// What the process controlling the fleet measured at its last tick, kept in
// state/telemetry.json so a command that takes one reading (`evident status`) can show a
// live CPU rate, and its recent history, instead of an average over each process's life.
// A view, not evidence: rewritten each tick (no fsync), read only when fresh and when
// its writer is still alive.
import { closeSync, constants, ftruncateSync, openSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { WRITE_NO_FOLLOW } from '../platform/open-flags.ts';

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

/**
 * Rewrites the file in place through one descriptor, opened once without following a
 * link: two system calls a tick (write at 0, truncate), where a temp file and a rename
 * cost several times that on every tick of a supervisor that runs for days. A reader can
 * catch a write half done: readFreshTelemetry then reads again.
 */
export class TelemetryFileWriter {
  private fd: number | null = null;
  private readonly path: string;

  constructor(stateRoot: string) {
    this.path = telemetryPath(stateRoot);
  }

  write(telemetry: TelemetryFile): void {
    const trimmed = {
      ...telemetry,
      services: Object.fromEntries(Object.entries(telemetry.services).map(([name, s]) => [name, { ...s, cpu_history: s.cpu_history.slice(-HISTORY_POINTS) }])),
    };
    const bytes = Buffer.from(`${JSON.stringify(trimmed)}\n`);
    this.fd ??= openSync(this.path, WRITE_NO_FOLLOW | constants.O_CREAT, 0o600);
    writeSync(this.fd, bytes, 0, bytes.length, 0);
    ftruncateSync(this.fd, bytes.length);
  }

  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }
}

/** The file when it is no older than `maxAgeMs`; null when missing, unreadable or stale. */
export function readFreshTelemetry(stateRoot: string, now: number, maxAgeMs: number): TelemetryFile | null {
  const parsed = readTelemetry(stateRoot) ?? readTelemetry(stateRoot);
  if (parsed === null) return null;
  if (typeof parsed?.written_at !== 'number' || typeof parsed.services !== 'object' || parsed.services === null) return null;
  return now - parsed.written_at <= maxAgeMs ? parsed : null;
}

function readTelemetry(stateRoot: string): TelemetryFile | null {
  try {
    return JSON.parse(readFileSync(telemetryPath(stateRoot), 'utf8')) as TelemetryFile;
  } catch {
    return null;
  }
}
