// Each service's stdout and stderr go straight to state/logs/<service>.log: the service
// holds the file itself (opened for append), so it keeps logging, and never gets a
// broken pipe, when the console that started it is gone. The size is bounded by
// copy-and-truncate: past the limit the file is copied to <service>.log.1 and emptied;
// appends land at the new end, so at most twice the limit is ever kept.
import { redactText } from '../redaction/redact.ts';
import { closeSync, copyFileSync, mkdirSync, openSync, readSync, statSync, truncateSync, writeSync } from 'node:fs';
import { join } from 'node:path';

export const DEFAULT_LOG_LIMIT_BYTES = 1024 * 1024;

export function logPath(folder: string, service: string): string {
  return join(folder, `${service}.log`);
}

/** Opens the log for the child's stdout and stderr, with a line saying who starts what. */
export function openServiceLog(folder: string, service: string, banner: string): number {
  mkdirSync(folder, { recursive: true });
  const fd = openSync(logPath(folder, service), 'a');
  writeSync(fd, `--- evident ${new Date().toISOString()} ${banner}\n`);
  return fd;
}

/** Rotates when over the limit; returns true if it did. */
export function rotateIfLarge(folder: string, service: string, limitBytes = DEFAULT_LOG_LIMIT_BYTES): boolean {
  const path = logPath(folder, service);
  let size: number;
  try {
    size = statSync(path).size;
  } catch {
    return false;
  }
  if (size <= limitBytes) return false;
  copyFileSync(path, `${path}.1`);
  truncateSync(path, 0);
  return true;
}

/** The last `lines` lines of the log (reaching into the rotated file when needed). */
/**
 * The last `lines` lines of a service's log, for a screen, an error or a record: secrets a
 * service printed (`DB_PASSWORD=…`, bearer tokens, URL passwords) are masked here, the one
 * path by which log text leaves the file.
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
    fd = openSync(path, 'r');
  } catch {
    return [];
  }
  try {
    const size = statSync(path).size;
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
