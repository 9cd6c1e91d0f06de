// Real redis-server in the foreground, probed with `redis-cli ping` expecting PONG, through
// the real CLI: up, status, down leaving nothing; and a server that wants a password, whose
// `redis-cli ping` exits 0 with NOAUTH: up fails naming it and says nothing was left running.
// Skipped where redis is not installed. Ports 28560–28561.
import { existsSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { makeDaemonFleet, portIsFree, type DaemonFleet } from '../helpers/daemon-fleet.ts';
import { isAlive, until } from '../helpers/wait.ts';

const REDIS = '/usr/bin/redis-server';
const missing = !existsSync(REDIS) || !existsSync('/usr/bin/redis-cli');
let fleet: DaemonFleet | undefined;
afterEach(() => fleet?.cleanup());

function redisFleet(label: string, port: number, extraArgs: string[] = []): DaemonFleet {
  return makeDaemonFleet(label, (dir) => [
    {
      name: 'redis',
      command: REDIS,
      args: ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, ...extraArgs],
      port,
      health: { kind: 'exec', command: 'redis-cli', args: ['-p', String(port), 'ping'], expect_output: 'PONG' },
      startup_timeout_s: 3,
    },
  ]);
}

describe('real redis-server in the foreground', () => {
  it.skipIf(missing)('up healthy on PONG, status running, down leaving nothing (redis not installed: apt-get install redis-server)', async () => {
    fleet = redisFleet('redis', 28560);
    const up = await fleet.cli(['up']);
    expect(up.exitCode, up.stdout + up.stderr).toBe(0);
    expect(up.stdout).toContain('redis: healthy');
    // An empty argument is shown quoted, not lost between two spaces.
    expect(up.stdout).toContain("--save '' --appendonly");

    const status = JSON.parse((await fleet.cli(['status', '--json'])).stdout);
    expect(status.services[0]).toMatchObject({ name: 'redis', state: 'running', health: { ok: true } });
    const pids = await fleet.pids('redis');
    expect(pids).toHaveLength(1);

    const down = await fleet.cli(['down']);
    expect(down.exitCode, down.stdout + down.stderr).toBe(0);
    expect(down.stdout).toContain('no process and no listener left behind');
    await until(() => pids.every((pid) => !isAlive(pid)), 'redis-server to end');
    expect(await portIsFree(28560)).toBe(true);
  });

  it.skipIf(missing)('a server that wants a password: up fails naming NOAUTH and leaves nothing running (redis not installed: apt-get install redis-server)', async () => {
    fleet = redisFleet('redis-auth', 28561, ['--requirepass', 'x']);
    const up = await fleet.cli(['up']);
    expect(up.exitCode, up.stdout + up.stderr).toBe(1);
    expect(up.stdout + up.stderr).toContain('output lacks "PONG": NOAUTH Authentication required.');
    expect(up.stderr).toContain('nothing of the fleet is left running');
    await until(() => portIsFree(28561), 'port 28561 to be free');
    expect((await fleet.cli(['zombies'])).exitCode).toBe(0);
  });
});
