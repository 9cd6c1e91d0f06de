// Crash safety with real processes: a writer killed with SIGKILL at random moments loses
// nothing it reported durable, and the next open finds one valid chain (a torn tail, if
// any, moved aside and recorded). Two writer processes on one file keep one chain.
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Journal, type RepairReport } from '../../src/evidence/journal.ts';
import { readJournal } from '../../src/evidence/read-journal.ts';
import { killAndWait } from '../helpers/kill-and-wait.ts';

const WRITER = resolve(import.meta.dirname, '../fixtures/journal-writer.ts');
const OPTIONS = { contract: { version: '1.0.0', hash: 'c'.repeat(64) }, actor: 'tester' };

let dir = '';
let path = '';
const children: ChildProcess[] = [];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'evident-journal-crash-'));
  path = join(dir, 'journal.jsonl');
});
afterEach(async () => {
  for (const child of children.splice(0)) await killAndWait(child);
  rmSync(dir, { recursive: true, force: true });
});

interface Writer {
  child: ChildProcess;
  /** Every complete stdout line so far. */
  lines: string[];
  exited: Promise<number | null>;
  waitForLine(prefix: string): Promise<string>;
}

function startWriter(count?: number, wait = false, pauseAt?: number): Writer {
  const args = [WRITER, path, ...(count === undefined ? [] : [String(count)]), ...(wait ? ['--wait'] : []), ...(pauseAt === undefined ? [] : [String(pauseAt)])];
  const child = spawn(process.execPath, args, { stdio: [wait ? 'pipe' : 'ignore', 'pipe', 'pipe'] });
  children.push(child);
  const lines: string[] = [];
  const waiters: { prefix: string; resolve: (line: string) => void }[] = [];
  let partial = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    const parts = (partial + chunk.toString()).split('\n');
    partial = parts.pop() ?? '';
    for (const line of parts) {
      lines.push(line);
      for (const waiter of waiters.filter((w) => line.startsWith(w.prefix))) waiter.resolve(line);
    }
  });
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  // 'close': the exit, and every byte of stdout read.
  const exited = new Promise<number | null>((r) => child.once('close', (code) => r(code)));
  return {
    child,
    lines,
    exited,
    waitForLine: (prefix) =>
      new Promise((resolveLine, reject) => {
        const seen = lines.find((l) => l.startsWith(prefix));
        if (seen !== undefined) return resolveLine(seen);
        waiters.push({ prefix, resolve: resolveLine });
        void exited.then((code) => reject(new Error(`writer exited (${code}) before printing "${prefix}": ${stderr}`)));
      }),
  };
}

const durableIds = (writer: Writer) => writer.lines.filter((l) => l.startsWith('durable ')).map((l) => l.slice('durable '.length));
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** Reopens after a crash and checks what the crash may and may not leave behind. */
async function reopenAndCheck(printedDurable: string[], tornBefore: Buffer | null): Promise<RepairReport | null> {
  const journal = await Journal.open(path, OPTIONS);
  const repair = journal.repair;
  await journal.close();
  const reading = readJournal(path);
  expect(reading.problems).toEqual([]);
  expect(reading.torn).toBeNull();
  const ids = new Set(reading.records.map((r) => r.id));
  for (const id of printedDurable) expect(ids.has(id), `durable id ${id} missing`).toBe(true);
  if (tornBefore !== null) expect(repair).not.toBeNull();
  if (repair !== null) {
    const aside = readFileSync(repair.asideFile);
    if (tornBefore !== null) expect(aside).toEqual(tornBefore);
    expect(sha256(aside)).toBe(repair.sha256);
    const record = reading.records.find((r) => r.type === 'journal.repair' && r.payload.aside_file === basename(repair.asideFile));
    expect(record?.payload).toMatchObject({ found: 'torn last line', offset: repair.offset, length: repair.length, sha256: repair.sha256 });
  }
  return repair;
}

describe('journal crash safety', () => {
  it('a writer killed at random moments loses nothing it reported durable', async () => {
    const allPrinted: string[] = [];
    let repairs = 0;
    for (let round = 0; round < 8; round++) {
      const writer = startWriter();
      await writer.waitForLine('durable ');
      await new Promise((r) => setTimeout(r, 50 + Math.random() * 350));
      await killAndWait(writer.child);
      await writer.exited;
      const printed = durableIds(writer);
      allPrinted.push(...printed);
      // Round 3 tears the last line on purpose, as a crash mid-write would.
      let torn: Buffer | null = null;
      if (round === 3) {
        const lastLine = readFileSync(path, 'utf8').trimEnd().split('\n').at(-1) ?? '';
        appendFileSync(path, lastLine.slice(0, Math.floor(lastLine.length / 2)));
        // Everything after the last complete line (should the kill itself have torn one, that too).
        torn = readFileSync(path).subarray(readJournal(path).completeBytes);
      }
      if ((await reopenAndCheck(allPrinted, torn)) !== null) repairs++;
    }
    expect(repairs).toBeGreaterThanOrEqual(1);
    const records = readJournal(path).records;
    expect(records.filter((r) => r.type === 'journal.repair')).toHaveLength(repairs);
    expect(new Set(allPrinted).size).toBe(allPrinted.length);
  });

  it('two writer processes appending at once keep one valid chain', async () => {
    // Both open first, then are released together; each pauses half-way until both have
    // written their first half, so each surely writes both before and after the other,
    // however the machine schedules them.
    const a = startWriter(150, true, 75);
    const b = startWriter(150, true, 75);
    await Promise.all([a.waitForLine('opened'), b.waitForLine('opened')]);
    for (const writer of [a, b]) writer.child.stdin?.write('go\n');
    await Promise.all([a.waitForLine('paused'), b.waitForLine('paused')]);
    for (const writer of [a, b]) writer.child.stdin?.end('more\n');
    expect(await a.exited).toBe(0);
    expect(await b.exited).toBe(0);
    const reading = readJournal(path);
    expect(reading.problems).toEqual([]);
    expect(reading.torn).toBeNull();
    expect(reading.count).toBe(300);
    for (const writer of [a, b]) {
      const mine = reading.records.filter((r) => r.payload.writer === writer.child.pid);
      expect(mine.map((r) => r.payload.i)).toEqual(Array.from({ length: 150 }, (_, i) => i));
      expect(new Set(durableIds(writer))).toEqual(new Set(mine.map((r) => r.id)));
    }
    // Both really wrote while the other was writing: their records interleave.
    const writers = reading.records.map((r) => r.payload.writer);
    const switches = writers.filter((w, i) => i > 0 && w !== writers[i - 1]).length;
    expect(switches).toBeGreaterThan(1);
  });
});
