// Linux platform: the /proc parsers on real sample text, then the real /proc of this machine.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { basename } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createLinuxPlatform, parseCmdline, parseStat, parseTcpTable } from '../../src/platform/linux.ts';

const context = { bootId: '405c8a6a-51ae-4dd0-ab0f-2f1fb5c60f8d', bootTimeMs: 1_700_000_000_000, pageSize: 16384 };

describe('parseStat', () => {
  // Fields 3.. of proc(5): state ppid pgrp session tty tpgid flags minflt cminflt majflt
  // cmajflt utime stime cutime cstime priority nice threads itreal starttime vsize rss …
  const tail = '1 0 0 0 0 0 0 0 0 0 17 3 0 0 0 0 0\n';

  it('reads a command name holding spaces and parentheses', () => {
    const text = `4242 ((my (odd) proc)) S 1 4240 4240 0 -1 4194560 120 0 0 0 250 75 3 4 20 0 3 0 987654 123456789 2048 18446744073709551615 ${tail}`;
    expect(parseStat(text, context)).toEqual({
      pid: 4242,
      ppid: 1,
      pgid: 4240,
      sid: 4240,
      state: 'S',
      startToken: '405c8a6a-51ae-4dd0-ab0f-2f1fb5c60f8d:987654',
      startedAtMs: 1_700_000_000_000 + 9_876_540,
      argv: [],
      // utime + stime only (250 + 75 ticks of 10 ms); the children's 3 + 4 are not ours.
      cpuTimeMs: 3250,
      rssBytes: 2048 * 16384,
    });
  });

  it('is not fooled by a name that looks like the fields after it', () => {
    const text = `77 (x) Z 1 2 3 (y) R 9 77 77 0 -1 0 0 0 0 0 10 20 0 0 20 0 1 0 555 0 7 0 ${tail}`;
    const info = parseStat(text, context);
    expect(info).toMatchObject({ pid: 77, state: 'R', ppid: 9, pgid: 77, cpuTimeMs: 300, rssBytes: 7 * 16384 });
    expect(info?.startToken).toBe(`${context.bootId}:555`);
  });

  it('reports a defunct process as state Z', () => {
    const text = `4243 (worker) Z 4242 4240 4240 0 -1 4227084 0 0 0 0 7 2 0 0 20 0 1 0 987700 0 0 18446744073709551615 ${tail}`;
    const info = parseStat(text, context);
    expect(info).toMatchObject({ pid: 4243, ppid: 4242, state: 'Z', cpuTimeMs: 90, rssBytes: 0 });
    expect(info?.startToken).toBe(`${context.bootId}:987700`);
  });

  it('gives the same pid started at another tick another start token', () => {
    const at = (ticks: number) =>
      parseStat(`500 (svc) S 1 500 500 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 ${ticks} 0 10 0 ${tail}`, context)?.startToken;
    expect(at(1000)).not.toBe(at(1001));
    expect(at(1000)).toBe(at(1000));
  });

  it('returns null for text that is not a stat line', () => {
    expect(parseStat('', context)).toBeNull();
    expect(parseStat('1234 no parentheses S 1', context)).toBeNull();
  });
});

describe('parseCmdline', () => {
  it('splits on NUL and drops the trailing NUL', () => {
    expect(parseCmdline('/usr/bin/python3\u0000-m\u0000http.server\u0000--bind\u0000127.0.0.1\u0000')).toEqual([
      '/usr/bin/python3',
      '-m',
      'http.server',
      '--bind',
      '127.0.0.1',
    ]);
  });

  it('keeps spaces inside an argument and empty arguments between NULs', () => {
    expect(parseCmdline('node\u0000my script.js\u0000\u0000--flag=a b\u0000')).toEqual(['node', 'my script.js', '', '--flag=a b']);
  });

  it('gives an empty argv for a zombie (empty cmdline)', () => {
    expect(parseCmdline('')).toEqual([]);
  });

  it('keeps a command line without a trailing NUL whole', () => {
    expect(parseCmdline('nginx: worker process')).toEqual(['nginx: worker process']);
  });

  it('drops the padding a renamed process left in its old argv area, NULs or spaces', () => {
    // nginx's worker: its title, then NULs to the end of the area its argv had.
    expect(parseCmdline(`nginx: worker process${'\u0000'.repeat(120)}`)).toEqual(['nginx: worker process']);
    expect(parseCmdline(`postgres: checkpointer${' '.repeat(40)}\u0000`)).toEqual(['postgres: checkpointer']);
    expect(parseCmdline(`title\u0000   \u0000\u0000  \u0000`)).toEqual(['title']);
  });

  it('keeps an empty argument between others while dropping the padding after them', () => {
    expect(parseCmdline(`app\u0000\u0000--x\u0000\u0000\u0000\u0000`)).toEqual(['app', '', '--x']);
  });
});

