// The supervisor against real processes on 127.0.0.1: start, stop, kill after the stop
// timeout, escaped grandchildren, start failures with their reasons.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { pidFilePath } from '../../src/supervisor/pid-file.ts';
import { fixtureService, isRunning, makeTempFleet, type TempFleet } from '../helpers/temp-fleet.ts';
import { until } from '../helpers/wait.ts';

let fleet: TempFleet | null = null;
afterEach(async () => {
  await fleet?.cleanup();
  fleet = null;
});


describe('supervisor lifecycle', () => {
  it('starts a service until healthy, records its pid file, and stops it leaving nothing', async () => {
    fleet = await makeTempFleet([fixtureService('web', 'http-ok.ts', 17101)]);
    await fleet.supervisor.startAll();
    const web = fleet.supervisor.getSnapshot().services[0];
    expect(web?.state).toBe('running');
    expect(web?.probe?.ok).toBe(true);
    const pid = web?.pid as number;
    const record = JSON.parse(readFileSync(pidFilePath(fleet.context.paths.pids, 'web'), 'utf8'));
    expect(record.pid).toBe(pid);
    expect(record.start_token).toMatch(/:\d+$/);
    expect(record.argv).toEqual([process.execPath, expect.stringContaining('http-ok.ts')]);
    // The output pump reads the service's pipe as it prints: the line arrives, not at once.
    const log = join(fleet.context.paths.logs, 'web.log');
    await until(() => readFileSync(log, 'utf8').includes('listening on 17101'), 'the listening line in the log');

    const result = await fleet.supervisor.stopServices(['web']);
    expect(result.outcomes[0]?.graceful).toBe(true);
    expect(result.leftovers).toEqual([]);
    expect(await isRunning(fleet, pid)).toBe(false);
    expect(existsSync(pidFilePath(fleet.context.paths.pids, 'web'))).toBe(false);
    expect(await fleet.context.platform.listeners([17101])).toEqual([]);
  });

  it('kills a service that ignores SIGTERM after its stop timeout', async () => {
    fleet = await makeTempFleet([fixtureService('stubborn', 'ignores-sigterm.ts', 17102, { health: { kind: 'tcp' }, stop_timeout_s: 0.5 })]);
    await fleet.supervisor.startAll();
    const pid = fleet.supervisor.getSnapshot().services[0]?.pid as number;
    const result = await fleet.supervisor.stopServices(['stubborn']);
    const outcome = result.outcomes[0];
    expect(outcome?.graceful).toBe(false);
    expect(outcome?.killed).toContain(pid);
    expect(outcome?.durationMs).toBeGreaterThanOrEqual(500);
    expect(fleet.events.some((e) => e.type === 'kill' && e.pids.includes(pid))).toBe(true);
    expect(await isRunning(fleet, pid)).toBe(false);
    expect(result.leftovers).toEqual([]);
  });

  it('stops a worker that left the process group, through the tree walk', async () => {
    fleet = await makeTempFleet([fixtureService('pool', 'has-worker.ts', 17103, { health: { kind: 'tcp' }, stop_timeout_s: 0.5 })]);
    await fleet.supervisor.startAll();
    await fleet.supervisor.tick();
    const tree = fleet.supervisor.getSnapshot().services[0]?.tree ?? [];
    expect(tree.length).toBe(2);
    const worker = tree[1]?.pid as number;
    const result = await fleet.supervisor.stopServices(['pool']);
    expect(result.outcomes[0]?.killed).toContain(worker);
    // Spawned detached, the worker left the service's session: named as an escapee.
    expect(result.outcomes[0]?.escaped.map((e) => [e.pid, e.left])).toEqual([[worker, 'session']]);
    expect(await isRunning(fleet, worker)).toBe(false);
    expect(result.leftovers).toEqual([]);
  });

  it('finds and reaps a grandchild that escaped by setsid and a double fork', async () => {
    const file = join(tmpdir(), `evident-grandchild-${process.pid}-${Date.now()}.pid`);
    fleet = await makeTempFleet([
      fixtureService('forker', 'leaves-grandchild.ts', 17104, { health: { kind: 'tcp' }, stop_timeout_s: 0.5, env: { GRANDCHILD_PID_FILE: file } }),
    ]);
    await fleet.supervisor.startAll();
    const grandchild = Number(readFileSync(file, 'utf8'));
    rmSync(file);
    fleet.track(grandchild);
    const service = fleet.supervisor.getSnapshot().services[0];
    const info = await fleet.context.platform.readProcess(grandchild);
    expect(info?.ppid).not.toBe(service?.pid);
    expect(info?.pgid).not.toBe(service?.pid);

    const result = await fleet.supervisor.stopServices(['forker']);
    expect(result.outcomes[0]?.killed).toContain(grandchild);
    expect(result.outcomes[0]?.escaped.map((e) => e.pid)).toEqual([grandchild]);
    expect(await isRunning(fleet, grandchild)).toBe(false);
    expect(result.leftovers).toEqual([]);
  });

  it('reports a start that exits at once, with its exit code and log tail, and leaves nothing', async () => {
    fleet = await makeTempFleet([fixtureService('broken', 'exits-at-once.ts', 17105)]);
    await expect(fleet.supervisor.startAll()).rejects.toThrow(/broken: exited during startup with code 3/);
    const failed = fleet.events.find((e) => e.type === 'start-failed');
    expect(failed?.type === 'start-failed' && failed.logTail.join('\n')).toContain('fatal: cannot open configuration');
    expect(fleet.supervisor.getSnapshot().services[0]?.state).toBe('failed');
    expect(existsSync(pidFilePath(fleet.context.paths.pids, 'broken'))).toBe(false);
  });

  it('gives up on a service that never becomes healthy, with the last probe result', async () => {
    // Long enough for Node to start and answer on a busy machine: the last probe is its 503.
    fleet = await makeTempFleet([fixtureService('sulky', 'never-healthy.ts', 17106, { startup_timeout_s: 4 })]);
    await expect(fleet.supervisor.startAll()).rejects.toThrow(/not healthy within 4 s; last probe: 503 .*expected 200/);
    expect(await fleet.context.platform.listeners([17106])).toEqual([]);
  });

  it('reports a command that does not exist', async () => {
    fleet = await makeTempFleet([{ ...fixtureService('ghost', 'http-ok.ts', 17107), command: 'no-such-program-evident' }]);
    await expect(fleet.supervisor.startAll()).rejects.toThrow(/cannot run "no-such-program-evident": not found/);
  });

  it('starts in dependency order and stops in reverse', async () => {
    fleet = await makeTempFleet([
      fixtureService('front', 'http-ok.ts', 17110, { depends_on: ['middle'] }),
      fixtureService('middle', 'http-ok.ts', 17111, { depends_on: ['base'] }),
      fixtureService('base', 'http-ok.ts', 17112),
    ]);
    await fleet.supervisor.startAll();
    const ready = fleet.events.filter((e) => e.type === 'ready').map((e) => (e as { service: string }).service);
    expect(ready).toEqual(['base', 'middle', 'front']);
    const starts = fleet.events.filter((e) => e.type === 'start').map((e) => (e as { service: string }).service);
    expect(starts).toEqual(['base', 'middle', 'front']);
    await fleet.supervisor.stopAll();
    const stopped = fleet.events.filter((e) => e.type === 'stopped').map((e) => (e as { service: string }).service);
    expect(stopped).toEqual(['front', 'middle', 'base']);
  });
});
