// A service's log, state/logs/<service>.log, and <service>.log.1 beside it. Where the
// platform has named pipes (serviceOutput 'fifo'), the fleet's output pump writes them
// (service-output-pump.ts), masked and bounded as it writes. Elsewhere (Windows) the
// service holds the log itself, opened for append, so it keeps logging when the console
// that started it is gone; the size is then bounded by copy-and-truncate on the telemetry
// tick: past the limit the file is copied to <service>.log.1 and emptied; appends land at
// the new end, so at most twice the limit is kept after each tick. No open follows a
// symbolic link: one planted at a log's name would otherwise be written to, copied from
// and truncated.
import { randomBytes } from 'node:crypto';
import { closeSync, fstatSync, ftruncateSync, mkdirSync, openSync, readSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { APPEND_NO_FOLLOW, CREATE_NEW, READ_NO_FOLLOW, WRITE_NO_FOLLOW } from '../platform/open-flags.ts';
import { redactText } from '../redaction/redact.ts';

export const DEFAULT_LOG_LIMIT_BYTES = 1024 * 1024;

export function logPath(folder: string, service: string): string {
  return join(folder, `${service}.log`);
}

/** evident's own line in a service's log, saying who starts what: `--- evident <iso> start: node server.js`. */
export function bannerLine(banner: string): string {
  return `--- evident ${new Date().toISOString()} ${banner}`;
}

/** Opens the log for the child's stdout and stderr (serviceOutput 'file'), with its banner line. */
export function openServiceLog(folder: string, service: string, banner: string): number {
  mkdirSync(folder, { recursive: true, mode: 0o700 });
  const fd = openSync(logPath(folder, service), APPEND_NO_FOLLOW, 0o600);
  writeSync(fd, `${bannerLine(banner)}\n`);
  return fd;
}

/** Rotates when over the limit (serviceOutput 'file'); returns true if it did. */
export function rotateIfLarge(folder: string, service: string, limitBytes = DEFAULT_LOG_LIMIT_BYTES): boolean {
  const path = logPath(folder, service);
  let fd: number;
  try {
    fd = openSync(path, WRITE_NO_FOLLOW);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
  try {
    if (fstatSync(fd).size <= limitBytes) return false;
    copyToRotated(path);
    ftruncateSync(fd, 0);
    return true;
  } finally {
    closeSync(fd);
  }
}

/** Copies the log to `<log>.1` through a new file of an unpredictable name, renamed into place. */
function copyToRotated(path: string): void {
  const temp = `${path}.${randomBytes(8).toString('hex')}.tmp`;
  const from = openSync(path, READ_NO_FOLLOW);
  try {
    const to = openSync(temp, CREATE_NEW, 0o600);
    try {
      const buffer = Buffer.alloc(64 * 1024);
      for (let read = readSync(from, buffer); read > 0; read = readSync(from, buffer)) writeSync(to, buffer, 0, read);
    } finally {
      closeSync(to);
    }
    renameSync(temp, `${path}.1`);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  } finally {
    closeSync(from);
  }
}

/**
 * The last `lines` lines of a service's log, for a screen, an error or a record: secrets a
 * service printed (`DB_PASSWORD=…`, bearer tokens, URL passwords) are masked here again,
 * the one path by which log text leaves the file: a second guard behind the output pump,
 * and the only one for a log the service writes itself. Reaches into `.1` when needed.
 */
export function readLogTail(folder: string, service: string, lines: number): string[] {
  const path = logPath(folder, service);
  const current = tailOf(path, lines);
  const tail = current.length >= lines ? current : [...tailOf(`${path}.1`, lines - current.length), ...current];
  return tail.map(redactText);
}

function tailOf(path: string, lines: number): string[] {
  if (lines <= 0) return [];
  let fd: number;
  try {
    fd = openSync(path, READ_NO_FOLLOW);
  } catch {
    return [];
  }
  try {
    const size = fstatSync(fd).size;
    // Read backwards in blocks until enough newlines are seen. The bytes are decoded
    // once, at the end: a block boundary may fall inside a multi-byte character.
    const block = 16 * 1024;
    let position = size;
    let bytes = Buffer.alloc(0);
    let newlines = 0;
    while (position > 0 && newlines <= lines) {
      const length = Math.min(block, position);
      position -= length;
      const buffer = Buffer.alloc(length);
      readSync(fd, buffer, 0, length, position);
      for (let at = buffer.indexOf(0x0a); at !== -1; at = buffer.indexOf(0x0a, at + 1)) newlines++;
      bytes = Buffer.concat([buffer, bytes]);
    }
    const all = bytes.toString('utf8').split('\n');
    if (all.at(-1) === '') all.pop();
    return all.slice(-lines);
  } finally {
    closeSync(fd);
  }
}
