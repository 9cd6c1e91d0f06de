// The fleet lock with the real Linux platform: real lock files, a real holder process.
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLinuxPlatform } from '../../src/platform/linux.ts';
import type { Platform } from '../../src/platform/platform.ts';
import { acquireFleetLock, currentLockHolder, lockPath, type LockHolder } from '../../src/supervisor/fleet-lock.ts';
import { killAndWait } from '../helpers/kill-and-wait.ts';

const platform = createLinuxPlatform();
const SRC = resolve(import.meta.dirname, '../../src');

let dir = '';
const children: ChildProcess[] = [];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'evident-unit-lock-'));
});
afterEach(async () => {
  for (const child of children.splice(0)) await killAndWait(child);
  rmSync(dir, { recursive: true, force: true });
});

/** Another process that takes the lock through the real module and holds it until killed. */
async function holderProcess(purpose: string): Promise<{ child: ChildProcess; ok: boolean }> {
  const script = `
    import { acquireFleetLock } from ${JSON.stringify(pathToFileURL(join(SRC, 'supervisor/fleet-lock.ts')).href)};
    import { createLinuxPlatform } from ${JSON.stringify(pathToFileURL(join(SRC, 'platform/linux.ts')).href)};
    const lock = await acquireFleetLock(createLinuxPlatform(), process.argv[1], process.argv[2]);
    console.log(JSON.stringify({ ok: lock.ok }));
    setInterval(() => {}, 1000);
  `;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script, dir, purpose], { stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  const line = await new Promise<string>((res, rej) => {
    child.stdout?.once('data', (d: Buffer) => res(d.toString()));
    child.once('exit', (code) => rej(new Error(`lock holder exited with ${code}`)));
  });
  return { child, ok: (JSON.parse(line) as { ok: boolean }).ok };
}

/** A process that sleeps, so a lock file can name a live pid. */
async function sleeper(): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['-e', 'console.log("up"); setInterval(() => {}, 1000)'], { stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  await new Promise((r) => child.stdout?.once('data', r));
  return child;
}

function writeLock(holder: LockHolder): void {
  writeFileSync(lockPath(dir), `${JSON.stringify(holder, null, 2)}\n`);
}

const readLock = () => JSON.parse(readFileSync(lockPath(dir), 'utf8')) as LockHolder;

