// A program that daemonizes itself (the process evident started exits 0, its forked
// grandchild serves) is followed, like systemd's forking services: the service's pid
// becomes the daemon's, and stopping the service stops the daemon.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readPidFile } from '../../src/supervisor/pid-file.ts';
import { fixtureService, isRunning, makeTempFleet, type TempFleet } from '../helpers/temp-fleet.ts';
import { until } from '../helpers/wait.ts';

let fleet: TempFleet | null = null;
afterEach(async () => {
  await fleet?.cleanup();
  fleet = null;
});

describe('a service that daemonizes itself', () => {
  it('is followed to the daemon, supervised, and stopped with nothing left', async () => {
    fleet = await makeTempFleet([fixtureService('forky', 'daemonizes.py', 17150)]);
    await fleet.supervisor.startAll();
    // The daemon may answer the probe before its parent has exited: then the parent's
    // exit, a moment later, is when it is followed.
    const deadline = Date.now() + 5000;
    while (!fleet.events.some((e) => e.type === 'followed') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    const started = fleet.events.find((e) => e.type === 'start');
    const followed = fleet.events.find((e) => e.type === 'followed');
    expect(followed).toMatchObject({ service: 'forky', from: started?.type === 'start' ? started.pid : -1 });
    const daemon = followed?.type === 'followed' ? followed.to : -1;
    fleet.track(daemon);

    await fleet.supervisor.tick();
    const snapshot = fleet.supervisor.getSnapshot().services[0];
    expect(snapshot).toMatchObject({ state: 'running', pid: daemon });
    expect(snapshot?.probe?.ok).toBe(true);
    const record = readPidFile(fleet.context.paths.pids, 'forky');
    expect(record.kind === 'ok' && record.record.pid).toBe(daemon);
    expect(fleet.events.some((e) => e.type === 'exited')).toBe(false);

    const result = await fleet.supervisor.stopServices(['forky']);
    expect(result.outcomes[0]?.graceful).toBe(true);
    expect(result.leftovers).toEqual([]);
    expect(await isRunning(fleet, daemon)).toBe(false);
  });

  it('never takes a tagged orphan of an earlier run (started before the service) for its successor', async () => {
    fleet = await makeTempFleet([
      {
        name: 'oneshot',
        command: process.execPath,
        args: ['-e', 'setTimeout(() => process.exit(0), 200)'],
        port: 28350,
        health: { kind: 'tcp' },
        startup_timeout_s: 5,
        stop_timeout_s: 1,
      },
    ]);
    // What an earlier run of the service left: its own session, the service's tag.
    const orphan = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], {
      detached: true,
      stdio: 'ignore',
      env: { ...process.env, EVIDENT_FLEET: fleet.context.paths.fleetTag, EVIDENT_SERVICE: 'oneshot' },
    });
    orphan.unref();
    fleet.track(orphan.pid as number);
    await until(async () => (await fleet?.context.platform.readEnvironmentVariable(orphan.pid as number, 'EVIDENT_SERVICE')) === 'oneshot', 'the orphan to run');

    await expect(fleet.supervisor.startAll()).rejects.toThrow('exited during startup with code 0');
    expect(fleet.events.some((e) => e.type === 'followed')).toBe(false);
  });

  it('declared daemonizes, is followed from its pid file; its launcher\'s exit is no exit, and the daemon ending later is one, never guessed', async () => {
    const run = mkdtempSync(join(tmpdir(), 'evident-daemon-pid-'));
    const pidFile = join(run, 'forky.pid');
    try {
      const service = fixtureService('forky', 'daemonizes-with-pid-file.py', 28505, { daemonizes: true, pid_file: pidFile });
      service.args = [...(service.args as string[]), pidFile];
      fleet = await makeTempFleet([service]);
      await fleet.supervisor.startAll();
      const daemon = Number(readFileSync(pidFile, 'utf8').trim());
      fleet.track(daemon);
      const started = fleet.events.find((e) => e.type === 'start');
      expect(fleet.events.find((e) => e.type === 'followed')).toMatchObject({ from: started?.type === 'start' ? started.pid : -1, to: daemon });
      expect(fleet.events.find((e) => e.type === 'ready')).toMatchObject({ pid: daemon });

      await fleet.supervisor.tick();
      expect(fleet.supervisor.getSnapshot().services[0]).toMatchObject({ state: 'running', pid: daemon });
      expect(fleet.events.some((e) => e.type === 'exited')).toBe(false);
      const record = readPidFile(fleet.context.paths.pids, 'forky');
      expect(record.kind === 'ok' && record.record.daemon).toMatchObject({ pid_file: pidFile, proof: ['pid_file', 'started_after_launcher', 'tag'] });

      process.kill(daemon, 'SIGKILL');
      await until(async () => {
        await fleet?.supervisor.tick();
        return fleet?.supervisor.getSnapshot().services[0]?.state === 'exited';
      }, 'the daemon\'s end to be seen');
      expect(fleet.events.find((e) => e.type === 'exited')).toMatchObject({ service: 'forky', pid: daemon });
      expect(fleet.events.filter((e) => e.type === 'followed')).toHaveLength(1);
    } finally {
      rmSync(run, { recursive: true, force: true });
    }
  });

  it('declared daemonizes, never takes a stale pid file naming a process older than its launcher', async () => {
    const run = mkdtempSync(join(tmpdir(), 'evident-daemon-pid-'));
    const pidFile = join(run, 'forky.pid');
    // What an earlier run left: the file names a live process that started long before (this test's own).
    writeFileSync(pidFile, `${process.pid}\n`);
    try {
      const service = fixtureService('forky', 'daemonizes-with-pid-file.py', 28506, { daemonizes: true, pid_file: pidFile, startup_timeout_s: 1 });
      service.args = [...(service.args as string[]), pidFile, '--no-pid-file'];
      fleet = await makeTempFleet([service]);
      await expect(fleet.supervisor.startAll()).rejects.toThrow(
        `${pidFile} names pid ${process.pid}, which started before the launcher (a stale file or a pid reused) within 1 s after its launcher exited 0`,
      );
      expect(fleet.events.some((e) => e.type === 'followed')).toBe(false);
      expect(fleet.supervisor.getSnapshot().services[0]?.state).toBe('failed');
    } finally {
      rmSync(run, { recursive: true, force: true });
    }
  });
});
