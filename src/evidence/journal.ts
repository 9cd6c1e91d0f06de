// The append-only, hash-chained journal: every observation and action as one line,
// chained to the line before by hash, on disk (fsync'd) before the caller hears it is
// recorded. All appends of one Journal go through one queue, so the order of calls is
// the order in the file. Several processes may append to one file: each write batch
// takes the journal lock and first reads what the others wrote since. An attested journal
// (the operator journal) ends every write batch with a signed `journal.attest` record in
// the same write (journal-attestation.ts), and moves aside a tail no attestation covers.
import { createHash } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, statSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { canonicalJson } from '../contract/canonical-json.ts';
import { readAt } from '../fs/read-at.ts';
import { syncFolder, writeFileAtomic } from '../fs/atomic-write.ts';
import { formatChainProblems } from './journal-chain.ts';
import { recordShapeProblems } from './journal-record-shape.ts';
import { acquireJournalLock } from './journal-lock.ts';
import { GENESIS_HASH, recordHash, type ContractRef, type JournalRecord, type RecordInput } from './journal-record.ts';
import { attest, ATTEST_TYPE } from './journal-attestation.ts';
import { readJournalFrom } from './read-journal.ts';
import type { SigningKey } from './signing-key.ts';
import { newRecordId, recordIdAfter } from './record-id.ts';
import { redactValue } from '../redaction/redact.ts';

export interface JournalOptions {
  contract: ContractRef;
  /** Recorded as the actor of every record that names none. */
  actor: string;
  /** How long appendGrouped waits for company before writing. Default 100 ms. */
  groupCommitMs?: number;
  /** Redact secrets in payloads. Default true. */
  redact?: boolean;
  /** How long a write waits for another writer's lock. Default 3000 ms. */
  lockWaitMs?: number;
  /** Attest every write batch with this key (journal-attestation.ts). */
  attest?: SigningKey;
  /**
   * Only this Journal writes the file (a run's journal while its runner lives): lines
   * another process appended after it opened are refused, never caught up and signed.
   */
  exclusive?: boolean;
  /**
   * At open, keep this many records and move the rest aside (the records after a run's
   * last signed checkpoint, which a sealer does not vouch for).
   */
  keepRecords?: number;
}

/** What open found after the last complete line, and where it was put. */
export interface RepairReport {
  offset: number;
  length: number;
  /** SHA-256 (hex) of the torn bytes. */
  sha256: string;
  /** Full path of the file holding exactly the torn bytes. */
  asideFile: string;
  preview: string;
}

/** A record as prepared at the call: all but its place in the chain. */
type PreparedRecord = Omit<JournalRecord, 'prev_hash' | 'hash'>;

interface Pending {
  record: PreparedRecord;
  resolve: (record: JournalRecord) => void;
  reject: (error: unknown) => void;
}

/** appendGrouped writes at once when this many are waiting. */
const GROUP_LIMIT = 256;
const PREVIEW_CHARS = 200;

export class Journal {
  readonly path: string;
  private readonly options: JournalOptions;
  private readonly handle: FileHandle;
  private readonly identity: { dev: number; ino: number };
  /** Bytes of complete, checked lines this Journal has read or written. */
  private knownSize = 0;
  private recordCount = 0;
  private head = GENESIS_HASH;
  private headId: string | null = null;
  private readonly byIdempotencyKey = new Map<string, JournalRecord>();
  private lastRepair: RepairReport | null = null;
  /** Whether the file holds an attestation (then a tail after the last one is moved aside). */
  private attested = false;
  /** Set once open has read the file: from then on an exclusive journal refuses foreign lines. */
  private opened = false;
  private pending: Pending[] = [];
  private groupTimer: NodeJS.Timeout | null = null;
  /** A batch is queued that will take everything pending when it starts. */
  private batchQueued = false;
  /** The last batch queued: batches run one after another, never two at once. */
  private batches: Promise<void> = Promise.resolve();
  private closing = false;

  private constructor(path: string, options: JournalOptions, handle: FileHandle, identity: { dev: number; ino: number }) {
    this.path = path;
    this.options = options;
    this.handle = handle;
    this.identity = identity;
  }