describe('fleet lock', () => {
  it('is taken, names this process, and is removed on release', async () => {
    const lock = await acquireFleetLock(platform, dir, 'evident up');
    expect(lock.ok).toBe(true);
    const self = await platform.readProcess(process.pid);
    expect(readLock()).toMatchObject({ pid: process.pid, purpose: 'evident up', start_token: self?.startToken, argv: self?.argv });
    expect(await currentLockHolder(platform, dir)).toMatchObject({ pid: process.pid, purpose: 'evident up' });
    if (lock.ok) lock.release();
    expect(existsSync(lockPath(dir))).toBe(false);
    expect(await currentLockHolder(platform, dir)).toBeNull();
  });

  it('is refused while another live process holds it, naming the holder', async () => {
    const { child, ok } = await holderProcess('evident console');
    expect(ok).toBe(true);
    const second = await acquireFleetLock(platform, dir, 'evident down');
    expect(second.ok).toBe(false);
    expect(!second.ok && second.holder).toMatchObject({ pid: child.pid, purpose: 'evident console' });
    expect(await currentLockHolder(platform, dir)).toMatchObject({ pid: child.pid, purpose: 'evident console' });
    // The refused attempt left the holder's lock in place.
    expect(readLock().pid).toBe(child.pid);
  });

  it('is taken over from a holder that died', async () => {
    const { child } = await holderProcess('evident console');
    await killAndWait(child);
    expect(readLock().pid).toBe(child.pid);
    expect(await currentLockHolder(platform, dir)).toBeNull();
    const lock = await acquireFleetLock(platform, dir, 'evident up');
    expect(lock.ok).toBe(true);
    expect(readLock()).toMatchObject({ pid: process.pid, purpose: 'evident up' });
    if (lock.ok) lock.release();
  });

  it('is taken over when its pid now belongs to another process (start token differs)', async () => {
    const live = await sleeper();
    const seen = await platform.readProcess(live.pid as number);
    const [bootId] = (seen?.startToken ?? '').split(':');
    writeLock({ pid: live.pid as number, start_token: `${bootId}:1`, argv: seen?.argv ?? [], purpose: 'evident console', acquired_at: '2026-01-01T00:00:00.000Z' });
    expect(await currentLockHolder(platform, dir)).toBeNull();
    const lock = await acquireFleetLock(platform, dir, 'evident up');
    expect(lock.ok).toBe(true);
    expect(readLock().pid).toBe(process.pid);
    if (lock.ok) lock.release();
  });

  it('is respected when its holder shows another command line: same pid and start time are the same process', async () => {
    const live = await sleeper();
    const seen = await platform.readProcess(live.pid as number);
    const holder = { pid: live.pid as number, start_token: seen?.startToken ?? '', argv: ['node', 'bin/evident.js', 'console'], purpose: 'evident console', acquired_at: '2026-01-01T00:00:00.000Z' };
    writeLock(holder);
    expect(await currentLockHolder(platform, dir)).toEqual(holder);
    expect(await acquireFleetLock(platform, dir, 'evident up')).toEqual({ ok: false, holder });
  });

  it('is respected when a hand-written lock proves a live holder (pid, start token, argv)', async () => {
    const live = await sleeper();
    const seen = await platform.readProcess(live.pid as number);
    const holder = { pid: live.pid as number, start_token: seen?.startToken ?? '', argv: seen?.argv ?? [], purpose: 'evident zombies --reap', acquired_at: '2026-01-01T00:00:00.000Z' };
    writeLock(holder);
    expect(await currentLockHolder(platform, dir)).toEqual(holder);
    const lock = await acquireFleetLock(platform, dir, 'evident up');
    expect(lock).toEqual({ ok: false, holder });
  });

  it('is taken over from a lock file that is not JSON, or empty', async () => {
    for (const content of ['not json', '']) {
      writeFileSync(lockPath(dir), content);
      expect(await currentLockHolder(platform, dir)).toBeNull();
      const lock = await acquireFleetLock(platform, dir, 'evident up');
      expect(lock.ok).toBe(true);
      expect(readLock().pid).toBe(process.pid);
      if (lock.ok) lock.release();
    }
  });

  it('leaves no file but the lock behind after a takeover', async () => {
    writeLock({ pid: 999_999_999, start_token: 'boot:1', argv: ['node'], purpose: 'gone', acquired_at: '2026-01-01T00:00:00.000Z' });
    const lock = await acquireFleetLock(platform, dir, 'evident up');
    expect(lock.ok).toBe(true);
    expect(readdirSync(dir)).toEqual(['fleet.lock']);
    if (lock.ok) lock.release();
    expect(readdirSync(dir)).toEqual([]);
  });

  it('clears a takeover claim left behind by a crash and takes the stale lock over', async () => {
    writeLock({ pid: 999_999_999, start_token: 'boot:1', argv: ['node'], purpose: 'gone', acquired_at: '2026-01-01T00:00:00.000Z' });
    const stale = readFileSync(lockPath(dir), 'utf8');
    const claim = `${lockPath(dir)}.${createHash('sha256').update(stale).digest('hex').slice(0, 16)}.takeover`;
    writeFileSync(claim, '');
    const minuteAgo = new Date(Date.now() - 60_000);
    utimesSync(claim, minuteAgo, minuteAgo);
    const lock = await acquireFleetLock(platform, dir, 'evident up');
    expect(lock.ok).toBe(true);
    expect(readLock().pid).toBe(process.pid);
    expect(readdirSync(dir)).toEqual(['fleet.lock']);
    if (lock.ok) lock.release();
  });

  it('does not remove a lock another process took over while this one was judging the stale one', async () => {
    const dead = await sleeper();
    const deadPid = dead.pid as number;
    await killAndWait(dead);
    writeLock({ pid: deadPid, start_token: 'boot:1', argv: ['node'], purpose: 'crashed console', acquired_at: '2026-01-01T00:00:00.000Z' });
    // The real platform; while it checks the dead holder, a real second process takes the
    // lock over (the interleaving of two contenders racing for one stale lock).
    let rival: ChildProcess | null = null;
    const racing: Platform = {
      ...platform,
      async readProcess(pid) {
        if (pid === deadPid && rival === null) {
          const taken = await holderProcess('evident console');
          expect(taken.ok).toBe(true);
          rival = taken.child;
        }
        return platform.readProcess(pid);
      },
    };
    const lock = await acquireFleetLock(racing, dir, 'evident up');
    const rivalPid = (rival as ChildProcess | null)?.pid;
    expect(rivalPid).toBeGreaterThan(0);
    expect(lock.ok).toBe(false);
    expect(!lock.ok && lock.holder).toMatchObject({ pid: rivalPid, purpose: 'evident console' });
    expect(readLock().pid).toBe(rivalPid);
    expect(readdirSync(dir)).toEqual(['fleet.lock']);
  });

  it('is not removed by a release after another process took it over', async () => {
    const lock = await acquireFleetLock(platform, dir, 'evident up');
    expect(lock.ok).toBe(true);
    const live = await sleeper();
    const seen = await platform.readProcess(live.pid as number);
    writeLock({ pid: live.pid as number, start_token: seen?.startToken ?? '', argv: seen?.argv ?? [], purpose: 'other', acquired_at: '2026-01-01T00:00:00.000Z' });
    if (lock.ok) lock.release();
    expect(readLock().pid).toBe(live.pid);
  });
});
