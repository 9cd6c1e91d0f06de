// Reads a journal file: its complete lines checked as a chain, and apart from them the
// torn tail a crash mid-write can leave (a last line without its newline, or a last
// line that is not JSON), which is reported, never silently kept or dropped.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { checkChain, CHAIN_FROM_GENESIS, type ChainReport, type ChainStart } from './journal-chain.ts';

export interface TornTail {
  /** Byte offset in the file where the torn bytes start. */
  offset: number;
  /** Number of torn bytes, up to the end of the file. */
  length: number;
  text: string;
}

/** The chain report of the complete lines, with what was read around them. */
export interface JournalReading extends ChainReport {
  path: string;
  /** File size when read, in bytes. */
  size: number;
  /** Byte offset just after the last complete line (where a torn tail starts). */
  completeBytes: number;
  /** The complete lines read, without their newlines. */
  lines: string[];
  torn: TornTail | null;
}

const NEWLINE = 0x0a;

/** The whole journal at `path`. A missing file throws an Error whose code is ENOENT. */
export function readJournal(path: string): JournalReading {
  return readJournalFrom(path, 0, CHAIN_FROM_GENESIS);
}

/**
 * The lines from byte `offset` on (which must be the start of a line), checked as the
 * continuation of `start`: how a writer catches up with lines another process appended.
 */
export function readJournalFrom(path: string, offset: number, start: ChainStart): JournalReading {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    const missing: NodeJS.ErrnoException = new Error(`no journal at ${path}`, { cause: error });
    missing.code = 'ENOENT';
    missing.path = path;
    throw missing;
  }
  let bytes: Buffer;
  let size: number;
  try {
    size = fstatSync(fd).size;
    bytes = Buffer.alloc(Math.max(0, size - offset));
    let filled = 0;
    while (filled < bytes.length) {
      const read = readSync(fd, bytes, filled, bytes.length - filled, offset + filled);
      if (read === 0) break;
      filled += read;
    }
    bytes = bytes.subarray(0, filled);
    size = offset + filled;
  } finally {
    closeSync(fd);
  }
  const split = splitLines(bytes, offset);
  return { path, size, ...split, ...checkChain(split.lines, start) };
}

/** Splits bytes (found at file offset `base`) into complete lines and a torn tail. */
export function splitLines(bytes: Uint8Array, base = 0): { lines: string[]; completeBytes: number; torn: TornTail | null } {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const lines: string[] = [];
  const lineStarts: number[] = [];
  let start = 0;
  // 0x0a never occurs inside a multi-byte UTF-8 character, so splitting bytes is safe.
  for (let end = buffer.indexOf(NEWLINE, start); end !== -1; end = buffer.indexOf(NEWLINE, start)) {
    lineStarts.push(start);
    lines.push(buffer.toString('utf8', start, end));
    start = end + 1;
  }
  let tornStart = start < buffer.length ? start : null;
  // A last complete line that is not JSON was cut too (a crash can leave a block of
  // zeros before the final newline); it goes with the torn tail.
  const last = lines.at(-1);
  if (last !== undefined && !parses(last)) {
    tornStart = lineStarts.at(-1) ?? 0;
    lines.pop();
  }
  if (tornStart === null) return { lines, completeBytes: base + buffer.length, torn: null };
  return {
    lines,
    completeBytes: base + tornStart,
    torn: { offset: base + tornStart, length: buffer.length - tornStart, text: buffer.toString('utf8', tornStart) },
  };
}

function parses(line: string): boolean {
  try {
    JSON.parse(line);
    return true;
  } catch {
    return false;
  }
}
