// The chain check as a reviewer meets it: lines built here by hand (no Journal), then
// damaged the ways a journal gets damaged, each found and named by line and check.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkChain, formatChainProblems } from '../../src/evidence/journal-chain.ts';
import { GENESIS_HASH, recordHash, type JournalRecord } from '../../src/evidence/journal-record.ts';
import { readJournal } from '../../src/evidence/read-journal.ts';
import { newRecordId } from '../../src/evidence/record-id.ts';

const CONTRACT = { version: '1.0.0', hash: 'c'.repeat(64) };

/** `n` records chained from the genesis hash, one JSON line each. */
function chainOf(n: number): { lines: string[]; records: JournalRecord[] } {
  const records: JournalRecord[] = [];
  let prev = GENESIS_HASH;
  for (let i = 1; i <= n; i++) {
    const record = sealed({
      id: newRecordId(),
      type: 'test.step',
      event_time: '2026-01-02T03:04:05.678Z',
      process_time: '2026-01-02T03:04:05.679Z',
      actor: 'tester',
      correlation_id: newRecordId(),
      contract: CONTRACT,
      payload: { step: i, note: 'abc' },
      prev_hash: prev,
    });
    records.push(record);
    prev = record.hash;
  }
  return { lines: records.map((r) => JSON.stringify(r)), records };
}

function sealed(unsigned: Omit<JournalRecord, 'hash'>): JournalRecord {
  return { ...unsigned, hash: recordHash(unsigned) };
}

const found = (lines: string[]) => checkChain(lines).problems.map((p) => ({ line: p.line, check: p.check }));

