// Signed checkpoints of a journal. A hash chain shows a line was edited, removed or
// moved, but not that its tail was cut off: the chain of a shortened journal is still
// valid. So at every gate transition and at the end of a run, evident signs the record
// count and head hash into `checkpoints.jsonl` beside the journal; `verify` checks the
// journal still reaches its latest checkpoint.
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { canonicalJson } from '../contract/canonical-json.ts';
import type { JournalRecord } from './journal-record.ts';
import { signBytes, verifySignature, type SigningKey } from './signing-key.ts';

export const CHECKPOINTS_FILE = 'checkpoints.jsonl';

export interface Checkpoint {
  seq: number;
  /** Why it was written: `gate transition RUNNING → PASSED`, `end of run`, … */
  reason: string;
  at: string;
  /** Records in the journal when it was signed, and the last one's hash. */
  count: number;
  head_hash: string;
  key_id: string;
  /** Ed25519 over the canonical JSON of every other field, base64. */
  signature: string;
}

export type UnsignedCheckpoint = Omit<Checkpoint, 'signature'>;

export function checkpointBytes(checkpoint: UnsignedCheckpoint): Buffer {
  const { signature: _ignored, ...fields } = checkpoint as Checkpoint;
  return Buffer.from(canonicalJson(fields), 'utf8');
}

/** Appends a signed checkpoint line and makes it durable before returning it. */
export function appendCheckpoint(dir: string, key: SigningKey, head: { count: number; headHash: string }, reason: string, at = new Date()): Checkpoint {
  const path = join(dir, CHECKPOINTS_FILE);
  const previous = existsSync(path) ? readCheckpoints(dir).checkpoints : [];
  const fields: UnsignedCheckpoint = {
    seq: (previous.at(-1)?.seq ?? 0) + 1,
    reason,
    at: at.toISOString(),
    count: head.count,
    head_hash: head.headHash,
    key_id: key.keyId,
  };
  const checkpoint: Checkpoint = { ...fields, signature: signBytes(key, checkpointBytes(fields)).toString('base64') };
  const fd = openSync(path, 'a', 0o644);
  try {
    writeSync(fd, `${JSON.stringify(checkpoint)}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  return checkpoint;
}

export interface CheckpointReading {
  checkpoints: Checkpoint[];
  problems: string[];
}

export function readCheckpoints(dir: string): CheckpointReading {
  const path = join(dir, CHECKPOINTS_FILE);
  const checkpoints: Checkpoint[] = [];
  const problems: string[] = [];
  const lines = readFileSync(path, 'utf8').split('\n');
  if (lines.at(-1) === '') lines.pop();
  lines.forEach((line, i) => {
    try {
      const value = JSON.parse(line) as Checkpoint;
      if (typeof value.count !== 'number' || typeof value.head_hash !== 'string' || typeof value.signature !== 'string' || typeof value.seq !== 'number') {
        problems.push(`${CHECKPOINTS_FILE} line ${i + 1}: not a checkpoint`);
      } else checkpoints.push(value);
    } catch {
      problems.push(`${CHECKPOINTS_FILE} line ${i + 1}: not JSON (torn or edited)`);
    }
  });
  return { checkpoints, problems };
}

/** Every problem with the checkpoints themselves: a bad signature, a foreign key, seq or count going backwards. */
export function checkCheckpointSignatures(checkpoints: readonly Checkpoint[], publicKeyPem: string, keyId: string): string[] {
  const problems: string[] = [];
  checkpoints.forEach((c, i) => {
    if (c.key_id !== keyId) problems.push(`checkpoint ${c.seq}: signed by key ${c.key_id}, the run's key is ${keyId}`);
    else if (!verifySignature(publicKeyPem, checkpointBytes(c), Buffer.from(c.signature, 'base64'))) problems.push(`checkpoint ${c.seq}: signature does not verify (edited?)`);
    const before = checkpoints[i - 1];
    if (before && (c.seq !== before.seq + 1 || c.count < before.count)) problems.push(`checkpoint ${c.seq}: out of order after checkpoint ${before.seq}`);
  });
  return problems;
}

/** PURE: does the journal still contain everything the checkpoint signed? null when it does. */
export function checkJournalReachesCheckpoint(records: readonly JournalRecord[], checkpoint: Checkpoint): string | null {
  if (records.length < checkpoint.count) {
    return `the journal has ${records.length} records; checkpoint ${checkpoint.seq} (${checkpoint.reason}) signed ${checkpoint.count}: its tail was cut off`;
  }
  const atCheckpoint = checkpoint.count === 0 ? null : records[checkpoint.count - 1];
  if (atCheckpoint && atCheckpoint.hash !== checkpoint.head_hash) {
    return `record ${checkpoint.count} has hash ${atCheckpoint.hash.slice(0, 12)}…, checkpoint ${checkpoint.seq} signed ${checkpoint.head_hash.slice(0, 12)}…: the journal was rewritten`;
  }
  return null;
}
