// Every id is a ULID (DESIGN.md): sortable by time, unique without coordination. Ids of
// one process increase even within one millisecond or when the clock steps back.
import { incrementBase32, monotonicFactory } from 'ulid';

const nextMonotonic = monotonicFactory();

/** A ULID greater than every id this process made before it. */
export function newRecordId(): string {
  return nextMonotonic();
}

/**
 * `candidate` if it sorts after `previous`, else the id right after `previous`. Journal
 * ids must increase down the file, also when another process (with its own clock and
 * counter) appended the line before.
 */
export function recordIdAfter(candidate: string, previous: string | null): string {
  if (previous === null || candidate > previous) return candidate;
  return incrementBase32(previous);
}

/** 26 characters of Crockford base32, upper case, first one 0–7 (48-bit time). */
export const RECORD_ID_PATTERN = /^[0-7][0-9A-HJKMNP-TV-Z]{25}$/;
