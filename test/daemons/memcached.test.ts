// Real memcached in the foreground, probed by a TCP connection, through the real CLI: up,
// status, down leaving nothing. memcached refuses to run as root without -u, so as root it
// is given `-u nobody`. Skipped where memcached is not installed. Port 28570.
import { existsSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { makeDaemonFleet, portIsFree, type DaemonFleet } from '../helpers/daemon-fleet.ts';
import { isAlive, until } from '../helpers/wait.ts';

const MEMCACHED = '/usr/bin/memcached';
let fleet: DaemonFleet | undefined;
afterEach(() => fleet?.cleanup());

describe('real memcached in the foreground', () => {
  it.skipIf(!existsSync(MEMCACHED))('up healthy on TCP, status running, down leaving nothing (memcached not installed: apt-get install memcached)', async () => {
    const asRoot = process.getuid?.() === 0 ? ['-u', 'nobody'] : [];
    fleet = makeDaemonFleet('memcached', () => [
      { name: 'memcached', command: MEMCACHED, args: ['-p', '28570', '-l', '127.0.0.1', '-U', '0', ...asRoot], port: 28570, health: { kind: 'tcp' }, startup_timeout_s: 10 },
    ]);
    const up = await fleet.cli(['up']);
    expect(up.exitCode, up.stdout + up.stderr).toBe(0);
    expect(up.stdout).toContain('memcached: healthy');

    const status = JSON.parse((await fleet.cli(['status', '--json'])).stdout);
    expect(status.services[0]).toMatchObject({ name: 'memcached', state: 'running', health: { ok: true } });
    const pids = await fleet.pids('memcached');
    expect(pids).toHaveLength(1);

    const down = await fleet.cli(['down']);
    expect(down.exitCode, down.stdout + down.stderr).toBe(0);
    expect(down.stdout).toContain('memcached: stopped gracefully');
    expect(down.stdout).toContain('no process and no listener left behind');
    await until(() => pids.every((pid) => !isAlive(pid)), 'memcached to end');
    expect(await portIsFree(28570)).toBe(true);
  });
});
