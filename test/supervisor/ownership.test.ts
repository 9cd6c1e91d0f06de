// Never signal what is not proven ours: stale pid files, foreign port holders; and
// what is ours is found again: re-adoption, survivors on a port, leftovers of a crash.
import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FleetSupervisor } from '../../src/supervisor/fleet-supervisor.ts';
import { readFleetStatus } from '../../src/supervisor/fleet-status.ts';
import { readPidFile, removePidFile, writePidFile } from '../../src/supervisor/pid-file.ts';
import { FIXTURES, fixtureService, isRunning, makeTempFleet, type TempFleet } from '../helpers/temp-fleet.ts';
import { until } from '../helpers/wait.ts';

let fleet: TempFleet | null = null;
const strangers: ChildProcess[] = [];
afterEach(async () => {
  await fleet?.cleanup();
  fleet = null;
  for (const child of strangers.splice(0)) child.kill('SIGKILL');
});

/** A process that is not ours: started by the test, not by evident. */
function stranger(script: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  strangers.push(child);
  return new Promise((resolve) => child.stdout?.once('data', () => resolve(child)));
}


describe('ownership', () => {
  it('never signals a pid from a stale pid file that now belongs to another process', async () => {
    fleet = await makeTempFleet([fixtureService('web', 'http-ok.ts', 17120)]);
    const other = await stranger('console.log("up"); setInterval(() => {}, 1000)');
    const info = await fleet.context.platform.readProcess(other.pid as number);
    // The pid file claims the stranger's pid, with the start token of some earlier process.
    writePidFile(fleet.context.paths.pids, {
      service: 'web',
      pid: other.pid as number,
      pgid: null,
      sid: null,
      start_token: `${info?.startToken.split(':')[0]}:1`,
      argv: info?.argv ?? [],
      started_at: new Date().toISOString(),
      contract_hash: fleet.contract.hash,
      restarts: 0,
      descendants: [],
    });
    await fleet.supervisor.adopt();
    expect(fleet.events.some((e) => e.type === 'adopt-refused' && e.pid === other.pid)).toBe(true);
    expect(fleet.supervisor.getSnapshot().services[0]?.state).toBe('stopped');
    expect(fleet.supervisor.getSnapshot().services[0]?.lastError).toMatch(/start time differs/);
    await fleet.supervisor.stopAll();
    await fleet.supervisor.reapOurs();
    expect(await isRunning(fleet, other.pid as number)).toBe(true);
  });

  it('adopts a launcher that exec\'d after ready as the same process, recording its new command line', async () => {
    const go = join(tmpdir(), `evident-exec-go-${process.pid}`);
    rmSync(go, { force: true });
    // sh waits until told, then execs node: same pid, same start time, another command line.
    fleet = await makeTempFleet([
      {
        name: 'launch',
        command: '/bin/sh',
        args: ['-c', 'while [ ! -e "$GO" ]; do sleep 0.05; done; exec "$NODE" http-ok.ts'],
        cwd: FIXTURES,
        port: 28320,
        env: { GO: go, NODE: process.execPath },
        health: { kind: 'exec', command: '/bin/true' },
        startup_timeout_s: 10,
        stop_timeout_s: 2,
      },
    ]);
    await fleet.supervisor.startAll();
    const pid = fleet.supervisor.getSnapshot().services[0]?.pid as number;
    expect(readPidFile(fleet.context.paths.pids, 'launch')).toMatchObject({ record: { argv: ['/bin/sh', '-c', expect.any(String)] } });
    writeFileSync(go, '');
    await until(async () => (await fleet?.context.platform.readProcess(pid))?.argv[1] === 'http-ok.ts', 'the launcher to exec node');
    rmSync(go, { force: true });

    // A later command (a new supervisor, as `evident down` would be) adopts it, and records what it runs now.
    const next = new FleetSupervisor(fleet.context);
    await next.adopt();
    expect(fleet.events.some((e) => e.type === 'adopt-refused')).toBe(false);
    expect(fleet.events.find((e) => e.type === 'adopt')).toMatchObject({ service: 'launch', pid });
    expect(fleet.events.find((e) => e.type === 'command-changed')).toMatchObject({ service: 'launch', pid, to: `${process.execPath} http-ok.ts` });
    expect(readPidFile(fleet.context.paths.pids, 'launch')).toMatchObject({ record: { pid, argv: [process.execPath, 'http-ok.ts'] } });
    expect((await readFleetStatus(fleet.contract, fleet.context.paths, fleet.context.platform))[0]).toMatchObject({ state: 'running', pid, note: null });

    // The console that started it sees the change on its next sample, too.
    await fleet.supervisor.tick();
    expect(fleet.events.filter((e) => e.type === 'command-changed')).toHaveLength(2);

    const result = await next.stopServices(['launch']);
    expect(fleet.events.some((e) => e.type === 'refused-signal')).toBe(false);
    expect(result.outcomes[0]).toMatchObject({ graceful: true });
    expect(result.leftovers).toEqual([]);
    expect(await isRunning(fleet, pid)).toBe(false);
  });

  it('re-adopts running services in a new supervisor instead of starting duplicates', async () => {
    fleet = await makeTempFleet([fixtureService('a', 'http-ok.ts', 17122), fixtureService('b', 'http-ok.ts', 17123, { depends_on: ['a'] })]);
    await fleet.supervisor.startAll();
    const before = fleet.supervisor.getSnapshot().services.map((s) => s.pid);
    // A second supervisor over the same state folder, as after the console was killed.
    const next = new FleetSupervisor(fleet.context);
    await next.adopt();
    await next.startAll();
    expect(next.getSnapshot().services.map((s) => s.pid)).toEqual(before);
    expect(next.getSnapshot().services.every((s) => s.state === 'running')).toBe(true);
    expect(fleet.events.filter((e) => e.type === 'adopt')).toHaveLength(2);
    expect(fleet.events.filter((e) => e.type === 'start')).toHaveLength(2);
    const result = await next.stopServices(['a', 'b']);
    expect(result.leftovers).toEqual([]);
  });

  it('names a foreign holder of a port before start, and never touches it', async () => {
    fleet = await makeTempFleet([fixtureService('web', 'http-ok.ts', 17124)]);
    const holder = await stranger(
      'require("node:net").createServer().listen(17124, "127.0.0.1", () => console.log("listening"))',
    );
    await expect(fleet.supervisor.startAll()).rejects.toThrow(new RegExp(`port 17124 is already in use by pid ${holder.pid} \\(.*node`));
    await fleet.supervisor.tick();
    const snapshot = fleet.supervisor.getSnapshot().services[0];
    expect(snapshot?.portHolder).toMatchObject({ port: 17124, pid: holder.pid, ours: false });
    await fleet.supervisor.reapOurs();
    expect(await isRunning(fleet, holder.pid as number)).toBe(true);
  });

  it('recognises a survivor of ours on a port and reaps it with one call', async () => {
    fleet = await makeTempFleet([fixtureService('web', 'http-ok.ts', 17125)]);
    await fleet.supervisor.startAll();
    const pid = fleet.supervisor.getSnapshot().services[0]?.pid as number;
    // Lose the state, as if state/ had been wiped under a running fleet.
    removePidFile(fleet.context.paths.pids, 'web');
    const fresh = new FleetSupervisor(fleet.context);
    await fresh.adopt();
    await expect(fresh.startAll()).rejects.toThrow(`port 17125 is already in use by pid ${pid}`);
    await expect(fresh.startAll()).rejects.toThrow('a survivor of an earlier run of ours');
    await fresh.tick();
    expect(fresh.getSnapshot().services[0]?.portHolder).toMatchObject({ pid, ours: true });
    await fresh.reapOurs();
    expect(await isRunning(fleet, pid)).toBe(false);
    await fresh.startAll();
    expect(fresh.getSnapshot().services[0]?.state).toBe('running');
    await fresh.stopAll();
  });

  it('after a crash, reports the escaped orphan and its defunct child, and reaps them', async () => {
    fleet = await makeTempFleet([fixtureService('py', 'escapes-with-zombie.py', 17126, { health: { kind: 'tcp' } })]);
    await fleet.supervisor.startAll();
    const pid = fleet.supervisor.getSnapshot().services[0]?.pid as number;
    process.kill(pid, 'SIGKILL');
    await waitFor(() => fleet?.supervisor.getSnapshot().leftoversCheckedAt !== null);
    const leftovers = fleet.supervisor.getSnapshot().leftovers;
    const orphan = leftovers.find((l) => l.kind === 'orphan');
    const defunct = leftovers.find((l) => l.kind === 'defunct');
    expect(orphan).toMatchObject({ service: 'py', ours: true });
    expect(orphan?.command).toContain('escapes-with-zombie.py');
    expect(defunct).toMatchObject({ ppid: orphan?.pid, ours: true });
    expect(fleet.supervisor.getSnapshot().services[0]?.state).toBe('exited');
    fleet.track(orphan?.pid as number);

    await fleet.supervisor.reapOurs();
    expect(await isRunning(fleet, orphan?.pid as number)).toBe(false);
    expect(fleet.supervisor.getSnapshot().leftovers).toEqual([]);
    expect(readPidFile(fleet.context.paths.pids, 'py').kind).toBe('missing');
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}