describe('parseTcpTable', () => {
  const tcp = [
    '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode                                                     ',
    '   0: 0100007F:1B58 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 156717 1 000000000732000c 100 0 0 10 0                    ',
    '   1: 00000000:0016 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 20841 1 0000000000000000 100 0 0 10 0                     ',
    '   2: 0100007F:1B58 0100007F:D2F4 01 00000000:00000000 00:00000000 00000000  1000        0 160001 1 0000000000000000 20 4 30 10 -1                    ',
    '   3: 0100007F:C350 0100007F:1F90 06 00000000:00000000 03:00000F5E 00000000     0        0 0 3 0000000000000000                                       ',
    '',
  ].join('\n');
  const tcp6 = [
    '  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode',
    '   0: 00000000000000000000000000000000:1F90 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 29155 1 0000000000000000 100 0 0 10 0',
    '   1: 0000000000000000FFFF00000100007F:9C40 0000000000000000FFFF00000100007F:1F90 01 00000000:00000000 00:00000000 00000000  1000        0 31337 1 0000000000000000 20 4 30 10 -1',
    '',
  ].join('\n');

  it('reads hex ports, the LISTEN state (0A) and the inode column of /proc/net/tcp', () => {
    expect(parseTcpTable(tcp)).toEqual([
      { port: 7000, listening: true, inode: '156717' },
      { port: 22, listening: true, inode: '20841' },
      { port: 7000, listening: false, inode: '160001' },
      { port: 50000, listening: false, inode: '0' },
    ]);
  });

  it('reads /proc/net/tcp6 with its 32-digit addresses', () => {
    expect(parseTcpTable(tcp6)).toEqual([
      { port: 8080, listening: true, inode: '29155' },
      { port: 40000, listening: false, inode: '31337' },
    ]);
  });

  it('gives nothing for a header alone or an empty table', () => {
    expect(parseTcpTable(tcp6.split('\n')[0] ?? '')).toEqual([]);
    expect(parseTcpTable('')).toEqual([]);
  });
});

describe('createLinuxPlatform on this machine', () => {
  const platform = createLinuxPlatform();
  const started: ReturnType<typeof spawn>[] = [];
  afterEach(async () => {
    for (const child of started.splice(0)) {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGKILL');
        await exited;
      }
    }
  });

  it('reads this process: pid, ppid, a node command line, a start token of this boot', async () => {
    const info = await platform.readProcess(process.pid);
    expect(info).not.toBeNull();
    expect(info?.pid).toBe(process.pid);
    expect(info?.ppid).toBe(process.ppid);
    expect(info?.state).toMatch(/^[RS]$/);
    expect(info?.argv.some((a) => a === process.execPath || basename(a) === 'node')).toBe(true);
    const bootId = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
    expect(info?.startToken).toMatch(new RegExp(`^${bootId}:\\d+$`));
    expect(info?.startedAtMs).toBeLessThanOrEqual(Date.now());
    expect(info?.startedAtMs).toBeGreaterThan(Date.now() - 24 * 3600_000 * 365);
    expect(info?.cpuTimeMs).toBeGreaterThan(0);
    const rss = process.memoryUsage.rss();
    expect(info?.rssBytes).toBeGreaterThan(rss * 0.5);
    expect(info?.rssBytes).toBeLessThan(rss * 2);
  });

  it('gives the same start token on every read of a live process', async () => {
    const a = await platform.readProcess(process.pid);
    const b = await platform.readProcess(process.pid);
    expect(a?.startToken).toBe(b?.startToken);
  });

  it('returns null for a pid that does not exist or is not a pid', async () => {
    expect(await platform.readProcess(0)).toBeNull();
    expect(await platform.readProcess(-5)).toBeNull();
    expect(await platform.readProcess(1.5)).toBeNull();
    const maxPid = Number(readFileSync('/proc/sys/kernel/pid_max', 'utf8'));
    expect(await platform.readProcess(maxPid + 1)).toBeNull();
  });

  it('lists this process with its parent in the table', async () => {
    const table = await platform.listProcesses();
    const self = table.find((p) => p.pid === process.pid);
    expect(self?.ppid).toBe(process.ppid);
    expect(table.some((p) => p.pid === process.ppid)).toBe(true);
  });

  it('reads a child process: its environment and its exact command line', async () => {
    const child = spawn(process.execPath, ['-e', 'console.log("up"); setInterval(() => {}, 1000)'], {
      env: { ...process.env, EVIDENT_UNIT_TAG: 'tag-value 42' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    started.push(child);
    await new Promise((r) => child.stdout?.once('data', r));
    const pid = child.pid as number;
    expect(await platform.readEnvironmentVariable(pid, 'EVIDENT_UNIT_TAG')).toBe('tag-value 42');
    expect(await platform.readEnvironmentVariable(pid, 'EVIDENT_UNIT_NOT_SET')).toBeNull();
    const info = await platform.readProcess(pid);
    expect(info?.ppid).toBe(process.pid);
    expect(info?.argv).toEqual([process.execPath, '-e', 'console.log("up"); setInterval(() => {}, 1000)']);
  });

  it('reads the process group and session: a detached child leads both, a plain child shares ours', async () => {
    const script = 'console.log("up"); setInterval(() => {}, 1000)';
    const detached = spawn(process.execPath, ['-e', script], { detached: true, stdio: ['ignore', 'pipe', 'inherit'] });
    const plain = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    started.push(detached, plain);
    await Promise.all([detached, plain].map((c) => new Promise((r) => c.stdout?.once('data', r))));
    const self = await platform.readProcess(process.pid);
    const own = await platform.readProcess(detached.pid as number);
    expect(own).toMatchObject({ pgid: detached.pid, sid: detached.pid });
    expect(await platform.readProcess(plain.pid as number)).toMatchObject({ pgid: self?.pgid, sid: self?.sid });
    expect(self?.sid).not.toBe(own?.sid);
  });

  it('finds a real listening port held by this process, and nothing once it is closed', async () => {
    const server = createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    try {
      const found = await platform.listeners([port]);
      expect(found).toEqual([{ port, pid: process.pid }]);
    } finally {
      await new Promise((r) => server.close(r));
    }
    expect(await platform.listeners([port])).toEqual([]);
  });

  it('reports no listener for ports nobody listens on', async () => {
    const server = createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    await new Promise((r) => server.close(r));
    expect(await platform.listeners([port])).toEqual([]);
    expect(await platform.listeners([])).toEqual([]);
  });
});
