// What a stop records on its `stopped` event, against real processes on 127.0.0.1: how the
// service's own process ended (this process started it, so it sees the exit), and every
// member found outside the service's process group or session, obeying or killed.
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FleetSupervisor } from '../../src/supervisor/fleet-supervisor.ts';
import type { SupervisorEvent } from '../../src/supervisor/supervisor-event.ts';
import { fixtureService, isRunning, makeTempFleet, type TempFleet } from '../helpers/temp-fleet.ts';

let fleet: TempFleet | null = null;
afterEach(async () => {
  await fleet?.cleanup();
  fleet = null;
});

type Stopped = Extract<SupervisorEvent, { type: 'stopped' }>;
const stoppedOf = (events: readonly SupervisorEvent[], service: string) => events.find((e): e is Stopped => e.type === 'stopped' && e.service === service);

describe('the stopped event: how the service exited', () => {
  it('records exit 0 for a service that stops cleanly on SIGTERM, in its own group and session', async () => {
    fleet = await makeTempFleet([fixtureService('web', 'http-ok.ts', 17460)]);
    await fleet.supervisor.startAll();
    const pid = fleet.supervisor.getSnapshot().services[0]?.pid as number;
    const result = await fleet.supervisor.stopServices(['web']);
    expect(stoppedOf(result.events, 'web')).toMatchObject({ graceful: true, exit_code: 0, exit_signal: null, exit_observed: true, group: { pgid: pid, sid: pid }, escaped: [] });
    // The stop's events are the caller's too, in the order they happened, the leftover check last.
    expect(result.events.map((e) => e.type)).toEqual(['stop', 'stopped', 'leftover-check']);
  });

  it('asks a child born during the shutdown to stop too, so the stop stays graceful', async () => {
    fleet = await makeTempFleet([fixtureService('flusher', 'flushes-on-sigterm.ts', 28460, { stop_timeout_s: 5 })]);
    await fleet.supervisor.startAll();
    const result = await fleet.supervisor.stopServices(['flusher']);
    const outcome = result.outcomes[0];
    expect(outcome?.graceful).toBe(true);
    expect(outcome?.killed).toEqual([]);
    expect(stoppedOf(fleet.events, 'flusher')?.exit_code).toBe(0);
    const late = fleet.events.filter((e) => e.type === 'stop' && e.service === 'flusher' && e.pid === null);
    expect(late).toHaveLength(1);
    expect(result.leftovers).toEqual([]);
  });

  it('records exit code 3 for a service whose shutdown failed', async () => {
    fleet = await makeTempFleet([fixtureService('sour', 'exits-3-on-sigterm.ts', 17461)]);
    await fleet.supervisor.startAll();
    const result = await fleet.supervisor.stopServices(['sour']);
    expect(stoppedOf(result.events, 'sour')).toMatchObject({ graceful: true, exit_code: 3, exit_signal: null, exit_observed: true });
  });

  it('records death by SIGTERM for a service that does not handle it (none of its shutdown code ran)', async () => {
    fleet = await makeTempFleet([fixtureService('blunt', 'dies-on-sigterm.ts', 17462)]);
    await fleet.supervisor.startAll();
    const result = await fleet.supervisor.stopServices(['blunt']);
    expect(stoppedOf(result.events, 'blunt')).toMatchObject({ graceful: true, exit_code: null, exit_signal: 'SIGTERM', exit_observed: true });
  });

  it('kills at once, saying why, when the stop request could not be sent to the service (Windows: no CTRL_BREAK)', async () => {
    // A stop timeout of an hour: the test ends only if the stop does not wait it out.
    fleet = await makeTempFleet([fixtureService('deaf', 'http-ok.ts', 29410, { stop_timeout_s: 3600 })]);
    await fleet.supervisor.startAll();
    const pid = fleet.supervisor.getSnapshot().services[0]?.pid as number;
    // Fault injection over the real platform: the request for the service's own process fails, as a break does on Windows when no console can be attached.
    fleet.context.platform.requestStop = async (root) => ({ group: null, pids: [], undelivered: root ? [{ pid: root.pid, reason: 'AttachConsole failed (error 6)' }] : [] });
    const result = await fleet.supervisor.stopServices(['deaf']);
    expect(result.outcomes[0]).toMatchObject({ graceful: false, killed: [pid], survivors: [] });
    const stop = result.events.find((e) => e.type === 'stop');
    expect(stop).toMatchObject({ signalled: [], undelivered: [{ pid, reason: 'AttachConsole failed (error 6)' }] });
    expect(stoppedOf(result.events, 'deaf')).toMatchObject({ graceful: false, exit_signal: 'SIGKILL', graceful_request_failed: 'AttachConsole failed (error 6)' });
    expect(await isRunning(fleet, pid)).toBe(false);
  });

  it('a process table that cannot be read fails the stop and its leftover check, never reads as "nothing left" (a Windows sampler that stopped answering)', async () => {
    fleet = await makeTempFleet([fixtureService('watched', 'http-ok.ts', 29411)]);
    await fleet.supervisor.startAll();
    const platform = fleet.context.platform;
    const { listProcesses } = platform;
    // Fault injection over the real platform: the table cannot be read.
    platform.listProcesses = async () => {
      throw new Error('the Windows sampler did not answer "table" within 5000 ms');
    };
    try {
      await expect(fleet.supervisor.stopServices(['watched'])).rejects.toThrow(/did not answer "table"/);
      await expect(fleet.supervisor.checkLeftovers()).rejects.toThrow(/did not answer "table"/);
    } finally {
      platform.listProcesses = listProcesses;
    }
    // Read again, the table shows the service still running: nothing was taken for gone.
    const result = await fleet.supervisor.stopServices(['watched']);
    expect(result.outcomes[0]).toMatchObject({ graceful: true });
    expect(result.leftovers).toEqual([]);
  });

  it('records SIGKILL and the kill for a service that ignored SIGTERM past its stop timeout', async () => {
    fleet = await makeTempFleet([fixtureService('stubborn', 'ignores-sigterm.ts', 17463, { stop_timeout_s: 0.5 })]);
    await fleet.supervisor.startAll();
    const pid = fleet.supervisor.getSnapshot().services[0]?.pid as number;
    const result = await fleet.supervisor.stopServices(['stubborn']);
    expect(result.events.find((e) => e.type === 'kill')).toMatchObject({ service: 'stubborn', root: pid, pids: [pid] });
    expect(stoppedOf(result.events, 'stubborn')).toMatchObject({ graceful: false, exit_code: null, exit_signal: 'SIGKILL', exit_observed: true });
  });

  it('says the exit was not seen when another supervisor (as `evident down` is) stops a service it did not start', async () => {
    fleet = await makeTempFleet([fixtureService('web', 'http-ok.ts', 17464)]);
    await fleet.supervisor.startAll();
    const other = new FleetSupervisor(fleet.context);
    await other.adopt();
    const result = await other.stopServices(['web']);
    expect(stoppedOf(result.events, 'web')).toMatchObject({ graceful: true, exit_code: null, exit_signal: null, exit_observed: false });
  });
});

