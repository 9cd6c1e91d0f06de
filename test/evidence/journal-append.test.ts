// The journal on real files: what `append` promises (on disk when it resolves), group
// commit (same order, same chain, fewer writes), idempotency keys, several writers on
// one file, redaction, and refusing what would break the chain.
import { readFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GENESIS_HASH, type JournalRecord } from '../../src/evidence/journal-record.ts';
import { Journal, type JournalOptions } from '../../src/evidence/journal.ts';
import { readJournal } from '../../src/evidence/read-journal.ts';
import { RECORD_ID_PATTERN } from '../../src/evidence/record-id.ts';

const CONTRACT = { version: '1.0.0', hash: 'c'.repeat(64) };
const OPTIONS: JournalOptions = { contract: CONTRACT, actor: 'tester' };

let dir = '';
let path = '';
const opened: Journal[] = [];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'evident-journal-'));
  path = join(dir, 'run', 'journal.jsonl');
});
afterEach(async () => {
  for (const journal of opened.splice(0)) await journal.close();
  rmSync(dir, { recursive: true, force: true });
});

async function openJournal(options: Partial<JournalOptions> = {}): Promise<Journal> {
  const journal = await Journal.open(path, { ...OPTIONS, ...options });
  opened.push(journal);
  return journal;
}

/** The records in the file right now, read without the Journal; fails on any chain problem. */
function recordsOnDisk(): JournalRecord[] {
  const reading = readJournal(path);
  expect(reading.problems).toEqual([]);
  expect(reading.torn).toBeNull();
  return reading.records;
}

describe('Journal.append', () => {
  it('creates folder and file, and a record is in the file when append resolves', async () => {
    const journal = await openJournal();
    expect(readFileSync(path, 'utf8')).toBe('');
    expect(journal.count).toBe(0);
    expect(journal.headHash).toBe(GENESIS_HASH);
    for (let i = 0; i < 5; i++) {
      const record = await journal.append({ type: 'test.step', payload: { i } });
      // Read straight from the file, the Journal still open: the line is there already.
      const lastLine = readFileSync(path, 'utf8').trimEnd().split('\n').at(-1) ?? '';
      expect(JSON.parse(lastLine)).toEqual(record);
    }
    expect(journal.count).toBe(5);
    expect(journal.headHash).toBe(recordsOnDisk()[4]?.hash);
  });

  it('fills in ids, times, actor, correlation and contract, and chains the records', async () => {
    const journal = await openJournal();
    const first = await journal.append({ type: 'operator.start', payload: { service: 'api' } });
    const second = await journal.append({ type: 'probe.health', payload: {}, event_time: '2026-01-01T00:00:00.000Z', actor: 'probe', correlation_id: first.correlation_id });
    expect(first.id).toMatch(RECORD_ID_PATTERN);
    expect(first.correlation_id).toMatch(RECORD_ID_PATTERN);
    expect(second.id > first.id).toBe(true);
    expect(first.event_time).toBe(first.process_time);
    expect(Date.parse(first.process_time)).toBeGreaterThan(Date.now() - 60_000);
    expect(first).toMatchObject({ actor: 'tester', contract: CONTRACT, prev_hash: GENESIS_HASH });
    expect(first).not.toHaveProperty('idempotency_key');
    expect(second).toMatchObject({ actor: 'probe', event_time: '2026-01-01T00:00:00.000Z', correlation_id: first.correlation_id, prev_hash: first.hash });
    expect(recordsOnDisk()).toEqual([first, second]);
  });

  it('rejects a record the chain check would refuse, alone, and goes on', async () => {
    const journal = await openJournal();
    await expect(journal.append({ type: 'test.bad', payload: { value: Number.NaN } })).rejects.toThrow(/NaN/);
    await expect(journal.append({ type: 'test.bad', payload: {}, event_time: 'yesterday' })).rejects.toThrow(/event_time: expected an ISO 8601 date and time/);
    await expect(journal.append({ type: '', payload: {} })).rejects.toThrow(/type: expected a non-empty string/);
    await journal.append({ type: 'test.good', payload: {} });
    expect(recordsOnDisk().map((r) => r.type)).toEqual(['test.good']);
  });

  it('refuses appends after close', async () => {
    const journal = await Journal.open(path, OPTIONS);
    await journal.close();
    await expect(journal.append({ type: 'test.late', payload: {} })).rejects.toThrow(/is closed/);
  });

  it('redacts secrets in payloads unless told not to', async () => {
    const journal = await openJournal();
    await journal.append({ type: 'supervisor.start', payload: { env: { DB_PASSWORD: 'hunter2', PORT: '7000' }, command: 'node app.js --token s3cr3t' } });
    const text = readFileSync(path, 'utf8');
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain('s3cr3t');
    expect(recordsOnDisk()[0]?.payload).toEqual({ env: { DB_PASSWORD: '[redacted]', PORT: '7000' }, command: 'node app.js --token [redacted]' });
    await journal.close();
    const raw = await openJournal({ redact: false });
    await raw.append({ type: 'test.raw', payload: { env: { DB_PASSWORD: 'hunter2' } } });
    expect(readFileSync(path, 'utf8')).toContain('hunter2');
  });
});

