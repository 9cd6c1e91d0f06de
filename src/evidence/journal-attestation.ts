// Attested journals: the operator journal holds what gates stand on besides runs — the
// contract and pipeline locks and their approvals, blockers, sign-offs, quarantines — and
// many processes append to it over months, so it is never sealed like a run. Instead,
// every write batch ends with a `journal.attest` record, written in the same write: a
// signature by the installation's key over the range of records the batch added (from the
// count the writer had read, to the last record of the batch) and that last record's
// hash. A record counts only inside an attested range:
//   - a record appended by hand (or re-chained from an edit) is in no range, or breaks the
//     signature of the range it claims to be in;
//   - a writer that crashed between its records and their attestation leaves a tail that
//     the next writer moves aside, as it moves a torn line, so it never counts;
//   - records from before a journal was attested at all stay outside every range.
// Pure: records and trusted keys in, the attested records and the problems out.
import { canonicalJson } from '../contract/canonical-json.ts';
import type { JournalRecord } from './journal-record.ts';
import { signBytes, verifySignature, type SigningKey } from './signing-key.ts';
import type { TrustedKey } from './trusted-keys.ts';

export const ATTEST_TYPE = 'journal.attest';

export interface AttestationPayload {
  /** Records the writer had read before its batch: the range starts after this one. */
  from: number;
  /** The last record the attestation covers (the one before the attestation itself). */
  count: number;
  head_hash: string;
  key_id: string;
  /** Ed25519 over the canonical JSON of every other field, base64. */
  signature: string;
}

export function attestationBytes(payload: Omit<AttestationPayload, 'signature'>): Buffer {
  return Buffer.from(canonicalJson({ from: payload.from, count: payload.count, head_hash: payload.head_hash, key_id: payload.key_id }), 'utf8');
}

/** The signed payload of the attestation of records (from, count], the last of which has hash `headHash`. */
export function attest(key: SigningKey, from: number, count: number, headHash: string): AttestationPayload {
  const fields = { from, count, head_hash: headHash, key_id: key.keyId };
  return { ...fields, signature: signBytes(key, attestationBytes(fields)).toString('base64') };
}

export interface AttestedReading {
  /** The records inside attested ranges, in file order, attestations left out. */
  attested: JournalRecord[];
  /** 1-based index of the last valid attestation (0 when none): records after it are not attested yet. */
  attestedThrough: number;
  /** Ranges of records no attestation covers, 1-based and inclusive, before `attestedThrough`. */
  gaps: { first: number; last: number }[];
  /** Attestations that do not hold (bad signature, untrusted key, wrong range or hash); reading stops at the first. */
  problems: string[];
  /** Whether the journal holds any attestation at all. */
  attestedAtAll: boolean;
}

/**
 * Walks the records (a whole journal, or its continuation after `startIndex`, the
 * 1-based index of the last attestation already read) and keeps what attestations by a
 * trusted key cover.
 */
export function readAttested(records: readonly JournalRecord[], trusted: readonly TrustedKey[], startIndex = 0): AttestedReading {
  const reading: AttestedReading = { attested: [], attestedThrough: startIndex, gaps: [], problems: [], attestedAtAll: false };
  let pending: JournalRecord[] = [];
  let pendingFrom = startIndex + 1;
  for (let i = 0; i < records.length; i++) {
    const record = records[i] as JournalRecord;
    const position = startIndex + i + 1;
    if (record.type !== ATTEST_TYPE) {
      pending.push(record);
      continue;
    }
    reading.attestedAtAll = true;
    const problem = attestationProblem(record, position, reading.attestedThrough, i === 0 ? null : (records[i - 1] as JournalRecord), trusted);
    if (problem !== null) {
      reading.problems.push(`record ${position}: ${problem}`);
      return reading;
    }
    const p = record.payload as unknown as AttestationPayload;
    // Records between the last attestation and this one's `from` were read by its writer but attested by no one.
    const unattested = p.from - (pendingFrom - 1);
    if (unattested > 0) reading.gaps.push({ first: pendingFrom, last: p.from });
    reading.attested.push(...pending.slice(Math.max(0, unattested)));
    pending = [];
    reading.attestedThrough = position;
    pendingFrom = position + 1;
  }
  return reading;
}

function attestationProblem(record: JournalRecord, position: number, previous: number, before: JournalRecord | null, trusted: readonly TrustedKey[]): string | null {
  const p = record.payload as Partial<AttestationPayload>;
  if (typeof p.from !== 'number' || typeof p.count !== 'number' || typeof p.head_hash !== 'string' || typeof p.key_id !== 'string' || typeof p.signature !== 'string') return 'an attestation without its fields';
  if (p.count !== position - 1) return `an attestation of records up to ${p.count}, written at ${position}: it was moved`;
  if (p.from < previous || p.from >= p.count) return `an attestation of records ${p.from + 1}–${p.count}, after the attestation at ${previous}: its range is wrong`;
  if (before === null || before.hash !== p.head_hash) return `an attestation of a last record whose hash is not ${p.head_hash.slice(0, 12)}…: the records before it were changed`;
  const key = trusted.find((k) => k.keyId === p.key_id);
  if (key === undefined) return `attested by key ${p.key_id}, which is not trusted here`;
  if (!verifySignature(key.publicKeyPem, attestationBytes(p as AttestationPayload), Buffer.from(p.signature, 'base64'))) return 'an attestation whose signature does not verify: it was edited';
  return null;
}
