// The two ends of a journal, without reading what lies between: its first record (a run's
// `run.start`) and the records in its last bytes (where `run.end` and `run.verdict` land).
// A 48-hour soak's journal reaches tens of MB; a view that polls it every few seconds
// reads a few KB here instead. Not a chain check (that is verify's job): a view only.
import { closeSync, openSync } from 'node:fs';
import { readAt } from '../fs/read-at.ts';
import type { JournalRecord } from '../evidence/journal-record.ts';

const FIRST_CHUNK = 64 * 1024;
const TAIL_CHUNK = 64 * 1024;
/** A line longer than this is not a journal record a view can use. */
const MAX_LINE = 4 * 1024 * 1024;

/** The journal's first record; null while it is not written whole yet. A missing file throws (code ENOENT). */
export function readFirstRecord(path: string): JournalRecord | null {
  const fd = openSync(path, 'r');
  try {
    for (let size = FIRST_CHUNK; size <= MAX_LINE; size *= 4) {
      const bytes = readAt(fd, 0, size);
      const end = bytes.indexOf(0x0a);
      if (end !== -1) return parseRecord(bytes.toString('utf8', 0, end));
      // The first line is still being written (or longer than the chunk): read more, or wait.
      if (bytes.length < size) return null;
    }
    return null;
  } finally {
    closeSync(fd);
  }
}

/**
 * The complete records among the journal's last bytes before `size` (its current length),
 * oldest first. The first, partial line of the chunk and a torn last line are left out;
 * a tail that holds no whole line is read again with a larger chunk.
 */
export function readTailRecords(path: string, size: number): JournalRecord[] {
  const fd = openSync(path, 'r');
  try {
    for (let chunk = TAIL_CHUNK; chunk <= MAX_LINE; chunk *= 4) {
      const from = Math.max(0, size - chunk);
      const bytes = readAt(fd, from, size - from);
      const lines = bytes.toString('utf8').split('\n');
      // The text after the last newline is a line still being written.
      lines.pop();
      if (from > 0) lines.shift();
      if (lines.length > 0 || from === 0) return lines.map(parseRecord).filter((r): r is JournalRecord => r !== null);
    }
    return [];
  } finally {
    closeSync(fd);
  }
}

function parseRecord(line: string): JournalRecord | null {
  try {
    const value = JSON.parse(line) as unknown;
    if (typeof value !== 'object' || value === null || typeof (value as JournalRecord).type !== 'string') return null;
    const record = value as JournalRecord;
    return typeof record.payload === 'object' && record.payload !== null ? record : null;
  } catch {
    return null;
  }
}