describe('group commit', () => {
  it('holds grouped records until the group timer, then writes them durably', async () => {
    const journal = await openJournal({ groupCommitMs: 300 });
    const pending = journal.appendGrouped({ type: 'test.grouped', payload: {} });
    await new Promise((r) => setTimeout(r, 30));
    expect(readFileSync(path, 'utf8')).toBe('');
    const record = await pending;
    expect(recordsOnDisk()).toEqual([record]);
  });

  it('writes at once when 256 are waiting, whatever the timer', async () => {
    const journal = await openJournal({ groupCommitMs: 60_000 });
    const all = Promise.all(Array.from({ length: 256 }, (_, i) => journal.appendGrouped({ type: 'test.grouped', payload: { i } })));
    const timeout = new Promise((_, reject) => setTimeout(() => reject(new Error('256 grouped records were not written without the timer')), 5_000));
    await Promise.race([all, timeout]);
    expect(recordsOnDisk()).toHaveLength(256);
  });

  it('flush writes what is waiting', async () => {
    const journal = await openJournal({ groupCommitMs: 60_000 });
    const pending = journal.appendGrouped({ type: 'test.grouped', payload: {} });
    await journal.flush();
    expect(recordsOnDisk()).toEqual([await pending]);
  });

  it('keeps call order, grouped and durable interleaved, in one valid chain', async () => {
    const journal = await openJournal({ groupCommitMs: 10 });
    const calls: Promise<JournalRecord>[] = [];
    for (let i = 0; i < 600; i++) {
      const input = { type: 'test.mixed', payload: { i } };
      calls.push(i % 7 === 0 ? journal.append(input) : journal.appendGrouped(input));
      // Now and then let batches go out mid-stream.
      if (i % 50 === 0) await new Promise((r) => setTimeout(r, 3));
    }
    const returned = await Promise.all(calls);
    const onDisk = recordsOnDisk();
    expect(onDisk.map((r) => r.payload.i)).toEqual(Array.from({ length: 600 }, (_, i) => i));
    expect(onDisk).toEqual(returned);
    expect(journal.count).toBe(600);
    expect(journal.headHash).toBe(onDisk[599]?.hash);
  });
});

describe('idempotency keys', () => {
  it('the same key twice is one record, and the second call gets the first record', async () => {
    const journal = await openJournal();
    const first = await journal.append({ type: 'operator.stop', payload: { service: 'api' }, idempotency_key: 'stop-api-1' });
    const again = await journal.append({ type: 'operator.stop', payload: { service: 'api' }, idempotency_key: 'stop-api-1' });
    const other = await journal.append({ type: 'operator.stop', payload: { service: 'api' }, idempotency_key: 'stop-api-2' });
    expect(again).toEqual(first);
    expect(recordsOnDisk()).toEqual([first, other]);
    expect(journal.count).toBe(2);
  });

  it('the same key twice in one batch is one record', async () => {
    const journal = await openJournal({ groupCommitMs: 20 });
    const [a, b, c] = await Promise.all([
      journal.appendGrouped({ type: 'operator.blocker', payload: { n: 1 }, idempotency_key: 'k' }),
      journal.appendGrouped({ type: 'test.other', payload: {} }),
      journal.appendGrouped({ type: 'operator.blocker', payload: { n: 2 }, idempotency_key: 'k' }),
    ]);
    expect(c).toEqual(a);
    expect(recordsOnDisk()).toEqual([a, b]);
  });

  it('a key is remembered across close and reopen', async () => {
    const first = await openJournal();
    const original = await first.append({ type: 'operator.signoff', payload: { gate: 1 }, idempotency_key: 'signoff-gate-1' });
    await first.close();
    const second = await openJournal();
    expect(second.count).toBe(1);
    expect(await second.append({ type: 'operator.signoff', payload: { gate: 1 }, idempotency_key: 'signoff-gate-1' })).toEqual(original);
    expect(recordsOnDisk()).toEqual([original]);
  });

  it('a key written by another Journal on the same file is found before writing', async () => {
    const console_ = await openJournal({ actor: 'console' });
    const cli = await openJournal({ actor: 'cli' });
    const fromCli = await cli.append({ type: 'operator.approve', payload: {}, idempotency_key: 'approve-7' });
    const fromConsole = await console_.append({ type: 'operator.approve', payload: {}, idempotency_key: 'approve-7' });
    expect(fromConsole).toEqual(fromCli);
    expect(recordsOnDisk()).toEqual([fromCli]);
  });
});

