// Telemetry against real processes: trees, CPU and RSS over the tree, a slow sample
// skipped rather than queued, and an exited service noticed and counted on restart.
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Platform } from '../../src/platform/platform.ts';
import { FleetSupervisor } from '../../src/supervisor/fleet-supervisor.ts';
import { readPidFile } from '../../src/supervisor/pid-file.ts';
import { DEFAULT_LOG_LIMIT_BYTES } from '../../src/supervisor/service-log.ts';
import { fixtureService, makeTempFleet, type TempFleet } from '../helpers/temp-fleet.ts';
import { until } from '../helpers/wait.ts';

let fleet: TempFleet | null = null;
afterEach(async () => {
  await fleet?.cleanup();
  fleet = null;
});

describe('telemetry', () => {
  it('sums RSS over the whole tree and measures CPU from the second tick on', async () => {
    fleet = await makeTempFleet([fixtureService('pool', 'has-worker.ts', 17140, { health: { kind: 'tcp' }, stop_timeout_s: 0.5 })]);
    await fleet.supervisor.startAll();
    await fleet.supervisor.tick();
    const first = fleet.supervisor.getSnapshot().services[0];
    expect(first?.tree).toHaveLength(2);
    expect(first?.rssBytes).toBe((first?.tree ?? []).reduce((sum, p) => sum + p.rssBytes, 0));
    expect(first?.cpuPercent).toBeNull();
    await new Promise((r) => setTimeout(r, 200));
    await fleet.supervisor.tick();
    const second = fleet.supervisor.getSnapshot().services[0];
    expect(second?.cpuPercent).toBeGreaterThanOrEqual(0);
    expect(second?.cpuHistory.length).toBe(1);
    expect(second?.probe?.ok).toBe(true);
  });

  it('skips a tick while the previous one is still sampling, never queueing it', async () => {
    fleet = await makeTempFleet([fixtureService('web', 'http-ok.ts', 17141)]);
    const real = fleet.context.platform;
    let calls = 0;
    // The real process table, answered slowly: as on a loaded host.
    const slow: Platform = {
      ...real,
      listProcesses: async () => {
        calls++;
        await new Promise((r) => setTimeout(r, 300));
        return real.listProcesses();
      },
      listWithChildren: async (pids) => {
        calls++;
        await new Promise((r) => setTimeout(r, 300));
        return real.listWithChildren(pids);
      },
    };
    const supervisor = new FleetSupervisor({ ...fleet.context, platform: slow });
    const ticks = [supervisor.tick(), supervisor.tick(), supervisor.tick()];
    await Promise.all(ticks);
    expect(calls).toBe(1);
    expect(supervisor.getSnapshot().skippedTicks).toBe(2);
  });

  it('notices a service that died on its own, and counts starting it again as a restart', async () => {
    fleet = await makeTempFleet([fixtureService('web', 'http-ok.ts', 17142)]);
    await fleet.supervisor.startAll();
    const pid = fleet.supervisor.getSnapshot().services[0]?.pid as number;
    process.kill(pid, 'SIGKILL');
    const deadline = Date.now() + 5000;
    while (fleet.supervisor.getSnapshot().services[0]?.state !== 'exited' && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 20));
    }
    const exited = fleet.supervisor.getSnapshot().services[0];
    expect(exited?.state).toBe('exited');
    expect(exited?.lastError).toBe(`pid ${pid} exited on SIGKILL`);
    expect(fleet.events.some((e) => e.type === 'exited' && e.pid === pid && e.signal === 'SIGKILL')).toBe(true);
    await fleet.supervisor.start('web');
    const again = fleet.supervisor.getSnapshot().services[0];
    expect(again?.state).toBe('running');
    expect(again?.restarts).toBe(1);
    expect(again?.pid).not.toBe(pid);
  });

  it('shows a new descendant in the very next sample, whichever tick it is', async () => {
    fleet = await makeTempFleet([fixtureService('spawner', 'spawns-on-request.ts', 28341)]);
    await fleet.supervisor.startAll();
    await fleet.supervisor.tick();
    // Three ticks in a row: at most one of them reads the whole process table.
    for (let i = 0; i < 3; i++) {
      const pid = Number(await (await fetch('http://127.0.0.1:28341/spawn')).text());
      fleet.track(pid);
      await fleet.supervisor.tick();
      expect(fleet.supervisor.getSnapshot().services[0]?.tree.map((p) => p.pid)).toContain(pid);
    }
  });

  it('keeps only the live descendants in the pid file of a service that runs a short helper over and over', async () => {
    fleet = await makeTempFleet([fixtureService('cron', 'runs-short-helpers.ts', 28340)]);
    await fleet.supervisor.startAll();
    const pids = fleet.context.paths.pids;
    const seen = new Set<number>();
    const identities = new Set<string>();
    let longest = 0;
    await until(async () => {
      await fleet?.supervisor.tick();
      const read = readPidFile(pids, 'cron');
      const list = read.kind === 'ok' ? read.record.descendants : [];
      for (const d of list) {
        seen.add(d.pid);
        identities.add(`${d.pid}/${d.start_token}`);
      }
      longest = Math.max(longest, list.length);
      return seen.size >= 12;
    }, 'twelve helpers seen in the pid file', 60_000, 100);
    // About three helpers are alive at a time: the list follows them, it does not pile up.
    expect(longest).toBeLessThanOrEqual(6);

    // A stop and a start begin a new list: nothing seen before the stop is in it.
    await fleet.supervisor.stop('cron');
    await fleet.supervisor.start('cron');
    await until(async () => {
      await fleet?.supervisor.tick();
      const read = readPidFile(pids, 'cron');
      return read.kind === 'ok' && read.record.descendants.length > 0;
    }, 'helpers of the new run in the pid file', 30_000, 100);
    const after = readPidFile(pids, 'cron');
    expect(after.kind === 'ok' && after.record.descendants.some((d) => identities.has(`${d.pid}/${d.start_token}`))).toBe(false);
    expect(after.kind === 'ok' ? after.record.descendants.length : 99).toBeLessThanOrEqual(6);
  });

  it('keeps the log of a flooding service bounded as the pump writes it, with no tick', async () => {
    fleet = await makeTempFleet([fixtureService('flood', 'floods-log.ts', 17143, { health: { kind: 'tcp' } })]);
    await fleet.supervisor.startAll();
    const log = join(fleet.context.paths.logs, 'flood.log');
    await until(() => readFileSync(log, 'utf8').includes('the last line before listening'), 'the last line in the log');
    expect(statSync(log).size).toBeLessThanOrEqual(DEFAULT_LOG_LIMIT_BYTES);
    expect(statSync(`${log}.1`).size).toBeLessThanOrEqual(DEFAULT_LOG_LIMIT_BYTES);
    const tail = await fleet.supervisor.stopServices(['flood']);
    expect(tail.leftovers).toEqual([]);
  });

  it('where a service writes its log itself (no named pipes), the next tick rotates it', async () => {
    fleet = await makeTempFleet([fixtureService('flood', 'floods-log.ts', 28601, { health: { kind: 'tcp' } })], 'test fleet', { serviceOutput: 'file' });
    await fleet.supervisor.startAll();
    const log = join(fleet.context.paths.logs, 'flood.log');
    expect(statSync(log).size).toBeGreaterThan(3 * 1024 * 1024);
    await fleet.supervisor.tick();
    expect(statSync(log).size).toBeLessThanOrEqual(DEFAULT_LOG_LIMIT_BYTES);
    expect(existsSync(`${log}.1`)).toBe(true);
    const tail = await fleet.supervisor.stopServices(['flood']);
    expect(tail.leftovers).toEqual([]);
  });

  it("survives a log it cannot rotate: the failure is the service's last error, and the next tick goes on", async () => {
    fleet = await makeTempFleet([fixtureService('web', 'http-ok.ts', 28410)], 'test fleet', { serviceOutput: 'file' });
    await fleet.supervisor.startAll();
    const log = join(fleet.context.paths.logs, 'web.log');
    // A link in the log's place (the service keeps its open file): rotation must not follow it.
    const target = join(fleet.dir, 'elsewhere.log');
    writeFileSync(target, 'not the log\n');
    rmSync(log);
    symlinkSync(target, log);
    await fleet.supervisor.tick();
    const service = fleet.supervisor.getSnapshot().services[0];
    expect(service?.state).toBe('running');
    expect(service?.lastError).toMatch(/^log rotation failed: .*ELOOP/);
    expect(readFileSync(target, 'utf8')).toBe('not the log\n');
    await fleet.supervisor.tick();
    expect(fleet.supervisor.getSnapshot().services[0]?.probe?.ok).toBe(true);
  });

  it("survives a log it cannot write: the pump's failure is the service's last error, and the service runs on", async () => {
    fleet = await makeTempFleet([fixtureService('web', 'http-ok.ts', 28600)]);
    const log = join(fleet.context.paths.logs, 'web.log');
    // A link planted in the log's place before the start: the pump must not follow it.
    const target = join(fleet.dir, 'elsewhere.log');
    writeFileSync(target, 'not the log\n');
    mkdirSync(fleet.context.paths.logs, { recursive: true });
    symlinkSync(target, log);
    await fleet.supervisor.startAll();
    const service = fleet.supervisor.getSnapshot().services[0];
    expect(service?.state).toBe('running');
    expect(service?.lastError).toMatch(/^log: writing the log failed: .*ELOOP/);
    expect(readFileSync(target, 'utf8')).toBe('not the log\n');
    await fleet.supervisor.tick();
    expect(fleet.supervisor.getSnapshot().services[0]?.probe?.ok).toBe(true);
  });
});