describe('the stopped event: processes that left the service group', () => {
  const pidFile = () => join(tmpdir(), `evident-escapee-${process.pid}-${Date.now()}.pid`);

  it('names a grandchild that called setsid and then obeyed SIGTERM: pid, ppid, group, session, command and port', async () => {
    const file = pidFile();
    fleet = await makeTempFleet([fixtureService('leaky', 'escapee.py', 17465, { env: { ESCAPEE_PID_FILE: file } })]);
    await fleet.supervisor.startAll();
    const escapee = Number(readFileSync(file, 'utf8'));
    rmSync(file);
    fleet.track(escapee);
    const root = fleet.supervisor.getSnapshot().services[0]?.pid as number;
    const info = await fleet.context.platform.readProcess(escapee);
    const result = await fleet.supervisor.stopServices(['leaky']);
    const stopped = stoppedOf(result.events, 'leaky');
    expect(stopped).toMatchObject({ graceful: true, exit_code: 0, group: { pgid: root, sid: root } });
    expect(stopped?.escaped).toEqual([{ pid: escapee, ppid: info?.ppid, pgid: escapee, sid: escapee, left: 'session', command: info?.argv.join(' '), port: null }]);
    expect(stopped?.escaped[0]?.command).toMatch(/python3? .*escapee\.py$/);
    expect(result.events.some((e) => e.type === 'kill')).toBe(false);
    expect(await isRunning(fleet, escapee)).toBe(false);
    expect(result.leftovers).toEqual([]);
  });

  it('names the same escapee when it ignored SIGTERM and had to be killed', async () => {
    const file = pidFile();
    fleet = await makeTempFleet([fixtureService('leaky', 'escapee.py', 17466, { stop_timeout_s: 0.5, env: { ESCAPEE_PID_FILE: file, ESCAPEE_IGNORES_SIGTERM: '1' } })]);
    await fleet.supervisor.startAll();
    const escapee = Number(readFileSync(file, 'utf8'));
    rmSync(file);
    fleet.track(escapee);
    const result = await fleet.supervisor.stopServices(['leaky']);
    expect(stoppedOf(result.events, 'leaky')?.escaped.map((e) => [e.pid, e.left])).toEqual([[escapee, 'session']]);
    expect(result.events.find((e) => e.type === 'kill')).toMatchObject({ service: 'leaky', pids: [escapee] });
    expect(await isRunning(fleet, escapee)).toBe(false);
  });

  it('names an escapee that holds the contract port with that port', async () => {
    const file = pidFile();
    fleet = await makeTempFleet([fixtureService('holder', 'escapee.py', 17467, { env: { ESCAPEE_PID_FILE: file, ESCAPEE_SERVES: '1' } })]);
    await fleet.supervisor.startAll();
    const escapee = Number(readFileSync(file, 'utf8'));
    rmSync(file);
    fleet.track(escapee);
    expect(await fleet.context.platform.listeners([17467])).toEqual([{ port: 17467, pid: escapee }]);
    const result = await fleet.supervisor.stopServices(['holder']);
    expect(stoppedOf(result.events, 'holder')?.escaped).toEqual([expect.objectContaining({ pid: escapee, left: 'session', port: 17467 })]);
    expect(await isRunning(fleet, escapee)).toBe(false);
  });
});