describe('checkChain', () => {
  it('accepts an intact chain and reports its head', () => {
    const { lines, records } = chainOf(10);
    const report = checkChain(lines);
    expect(report.problems).toEqual([]);
    expect(report.count).toBe(10);
    expect(report.headHash).toBe(records[9]?.hash);
    expect(report.headId).toBe(records[9]?.id);
    expect(report.records).toEqual(records);
  });

  it('an empty journal is the genesis hash', () => {
    expect(checkChain([])).toEqual({ count: 0, headHash: GENESIS_HASH, headId: null, records: [], problems: [] });
  });

  it('finds a byte edited in line 7, names it, and keeps the valid prefix before it', () => {
    const { lines, records } = chainOf(10);
    lines[6] = (lines[6] as string).replace('"note":"abc"', '"note":"abd"');
    const report = checkChain(lines);
    expect(report.problems).toEqual([{ line: 7, check: 'hash', message: 'line 7: hash does not match its content (edited?)' }]);
    expect(report.count).toBe(6);
    expect(report.headHash).toBe(records[5]?.hash);
  });

  it('an edited line whose hash was recomputed breaks the link from the next line', () => {
    const { lines, records } = chainOf(10);
    const { hash: _old, ...rest } = records[6] as JournalRecord;
    lines[6] = JSON.stringify(sealed({ ...rest, payload: { step: 7, note: 'forged' } }));
    expect(checkChain(lines).problems).toEqual([{ line: 8, check: 'chain', message: 'line 8: prev_hash does not match line 7 (a line removed or reordered?)' }]);
  });

  it('finds a deleted line at the line that follows the gap', () => {
    const { lines } = chainOf(10);
    lines.splice(7, 1);
    const report = checkChain(lines);
    expect(report.problems).toEqual([{ line: 8, check: 'chain', message: 'line 8: prev_hash does not match line 7 (a line removed or reordered?)' }]);
    expect(report.count).toBe(7);
  });

  it('finds two swapped lines by chain and order', () => {
    const { lines } = chainOf(10);
    [lines[6], lines[7]] = [lines[7] as string, lines[6] as string];
    expect(found(lines)).toEqual([
      { line: 7, check: 'chain' },
      { line: 8, check: 'chain' },
      { line: 8, check: 'order' },
      { line: 9, check: 'chain' },
    ]);
    expect(checkChain(lines).count).toBe(6);
  });

  it('finds the first lines removed', () => {
    const { lines } = chainOf(3);
    expect(checkChain(lines.slice(1)).problems).toEqual([{ line: 1, check: 'chain', message: 'line 1: prev_hash is not the genesis hash (lines removed from the start?)' }]);
  });

  it('finds ids that do not increase even when the hashes chain', () => {
    const { records } = chainOf(2);
    const first = records[0] as JournalRecord;
    const { hash: _h, ...second } = records[1] as JournalRecord;
    const same = sealed({ ...second, id: first.id, prev_hash: first.hash });
    const report = checkChain([JSON.stringify(first), JSON.stringify(same)]);
    expect(report.problems).toEqual([{ line: 2, check: 'order', message: `line 2: id ${first.id} does not come after line 1's id ${first.id} (reordered?)` }]);
  });

  it('finds a line that is not JSON, once, without blaming the line after it', () => {
    const { lines } = chainOf(5);
    lines[2] = '{"id": "01'; // cut mid-line
    expect(found(lines)).toEqual([{ line: 3, check: 'parse' }]);
    expect(checkChain(lines).problems[0]?.message).toMatch(/^line 3: not valid JSON \(/);
  });

  it('finds a record of the wrong shape and says which field', () => {
    const { lines, records } = chainOf(4);
    const record = records[1] as JournalRecord;
    lines[1] = JSON.stringify({ ...record, payload: [1, 2] });
    lines[2] = JSON.stringify({ ...(records[2] as JournalRecord), extra: true });
    const { actor: _actor, ...noActor } = records[3] as JournalRecord;
    lines[3] = JSON.stringify(noActor);
    const report = checkChain(lines);
    expect(report.problems.map((p) => p.check)).toEqual(['shape', 'shape', 'shape']);
    expect(report.problems[0]?.message).toBe('line 2: not a journal record: payload: expected an object');
    expect(report.problems[1]?.message).toMatch(/^line 3: not a journal record: record: .*"extra"/);
    expect(report.problems[2]?.message).toMatch(/^line 4: not a journal record: actor: /);
  });

  it('escapes control characters a damaged line would put on the screen', () => {
    const report = checkChain(['\u001b[31mred']);
    expect(report.problems[0]?.message).not.toContain('\u001b');
    expect(report.problems[0]?.message).toContain('\\u001b');
  });

  it('continues a chain from a given start with the file line numbers', () => {
    const { lines, records } = chainOf(10);
    const start = { prevHash: (records[4] as JournalRecord).hash, prevId: (records[4] as JournalRecord).id, firstLine: 6 };
    expect(checkChain(lines.slice(5), start)).toMatchObject({ count: 5, headHash: records[9]?.hash, problems: [] });
    const damaged = lines.slice(5);
    damaged.splice(1, 1);
    expect(checkChain(damaged, start).problems.map((p) => p.message)).toEqual(['line 7: prev_hash does not match line 6 (a line removed or reordered?)']);
  });

  it('formats problems under a header naming the journal', () => {
    const { lines } = chainOf(3);
    lines.splice(1, 1);
    expect(formatChainProblems('run/journal.jsonl', checkChain(lines).problems)).toBe(
      'journal run/journal.jsonl has 1 problem:\n  line 2: prev_hash does not match line 1 (a line removed or reordered?)',
    );
  });
});

describe('readJournal', () => {
  let dir = '';
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'evident-journal-read-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('a missing journal is a clear ENOENT error', () => {
    const path = join(dir, 'nothing.jsonl');
    expect(() => readJournal(path)).toThrow(expect.objectContaining({ code: 'ENOENT', message: `no journal at ${path}` }));
  });

  it('an empty file is an empty journal', () => {
    const path = join(dir, 'journal.jsonl');
    writeFileSync(path, '');
    expect(readJournal(path)).toMatchObject({ size: 0, completeBytes: 0, lines: [], torn: null, count: 0, headHash: GENESIS_HASH, problems: [] });
  });

  it('reads complete lines and reports a last line without its newline as the torn tail', () => {
    const path = join(dir, 'journal.jsonl');
    const { lines, records } = chainOf(3);
    const complete = `${lines.join('\n')}\n`;
    writeFileSync(path, `${complete}{"id":"01J`);
    const reading = readJournal(path);
    const offset = Buffer.byteLength(complete);
    expect(reading.torn).toEqual({ offset, length: 10, text: '{"id":"01J' });
    expect(reading).toMatchObject({ completeBytes: offset, size: offset + 10, count: 3, headHash: records[2]?.hash, problems: [] });
    expect(reading.lines).toEqual(lines);
  });

  it('a final complete line that is not JSON (zeros left by a crash) goes with the torn tail', () => {
    const path = join(dir, 'journal.jsonl');
    const { lines } = chainOf(2);
    const complete = `${lines.join('\n')}\n`;
    writeFileSync(path, `${complete}\u0000\u0000\u0000\n`);
    const reading = readJournal(path);
    expect(reading.torn).toEqual({ offset: Buffer.byteLength(complete), length: 4, text: '\u0000\u0000\u0000\n' });
    expect(reading.count).toBe(2);
    expect(reading.problems).toEqual([]);
  });

  it('a bad line before the last one is a chain problem, not a torn tail', () => {
    const path = join(dir, 'journal.jsonl');
    const { lines } = chainOf(3);
    lines[1] = 'garbage';
    writeFileSync(path, `${lines.join('\n')}\n`);
    const reading = readJournal(path);
    expect(reading.torn).toBeNull();
    expect(reading.problems.map((p) => [p.line, p.check])).toEqual([[2, 'parse']]);
  });
});
