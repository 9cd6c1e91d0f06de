// The Windows sampler's answers (windows-sampler-script.ts), read strictly: an answer of
// another shape is an error that names it, never coerced into an empty table or a
// process with made-up fields. Creation times travel as FILETIME decimal strings (100 ns
// since 1601 UTC: beyond a double's exact range), and are a process's identity token.
import type { PortListener, ProcessInfo } from './platform.ts';
import { splitWindowsCommandLine } from './windows-command-line.ts';

/** FILETIME of 1970-01-01T00:00:00Z. */
const UNIX_EPOCH_FILETIME = 116444736000000000n;

/**
 * The token of a process without a creation time (the System Idle Process): it matches
 * no recorded token, and the NaN start time it goes with makes it nobody's child or parent.
 */
export const NO_CREATION_TIME = 'no-creation-time';

export class SamplerAnswerError extends Error {}

export interface TableRow {
  pid: number;
  ppid: number;
  /** FILETIME as a decimal string, or null. */
  created: string | null;
  cpu100ns: number;
  rss: number;
}

export interface CommandLineRow {
  pid: number;
  created: string | null;
  cmd: string | null;
}

/** A FILETIME (decimal string) as epoch milliseconds. */
export function fileTimeToEpochMs(fileTime: string): number {
  return Number((BigInt(fileTime) - UNIX_EPOCH_FILETIME) / 10_000n);
}

function fail(what: string, value: unknown): never {
  throw new SamplerAnswerError(`the Windows sampler answered ${what} with ${JSON.stringify(value)?.slice(0, 200)}`);
}

const isPid = (value: unknown): value is number => Number.isInteger(value) && (value as number) >= 0;
const isCount = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value) && value >= 0;
const isFileTime = (value: unknown): value is string | null => value === null || (typeof value === 'string' && /^[1-9][0-9]{0,19}$/.test(value));

function list(what: string, value: unknown): unknown[] {
  if (!Array.isArray(value)) fail(what, value);
  return value;
}

export function parseTable(value: unknown): TableRow[] {
  return list('a process table', value).map((row) => {
    const r = row as Partial<TableRow> | null;
    if (r === null || typeof r !== 'object' || !isPid(r.pid) || !isPid(r.ppid) || !isFileTime(r.created) || !isCount(r.cpu100ns) || !isCount(r.rss)) fail('a process table row', row);
    return { pid: r.pid, ppid: r.ppid, created: r.created, cpu100ns: r.cpu100ns, rss: r.rss };
  });
}

export function parseCommandLines(value: unknown): CommandLineRow[] {
  return list('command lines', value).map((row) => {
    const r = row as Partial<CommandLineRow> | null;
    if (r === null || typeof r !== 'object' || !isPid(r.pid) || !isFileTime(r.created) || (r.cmd !== null && typeof r.cmd !== 'string')) fail('a command line row', row);
    return { pid: r.pid, created: r.created, cmd: r.cmd ?? null };
  });
}

/** A table row as a ProcessInfo, with its command line where one was read (`cmd`). */
export function toProcessInfo(row: TableRow, cmd: string | null): ProcessInfo {
  return {
    pid: row.pid,
    ppid: row.ppid,
    // No POSIX process groups or sessions here: the job object is the proof (windows-service-jobs.ts).
    pgid: null,
    sid: null,
    state: '?',
    startToken: row.created ?? NO_CREATION_TIME,
    startedAtMs: row.created === null ? Number.NaN : fileTimeToEpochMs(row.created),
    argv: cmd ? splitWindowsCommandLine(cmd) : [],
    cpuTimeMs: row.cpu100ns / 10_000,
    rssBytes: row.rss,
  };
}

export function parseListeners(value: unknown): PortListener[] {
  return list('listeners', value).map((row) => {
    const r = row as { port?: unknown; pid?: unknown } | null;
    if (r === null || typeof r !== 'object' || !Number.isInteger(r.port) || (r.port as number) < 1 || (r.port as number) > 65535 || !isPid(r.pid)) fail('a listener row', row);
    return { port: r.port as number, pid: r.pid as number };
  });
}

export interface LaunchReply {
  pid: number;
  created: string;
}

export function parseLaunchReply(value: unknown): LaunchReply {
  const r = value as { pid?: unknown; created?: unknown } | null;
  if (r === null || typeof r !== 'object' || !isPid(r.pid) || r.pid === 0 || typeof r.created !== 'string' || !isFileTime(r.created)) fail('a launch', value);
  return { pid: r.pid as number, created: r.created as string };
}

export interface ExitEvent {
  pid: number;
  created: string | null;
  code: number | null;
}

/** An `exit` event, or null for an event of another kind. */
export function parseExitEvent(value: { event: string; [field: string]: unknown }): ExitEvent | null {
  if (value.event !== 'exit') return null;
  if (!isPid(value.pid) || !isFileTime(value.created ?? null) || (value.code !== null && !Number.isInteger(value.code))) fail('an exit event', value);
  return { pid: value.pid as number, created: (value.created as string | null) ?? null, code: value.code as number | null };
}

/** Null once the break was sent; else why not. */
export function parseBreakReply(value: unknown): string | null {
  const r = value as { delivered?: unknown; error?: unknown } | null;
  if (r === null || typeof r !== 'object' || typeof r.delivered !== 'boolean' || (r.error !== null && r.error !== undefined && typeof r.error !== 'string')) fail('a break', value);
  if (r.delivered) return null;
  return typeof r.error === 'string' && r.error !== '' ? r.error : 'no reason given';
}
