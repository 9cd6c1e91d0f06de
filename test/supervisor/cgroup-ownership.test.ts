// The cgroup proof, with real processes, a real cgroup v2 hierarchy and real ports: a
// service is moved into a cgroup of its own at spawn, and a descendant that scrubbed its
// environment, left its session and double-forked is still found there: stopped with the
// service, or reported ours (by the cgroup) and reaped when it outlives it. Without
// cgroups the same escapee is reported as not proven ours, with what was seen and why.
// Skipped where no cgroup v2 hierarchy is writable (the reason is in the suite's name).
// Ports 29000–29019.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createLinuxCgroups } from '../../src/platform/linux-cgroups.ts';
import { readPidFile } from '../../src/supervisor/pid-file.ts';
import { fixtureService, isRunning, makeTempFleet, type TempFleet } from '../helpers/temp-fleet.ts';
import { until } from '../helpers/wait.ts';

const unavailable = createLinuxCgroups().unavailable;
let fleet: TempFleet | null = null;
const pidFiles: string[] = [];

afterEach(async () => {
  await fleet?.cleanup();
  fleet = null;
  for (const file of pidFiles.splice(0)) rmSync(file, { force: true });
});

/** A fleet of one service, `leaky`, whose escapee holds its port 29000 + `offset`. */
async function leakyFleet(offset: number, cgroups = true): Promise<{ fleet: TempFleet; pidFile: string }> {
  const pidFile = join(tmpdir(), `evident-cgroup-escapee-${process.pid}-${offset}.pid`);
  rmSync(pidFile, { force: true });
  pidFiles.push(pidFile);
  // Without a cgroup nothing proves the escapee answering on the port the service's, so a
  // probe of the port would refuse readiness (readiness-port-holder.ts): probe by exec then.
  const health = cgroups ? { kind: 'tcp', timeout_ms: 1000 } : { kind: 'exec', command: process.execPath, args: ['-e', '0'] };
  const made = await makeTempFleet(
    [fixtureService('leaky', 'scrubs-env-escapee.ts', 29000 + offset, { health, stop_timeout_s: 1, env: { ESCAPEE_PID_FILE: pidFile } })],
    'cgroup fleet',
    { cgroups },
  );
  return { fleet: made, pidFile };
}

async function startWithEscapee(f: TempFleet, pidFile: string): Promise<number> {
  await f.supervisor.startAll();
  expect(f.supervisor.getSnapshot().services[0]?.state).toBe('running');
  await until(() => existsSync(pidFile), 'the escapee to write its pid');
  const escapee = Number(readFileSync(pidFile, 'utf8'));
  f.track(escapee);
  return escapee;
}

describe.skipIf(unavailable !== null)(`service cgroups${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
  it('moves the service into a cgroup of its own at spawn, records it in the pid file and removes it after the stop', async () => {
    fleet = await makeTempFleet([fixtureService('web', 'http-ok.ts', 29001)]);
    await fleet.supervisor.startAll();
    const { cgroups } = fleet.context.platform;
    const read = readPidFile(fleet.context.paths.pids, 'web');
    const record = read.kind === 'ok' ? read.record : null;
    expect(record?.cgroup).toMatch(new RegExp(`/evident-${fleet.context.paths.fleetTag}/web$`));
    expect(await cgroups.cgroupOf(record?.pid as number)).toBe(record?.cgroup);
    expect(await cgroups.members(record?.cgroup as string)).toContain(record?.pid);
    await fleet.supervisor.stopAll();
    expect(await cgroups.fleetCgroups(fleet.context.paths.fleetTag)).toEqual([]);
    expect(await cgroups.members(record?.cgroup as string)).toEqual([]);
  });

  it('stops an escapee that scrubbed its environment and left its session, found through the cgroup', async () => {
    const made = await leakyFleet(2);
    fleet = made.fleet;
    const escapee = await startWithEscapee(fleet, made.pidFile);
    const { platform, paths } = fleet.context;
    const service = fleet.supervisor.getSnapshot().services[0]?.pid as number;
    // Nothing but the cgroup ties it to the service: not its tree, group, session or tag.
    const seen = await platform.readProcess(escapee);
    expect(seen?.sid).not.toBe((await platform.readProcess(service))?.sid);
    expect(seen?.ppid).not.toBe(service);
    expect(await platform.readEnvironmentVariable(escapee, 'EVIDENT_FLEET')).toBeNull();
    expect(await platform.cgroups.cgroupOf(escapee)).toBe(await platform.cgroups.cgroupOf(service));

    await fleet.supervisor.stopAll();
    expect(await isRunning(fleet, escapee)).toBe(false);
    const stopped = fleet.events.find((e) => e.type === 'stopped');
    expect(stopped?.type === 'stopped' && stopped.escaped.map((e) => e.pid)).toEqual([escapee]);
    expect(await fleet.supervisor.checkLeftovers()).toEqual([]);
    expect(await platform.cgroups.fleetCgroups(paths.fleetTag)).toEqual([]);
  });

  it('reports an escapee that outlived its service as ours by the cgroup, and reaps it', async () => {
    const made = await leakyFleet(3);
    fleet = made.fleet;
    const escapee = await startWithEscapee(fleet, made.pidFile);
    const { platform, paths } = fleet.context;
    const cgroup = await platform.cgroups.cgroupOf(escapee);
    const service = fleet.supervisor.getSnapshot().services[0]?.pid as number;
    process.kill(service, 'SIGKILL');
    await until(() => fleet?.events.some((e) => e.type === 'leftover-check') === true, 'the leftover check after the exit');
    expect(fleet.supervisor.getSnapshot().leftovers).toEqual([
      expect.objectContaining({ kind: 'orphan', service: 'leaky', pid: escapee, port: 29003, ours: true, proof: { kind: 'cgroup', path: cgroup } }),
    ]);
    await fleet.supervisor.reapOurs();
    expect(await isRunning(fleet, escapee)).toBe(false);
    expect(fleet.supervisor.getSnapshot().leftovers).toEqual([]);
    expect(await platform.cgroups.fleetCgroups(paths.fleetTag)).toEqual([]);
  });
});

describe('without service cgroups', () => {
  it('reports the escapee on its port as not proven ours, with when it started and why no proof holds, and never signals it', async () => {
    const made = await leakyFleet(4, false);
    fleet = made.fleet;
    const escapee = await startWithEscapee(fleet, made.pidFile);
    const started = new Date((await fleet.context.platform.readProcess(escapee))?.startedAtMs as number).toISOString();
    expect(readPidFile(fleet.context.paths.pids, 'leaky')).toMatchObject({ record: { cgroup: null } });
    await fleet.supervisor.stopAll();
    expect(await isRunning(fleet, escapee)).toBe(true);
    const found = await fleet.supervisor.checkLeftovers();
    expect(found).toEqual([
      {
        kind: 'listener',
        service: 'leaky',
        pid: escapee,
        ppid: expect.any(Number),
        command: expect.stringContaining('scrubs-env-escapee.ts escapee 29004'),
        port: 29004,
        ours: false,
        proof: null,
        unproven: {
          started_at: started,
          why: ['no cgroup on this host: switched off by EVIDENT_CGROUPS=off', 'no process group or session of its service on record', 'no fleet tag in its environment', 'never seen under a service'],
        },
      },
    ]);
  });
});