describe('several writers on one file', () => {
  it('two Journals appending alternately, then at once, keep one valid chain', async () => {
    const a = await openJournal({ actor: 'a', groupCommitMs: 5 });
    const b = await openJournal({ actor: 'b', groupCommitMs: 5 });
    for (let i = 0; i < 20; i++) {
      await a.append({ type: 'test.alternate', payload: { i } });
      await b.append({ type: 'test.alternate', payload: { i } });
    }
    const together: Promise<JournalRecord>[] = [];
    for (let i = 0; i < 100; i++) {
      together.push(a.appendGrouped({ type: 'test.together', payload: { i } }));
      together.push(i % 3 === 0 ? b.append({ type: 'test.together', payload: { i } }) : b.appendGrouped({ type: 'test.together', payload: { i } }));
    }
    await Promise.all(together);
    const onDisk = recordsOnDisk();
    expect(onDisk).toHaveLength(240);
    expect(onDisk.slice(0, 40).map((r) => r.actor)).toEqual(Array.from({ length: 40 }, (_, i) => (i % 2 === 0 ? 'a' : 'b')));
    // Each writer's own records stay in its call order.
    for (const actor of ['a', 'b']) {
      const mine = onDisk.filter((r) => r.actor === actor && r.type === 'test.together').map((r) => r.payload.i);
      expect(mine).toEqual(Array.from({ length: 100 }, (_, i) => i));
    }
    // Whoever wrote last knows the whole file; the other catches up on its next write.
    const last = onDisk.at(-1) as JournalRecord;
    const [lastWriter, otherWriter] = last.actor === 'a' ? [a, b] : [b, a];
    expect(lastWriter.count).toBe(240);
    expect(lastWriter.headHash).toBe(last.hash);
    await otherWriter.append({ type: 'test.catch-up', payload: {} });
    expect(otherWriter.count).toBe(241);
    expect(otherWriter.headHash).toBe(recordsOnDisk()[240]?.hash);
  });
});

describe('opening a damaged journal', () => {
  it('refuses a broken chain, lists its problems, and leaves the file as it was', async () => {
    const journal = await openJournal();
    for (let i = 0; i < 4; i++) await journal.append({ type: 'test.step', payload: { i } });
    await journal.close();
    const lines = readFileSync(path, 'utf8').split('\n');
    lines.splice(1, 1);
    writeFileSync(path, lines.join('\n'));
    const before = readFileSync(path);
    await expect(Journal.open(path, OPTIONS)).rejects.toThrow(`journal ${path} has 1 problem:\n  line 2: prev_hash does not match line 1 (a line removed or reordered?)`);
    expect(readFileSync(path)).toEqual(before);
  });

  it('refuses to write when the file was cut shorter behind its back', async () => {
    const journal = await openJournal();
    await journal.append({ type: 'test.step', payload: {} });
    await journal.append({ type: 'test.step', payload: {} });
    const firstLine = `${readFileSync(path, 'utf8').split('\n')[0]}\n`;
    writeFileSync(path, firstLine);
    await expect(journal.append({ type: 'test.step', payload: {} })).rejects.toThrow(/shrank from \d+ to \d+ bytes/);
    expect(readFileSync(path, 'utf8')).toBe(firstLine);
  });
});
