// A torn last line (a crash mid-write) on real files: moved aside byte for byte, cut off,
// and recorded, never silently dropped or kept.
import { createHash } from 'node:crypto';
import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { JournalRecord } from '../../src/evidence/journal-record.ts';
import { Journal, type JournalOptions } from '../../src/evidence/journal.ts';
import { readJournal } from '../../src/evidence/read-journal.ts';

const OPTIONS: JournalOptions = { contract: { version: '1.0.0', hash: 'c'.repeat(64) }, actor: 'tester' };

let dir = '';
let path = '';
const opened: Journal[] = [];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'evident-journal-repair-'));
  path = join(dir, 'journal.jsonl');
});
afterEach(async () => {
  for (const journal of opened.splice(0)) await journal.close();
  rmSync(dir, { recursive: true, force: true });
});

async function openJournal(): Promise<Journal> {
  const journal = await Journal.open(path, OPTIONS);
  opened.push(journal);
  return journal;
}

async function writeRecords(payloads: Record<string, unknown>[]): Promise<void> {
  const journal = await Journal.open(path, OPTIONS);
  for (const payload of payloads) await journal.append({ type: 'test.step', payload });
  await journal.close();
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

describe('torn tail', () => {
  it('a last line cut mid-character is moved aside exactly, cut off, and recorded', async () => {
    await writeRecords([{ n: 1 }, { n: 2 }, { n: 3, text: 'café €€€ '.repeat(40) }]);
    const whole = readFileSync(path);
    const completeBytes = whole.indexOf('\n', whole.indexOf('\n') + 1) + 1; // end of line 2
    // Cut inside a 3-byte '€', so the torn bytes are not valid UTF-8 at their end.
    const cut = whole.indexOf(Buffer.from('€'), completeBytes + 200) + 1;
    truncateSync(path, cut);
    const tornBytes = whole.subarray(completeBytes, cut);

    const journal = await openJournal();
    const repair = journal.repair;
    expect(repair).not.toBeNull();
    if (repair === null) return;
    expect(repair).toMatchObject({ offset: completeBytes, length: tornBytes.length, sha256: sha256(tornBytes) });
    expect(repair.asideFile).toMatch(/journal\.jsonl\.torn-[0-9A-Z]{26}$/);
    expect(readFileSync(repair.asideFile)).toEqual(tornBytes);
    expect(repair.preview).toBe(tornBytes.toString('utf8').slice(0, 200));

    const reading = readJournal(path);
    expect(reading.problems).toEqual([]);
    expect(reading.torn).toBeNull();
    expect(reading.records.map((r) => r.type)).toEqual(['test.step', 'test.step', 'journal.repair']);
    const record = reading.records[2] as JournalRecord;
    expect(record.actor).toBe('evident');
    expect(record.payload).toEqual({
      found: 'torn last line',
      offset: completeBytes,
      length: tornBytes.length,
      sha256: sha256(tornBytes),
      aside_file: basename(repair.asideFile),
      preview: repair.preview,
    });
    expect(journal.count).toBe(3);
    expect(journal.headHash).toBe(record.hash);
    // Appending goes on from the repaired head.
    await journal.append({ type: 'test.after', payload: {} });
    expect(readJournal(path).problems).toEqual([]);
  });

  it('a final line of zeros before the newline is torn too', async () => {
    await writeRecords([{ n: 1 }]);
    const size = statSync(path).size;
    appendFileSync(path, Buffer.from([0, 0, 0, 0, 0x0a]));
    const journal = await openJournal();
    expect(journal.repair).toMatchObject({ offset: size, length: 5 });
    expect(readFileSync(journal.repair?.asideFile ?? '')).toEqual(Buffer.from([0, 0, 0, 0, 0x0a]));
    expect(readJournal(path).records.map((r) => r.type)).toEqual(['test.step', 'journal.repair']);
  });

  it('a clean journal is opened as it is: no repair, no record, no aside file', async () => {
    await writeRecords([{ n: 1 }, { n: 2 }]);
    const before = readFileSync(path);
    const journal = await openJournal();
    expect(journal.repair).toBeNull();
    expect(journal.count).toBe(2);
    expect(readFileSync(path)).toEqual(before);
    expect(readdirSync(dir)).toEqual(['journal.jsonl']);
  });

  it('a torn tail another writer leaves while this one is open is repaired on the next write', async () => {
    const journal = await openJournal();
    await journal.append({ type: 'test.step', payload: {} });
    appendFileSync(path, '{"id":"01KX');
    const record = await journal.append({ type: 'test.after', payload: {} });
    expect(journal.repair).toMatchObject({ length: 11, preview: '{"id":"01KX' });
    const reading = readJournal(path);
    expect(reading.problems).toEqual([]);
    expect(reading.records.map((r) => r.type)).toEqual(['test.step', 'journal.repair', 'test.after']);
    expect(reading.records[2]).toEqual(record);
  });
});
