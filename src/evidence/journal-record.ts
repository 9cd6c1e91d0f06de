// One line of a journal: an observation, a supervisor event or an operator action, with
// the fields DESIGN.md requires of every record, chained to the line before it by hash.
import { canonicalSha256 } from '../contract/canonical-json.ts';

/** The `prev_hash` of a journal's first record. */
export const GENESIS_HASH = '0'.repeat(64);

/** Who or what made a record: the OS user (or `--actor`), or evident itself. */
export type Actor = string;

export interface ContractRef {
  version: string;
  /** SHA-256 (hex) of the contract's canonical JSON. */
  hash: string;
}

export interface JournalRecord {
  /** ULID, increasing within a journal. */
  id: string;
  /** Dotted kind: `supervisor.start`, `operator.stop`, `probe.health`, `journal.repair`… */
  type: string;
  /** When it happened at the source (ISO 8601, UTC, milliseconds). */
  event_time: string;
  /** When evident recorded it (ISO 8601, UTC, milliseconds). */
  process_time: string;
  actor: Actor;
  /** Ties records of one action or one run together (a ULID). */
  correlation_id: string;
  /** Operator actions only: the same key delivered twice is recorded once. */
  idempotency_key?: string;
  contract: ContractRef;
  payload: Record<string, unknown>;
  prev_hash: string;
  /** SHA-256 (hex) of the canonical JSON of every other field, `prev_hash` included. */
  hash: string;
}

/** What a writer supplies; the journal adds id, process_time, prev_hash and hash. */
export interface RecordInput {
  type: string;
  payload: Record<string, unknown>;
  /** Defaults to process_time. */
  event_time?: string;
  actor?: Actor;
  correlation_id?: string;
  idempotency_key?: string;
}

export function recordHash(record: Omit<JournalRecord, 'hash'>): string {
  const { hash: _ignored, ...rest } = record as JournalRecord;
  return canonicalSha256(rest);
}
