// The journal writer lock with real lock files and real processes as holders.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acquireJournalLock, journalLockPath } from '../../src/evidence/journal-lock.ts';
import { Journal } from '../../src/evidence/journal.ts';
import { killAndWait } from '../helpers/kill-and-wait.ts';

let dir = '';
let journalPath = '';
const children: ChildProcess[] = [];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'evident-journal-lock-'));
  journalPath = join(dir, 'journal.jsonl');
});
afterEach(async () => {
  for (const child of children.splice(0)) await killAndWait(child);
  rmSync(dir, { recursive: true, force: true });
});

/** A live process whose pid a lock file can name. */
async function sleeper(): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['-e', 'console.log("up"); setInterval(() => {}, 1000)'], { stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  await new Promise((r) => child.stdout?.once('data', r));
  return child;
}

/** A pid that was alive a moment ago and is now gone (exited and reaped). */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' });
  await new Promise((r) => child.once('exit', r));
  return child.pid as number;
}

describe('journal lock', () => {
  it('is a file next to the journal naming this process while held, gone when released', async () => {
    const lock = await acquireJournalLock(journalPath);
    expect(lock.path).toBe(`${journalPath}.lock`);
    const holder = JSON.parse(readFileSync(lock.path, 'utf8')) as { pid: number; acquired_at: string };
    expect(holder.pid).toBe(process.pid);
    expect(Date.parse(holder.acquired_at)).toBeGreaterThan(Date.now() - 60_000);
    lock.release();
    expect(existsSync(lock.path)).toBe(false);
  });

  it('a second writer waits for the first to release, then gets it', async () => {
    const first = await acquireJournalLock(journalPath);
    let secondHeld = false;
    const second = acquireJournalLock(journalPath).then((lock) => {
      secondHeld = true;
      return lock;
    });
    await new Promise((r) => setTimeout(r, 100));
    expect(secondHeld).toBe(false);
    first.release();
    const lock = await second;
    expect(secondHeld).toBe(true);
    lock.release();
  });

  it('takes over a lock whose holder is dead', async () => {
    const pid = await deadPid();
    writeFileSync(journalLockPath(journalPath), JSON.stringify({ pid, acquired_at: '2026-01-01T00:00:00.000Z' }));
    const lock = await acquireJournalLock(journalPath, { waitMs: 0 });
    expect(JSON.parse(readFileSync(lock.path, 'utf8')).pid).toBe(process.pid);
    lock.release();
  });

  it('takes over a damaged lock file (lock files appear whole, so one that does not parse is stale)', async () => {
    writeFileSync(journalLockPath(journalPath), '{"pid":');
    const lock = await acquireJournalLock(journalPath, { waitMs: 0 });
    expect(JSON.parse(readFileSync(lock.path, 'utf8')).pid).toBe(process.pid);
    lock.release();
    expect(existsSync(lock.path)).toBe(false);
  });

  it('gives up on a live holder after waitMs, naming its pid, and leaves its lock alone', async () => {
    const holder = await sleeper();
    const text = JSON.stringify({ pid: holder.pid, acquired_at: '2026-01-01T00:00:00.000Z' });
    writeFileSync(journalLockPath(journalPath), text);
    const started = Date.now();
    await expect(acquireJournalLock(journalPath, { waitMs: 300 })).rejects.toThrow(`journal ${journalPath} is locked by pid ${holder.pid} (since 2026-01-01T00:00:00.000Z)`);
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    expect(readFileSync(journalLockPath(journalPath), 'utf8')).toBe(text);
  });

  it('a Journal cannot append while a live process holds the lock, and can once it is gone', async () => {
    const journal = await Journal.open(journalPath, { contract: { version: '1', hash: 'c'.repeat(64) }, actor: 'tester', lockWaitMs: 200 });
    try {
      const holder = await sleeper();
      writeFileSync(journalLockPath(journalPath), JSON.stringify({ pid: holder.pid, acquired_at: new Date().toISOString() }));
      await expect(journal.append({ type: 'test.step', payload: {} })).rejects.toThrow(`locked by pid ${holder.pid}`);
      expect(readFileSync(journalPath, 'utf8')).toBe('');
      await killAndWait(holder);
      await journal.append({ type: 'test.step', payload: {} });
      expect(journal.count).toBe(1);
    } finally {
      await journal.close();
    }
  });
});