  /**
   * Opens (creating folder and file if absent) and reads the journal. A torn last line is
   * moved to `<journal>.torn-<ULID>` and a `journal.repair` record says so; a broken chain
   * in the complete lines throws, listing its problems, and nothing is appended.
   */
  static async open(path: string, options: JournalOptions): Promise<Journal> {
    mkdirSync(dirname(path), { recursive: true });
    const created = !existsSync(path);
    const handle = await open(path, 'a');
    try {
      if (created) syncFolder(dirname(path));
      const stat = await handle.stat();
      const journal = new Journal(path, options, handle, { dev: stat.dev, ino: stat.ino });
      // Catching up under the lock: another writer's line half-written at this instant is not a torn tail.
      await journal.writeBatch([]);
      journal.opened = true;
      return journal;
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  /** Records in the journal as this Journal last read or wrote it. */
  get count(): number {
    return this.recordCount;
  }

  /** Hash of the last record (GENESIS_HASH when empty), as this Journal last read or wrote it. */
  get headHash(): string {
    return this.head;
  }

  /** The last torn tail this Journal moved aside (at open, or one a crashed writer left since). */
  get repair(): RepairReport | null {
    return this.lastRepair;
  }

  /** Appends one record; resolves once it is written and fsync'd. */
  append(input: RecordInput): Promise<JournalRecord> {
    return this.enqueue(input, 'now');
  }

  /**
   * Appends one record written together with others in one write and one fsync, within
   * groupCommitMs (or as soon as 256 are waiting); resolves once it is durable.
   */
  appendGrouped(input: RecordInput): Promise<JournalRecord> {
    return this.enqueue(input, 'grouped');
  }

  /** Resolves once every record appended so far is durable (or has failed). */
  async flush(): Promise<void> {
    if (this.pending.length > 0) this.queueBatch();
    await this.batches;
  }

  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    await this.flush();
    await this.handle.close();
  }

  private enqueue(input: RecordInput, when: 'now' | 'grouped'): Promise<JournalRecord> {
    let record: PreparedRecord;
    try {
      if (this.closing) throw new Error(`journal ${this.path} is closed`);
      record = this.prepare(input);
    } catch (error) {
      return Promise.reject(error);
    }
    const done = new Promise<JournalRecord>((resolve, reject) => this.pending.push({ record, resolve, reject }));
    if (when === 'now' || this.pending.length >= GROUP_LIMIT) this.queueBatch();
    else if (this.groupTimer === null && !this.batchQueued) this.groupTimer = setTimeout(() => this.queueBatch(), this.options.groupCommitMs ?? 100);
    return done;
  }

  /** Everything a record holds that does not depend on its place in the file, checked now so a bad call fails alone. */
  private prepare(input: RecordInput): PreparedRecord {
    const processTime = new Date().toISOString();
    // As JSON data: canonicalJson throws on what JSON cannot hold (NaN, cycles), and the
    // round trip turns dates and the like into what the line will say.
    canonicalJson(input.payload);
    const plain = JSON.parse(JSON.stringify(input.payload)) as Record<string, unknown>;
    const record: PreparedRecord = {
      id: newRecordId(),
      type: input.type,
      event_time: input.event_time ?? processTime,
      process_time: processTime,
      actor: input.actor ?? this.options.actor,
      correlation_id: input.correlation_id ?? newRecordId(),
      ...(input.idempotency_key === undefined ? {} : { idempotency_key: input.idempotency_key }),
      contract: this.options.contract,
      payload: this.options.redact === false ? plain : redactValue(plain),
    };
    const problems = recordShapeProblems({ ...record, prev_hash: GENESIS_HASH, hash: GENESIS_HASH });
    if (problems.length > 0) {
      const issues = problems.map((p) => `${p.path}: ${p.message}`);
      throw new Error(`journal record of type ${JSON.stringify(input.type)} rejected: ${issues.join('; ')}`);
    }
    return record;
  }

  private queueBatch(): void {
    if (this.groupTimer !== null) {
      clearTimeout(this.groupTimer);
      this.groupTimer = null;
    }
    if (this.batchQueued) return;
    this.batchQueued = true;
    this.batches = this.batches.then(() => this.writePending());
  }

  private async writePending(): Promise<void> {
    this.batchQueued = false;
    const batch = this.pending.splice(0);
    if (batch.length === 0) return;
    try {
      const records = await this.writeBatch(batch.map((p) => p.record));
      batch.forEach((p, i) => p.resolve(records[i] as JournalRecord));
    } catch (error) {
      for (const p of batch) p.reject(error);
    }
  }

  /**
   * One write batch under the lock: catch up with lines other writers appended (moving a
   * torn tail aside), chain the batch onto the head, one write, one fsync. Returns, for
   * each prepared record, the record in the file (an earlier one for a repeated key).
   */
  private async writeBatch(prepared: PreparedRecord[]): Promise<JournalRecord[]> {
    const lock = await acquireJournalLock(this.path, { waitMs: this.options.lockWaitMs });
    try {
      const repairRecord = await this.catchUp();
      const results: JournalRecord[] = [];
      const lines: string[] = [];
      const newKeys = new Map<string, JournalRecord>();
      let prevHash = this.head;
      let prevId = this.headId;
      for (const candidate of repairRecord === null ? prepared : [repairRecord, ...prepared]) {
        const key = candidate.idempotency_key;
        const earlier = key === undefined ? undefined : (this.byIdempotencyKey.get(key) ?? newKeys.get(key));
        if (earlier !== undefined) {
          results.push(earlier);
          continue;
        }
        const record = chained(candidate, recordIdAfter(candidate.id, prevId), prevHash);
        lines.push(JSON.stringify(record));
        results.push(record);
        if (key !== undefined) newKeys.set(key, record);
        prevHash = record.hash;
        prevId = record.id;
      }
      const signer = this.options.attest;
      if (signer !== undefined && lines.length > 0) {
        // The batch's own records, signed in the same write: a crash leaves both or a tail the next writer moves aside.
        const now = new Date().toISOString();
        const attestation: PreparedRecord = {
          id: newRecordId(),
          type: ATTEST_TYPE,
          event_time: now,
          process_time: now,
          actor: 'evident',
          correlation_id: newRecordId(),
          contract: this.options.contract,
          payload: { ...attest(signer, this.recordCount, this.recordCount + lines.length, prevHash) },
        };
        const record = chained(attestation, recordIdAfter(attestation.id, prevId), prevHash);
        lines.push(JSON.stringify(record));
        prevHash = record.hash;
        prevId = record.id;
      }
      if (lines.length > 0) {
        const bytes = Buffer.from(`${lines.join('\n')}\n`, 'utf8');
        await writeAll(this.handle, bytes);
        await this.handle.sync();
        // Only what is durable counts as known; a failed write is found as a torn tail next time.
        this.knownSize += bytes.length;
        this.recordCount += lines.length;
        this.head = prevHash;
        this.headId = prevId;
        if (signer !== undefined) this.attested = true;
        for (const [key, record] of newKeys) this.byIdempotencyKey.set(key, record);
      }
      return repairRecord === null ? results : results.slice(1);
    } finally {
      lock.release();
    }
  }

  /** Reads lines appended by other writers since this one last wrote; returns a repair record if a torn tail was moved aside. */
  private async catchUp(): Promise<PreparedRecord | null> {
    const stat = statSync(this.path);
    if (stat.dev !== this.identity.dev || stat.ino !== this.identity.ino) {
      throw new Error(`journal ${this.path} was replaced by another file since it was opened; not appending to either`);
    }
    if (stat.size === this.knownSize) return null;
    if (this.opened && this.options.exclusive === true) {
      throw new Error(`journal ${this.path} was appended to by another process while its writer owns it (${stat.size - this.knownSize} bytes): not catching those lines up, not appending`);
    }
    if (stat.size < this.knownSize) {
      throw new Error(`journal ${this.path} shrank from ${this.knownSize} to ${stat.size} bytes since this writer last wrote (truncated by hand?); not appending`);
    }
    const reading = readJournalFrom(this.path, this.knownSize, { prevHash: this.head, prevId: this.headId, firstLine: this.recordCount + 1 });
    if (reading.problems.length > 0) throw new Error(formatChainProblems(this.path, reading.problems));
    // An attested journal keeps only what an attestation closes: records after the last
    // one (a writer that died before attesting them, or lines added by hand) go aside.
    let kept = reading.count;
    let why = 'record(s) after the last attestation';
    if (!this.opened && this.options.keepRecords !== undefined && this.recordCount + kept > this.options.keepRecords) {
      kept = Math.max(0, this.options.keepRecords - this.recordCount);
      why = 'record(s) after the last signed checkpoint';
    }
    if (this.options.attest !== undefined) {
      const last = reading.records.findLastIndex((r) => r.type === ATTEST_TYPE);
      if (last >= 0 || this.attested) {
        this.attested = true;
        kept = last + 1;
      }
    }
    const records = reading.records.slice(0, kept);
    for (const record of records) {
      if (record.idempotency_key !== undefined && !this.byIdempotencyKey.has(record.idempotency_key)) this.byIdempotencyKey.set(record.idempotency_key, record);
    }
    const keptBytes = reading.lines.slice(0, kept).reduce((sum, line) => sum + Buffer.byteLength(line, 'utf8') + 1, 0);
    this.recordCount += kept;
    if (kept === reading.count) {
      this.head = reading.headHash;
      this.headId = reading.headId;
    } else if (kept > 0) {
      this.head = (records.at(-1) as JournalRecord).hash;
      this.headId = (records.at(-1) as JournalRecord).id;
    }
    this.knownSize += keptBytes;
    if (kept < reading.count) {
      const offset = this.knownSize;
      return this.moveTailAside(offset, stat.size - offset, `${reading.count - kept} ${why}`, reading.lines.slice(kept).join('\n'));
    }
    return reading.torn === null ? null : this.moveTailAside(reading.torn.offset, reading.torn.length, 'torn last line', reading.torn.text);
  }

  /** Copies the tail's bytes to a file of their own, cuts them off, and prepares the record that says so. */
  private async moveTailAside(offset: number, length: number, found: string, text: string): Promise<PreparedRecord> {
    const bytes = readBytes(this.path, offset, length);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const asideFile = `${this.path}.torn-${newRecordId()}`;
    writeFileAtomic(asideFile, bytes);
    await this.handle.truncate(offset);
    await this.handle.sync();
    const payload = redactValue({ found, offset, length: bytes.length, sha256, aside_file: basename(asideFile), preview: text.slice(0, PREVIEW_CHARS) });
    this.lastRepair = { offset, length: bytes.length, sha256, asideFile, preview: payload.preview };
    const now = new Date().toISOString();
    return {
      id: newRecordId(),
      type: 'journal.repair',
      event_time: now,
      process_time: now,
      actor: 'evident',
      correlation_id: newRecordId(),
      contract: this.options.contract,
      payload,
    };
  }
}

function chained(prepared: PreparedRecord, id: string, prevHash: string): JournalRecord {
  // Field order as a reader scans a line: what, when, who, then the chain.
  const unsigned: Omit<JournalRecord, 'hash'> = {
    id,
    type: prepared.type,
    event_time: prepared.event_time,
    process_time: prepared.process_time,
    actor: prepared.actor,
    correlation_id: prepared.correlation_id,
    ...(prepared.idempotency_key === undefined ? {} : { idempotency_key: prepared.idempotency_key }),
    contract: prepared.contract,
    payload: prepared.payload,
    prev_hash: prevHash,
  };
  return { ...unsigned, hash: recordHash(unsigned) };
}

async function writeAll(handle: FileHandle, bytes: Buffer): Promise<void> {
  let written = 0;
  while (written < bytes.length) {
    const { bytesWritten } = await handle.write(bytes, written, bytes.length - written);
    written += bytesWritten;
  }
}

function readBytes(path: string, offset: number, length: number): Buffer {
  const fd = openSync(path, 'r');
  try {
    return readAt(fd, offset, length);
  } finally {
    closeSync(fd);
  }
}
