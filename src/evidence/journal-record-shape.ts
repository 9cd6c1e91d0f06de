// Whether a parsed line has exactly the shape of a JournalRecord, and if not, what is
// wrong where. Written out rather than declared with zod on purpose: the console and
// every gate runner check journals on open and every record before it is appended, and
// loading zod for eleven fields cost the console ~15 MB of its 80 MB budget and ~40 ms
// of start-up (bench/tui-cost.ts). The contract, read once per command and
// cached, keeps its zod schema.
import { RECORD_ID_PATTERN } from './record-id.ts';

export interface ShapeProblem {
  /** Where, as `contract.hash`; `record` for the record as a whole. */
  path: string;
  message: string;
}

const SHA256_HEX = /^[0-9a-f]{64}$/;
// ISO 8601 date and time with an offset (Z or ±hh:mm), seconds and fraction optional.
const ISO_DATETIME = /^(\d{4})-(\d{2})-(\d{2})T([01]\d|2[0-3]):[0-5]\d(?::[0-5]\d(?:\.\d+)?)?(?:Z|[+-](?:[01]\d|2[0-3]):?[0-5]\d)$/;

type Check = (value: unknown) => string | null;

const text: Check = (value) => (typeof value === 'string' && value.length > 0 ? null : 'expected a non-empty string');
const sha256: Check = (value) => (typeof value === 'string' && SHA256_HEX.test(value) ? null : 'expected 64 lower-case hex digits (a SHA-256)');
const recordId: Check = (value) => (typeof value === 'string' && RECORD_ID_PATTERN.test(value) ? null : 'expected a ULID (26 characters of Crockford base32)');
const dateTime: Check = (value) => (typeof value === 'string' && isIsoDateTime(value) ? null : 'expected an ISO 8601 date and time');
const plainObject: Check = (value) => (isPlainObject(value) ? null : 'expected an object');

const CONTRACT_FIELDS: Record<string, Check> = { version: text, hash: sha256 };

const RECORD_FIELDS: Record<string, Check> = {
  id: recordId,
  type: text,
  event_time: dateTime,
  process_time: dateTime,
  actor: text,
  correlation_id: text,
  contract: (value) => (isPlainObject(value) ? null : 'expected an object'),
  payload: plainObject,
  prev_hash: sha256,
  hash: sha256,
};
const OPTIONAL_FIELDS: Record<string, Check> = { idempotency_key: text };

/** Every problem of `value` as a journal record, in field order; empty when it is one. */
export function recordShapeProblems(value: unknown): ShapeProblem[] {
  if (!isPlainObject(value)) return [{ path: 'record', message: 'expected an object' }];
  const problems = fieldProblems(value, RECORD_FIELDS, OPTIONAL_FIELDS, '');
  if (isPlainObject(value.contract)) problems.push(...fieldProblems(value.contract, CONTRACT_FIELDS, {}, 'contract.'));
  return problems;
}

function fieldProblems(value: Record<string, unknown>, required: Record<string, Check>, optional: Record<string, Check>, prefix: string): ShapeProblem[] {
  const problems: ShapeProblem[] = [];
  for (const [field, check] of Object.entries(required)) {
    const message = field in value ? check(value[field]) : 'missing';
    if (message !== null) problems.push({ path: prefix + field, message });
  }
  for (const [field, check] of Object.entries(optional)) {
    const message = field in value ? check(value[field]) : null;
    if (message !== null) problems.push({ path: prefix + field, message });
  }
  // An unknown field is a line evident did not write.
  const unknown = Object.keys(value).filter((key) => !(key in required) && !(key in optional));
  if (unknown.length > 0) {
    const where = prefix === '' ? 'record' : prefix.slice(0, -1);
    problems.push({ path: where, message: `unknown field${unknown.length > 1 ? 's' : ''} ${unknown.map((key) => JSON.stringify(key)).join(', ')}` });
  }
  return problems;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The pattern, and a calendar date that exists (no 2026-02-30). */
function isIsoDateTime(value: string): boolean {
  const match = ISO_DATETIME.exec(value);
  if (match === null) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}
