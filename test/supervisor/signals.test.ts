// The contract's signals, against real processes on 127.0.0.1: a graceful stop sends the
// service's stop_signal once to each process (its group once, never its pid as well), and
// a reload sends its reload_signal once, only to a running service proven ours. The
// fixture exits 4 if it is asked to stop twice, as many programs take a second SIGTERM (a
// second signal sent while the first is still pending is merged by the kernel, so a real
// process does not always see a double: test/unit/linux-signals.test.ts counts the calls).
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FleetSupervisor } from '../../src/supervisor/fleet-supervisor.ts';
import type { SupervisorEvent } from '../../src/supervisor/supervisor-event.ts';
import { fixtureService, isRunning, makeTempFleet, type TempFleet } from '../helpers/temp-fleet.ts';
import { until } from '../helpers/wait.ts';

let fleet: TempFleet | null = null;
afterEach(async () => {
  await fleet?.cleanup();
  fleet = null;
});

const logs: string[] = [];
afterEach(() => {
  for (const file of logs.splice(0)) rmSync(file, { force: true });
});

/** A fleet of one counting service, and the signals it noted (its `ready` lines left out). */
async function countingFleet(port: number, extra: Record<string, unknown> = {}, env: Record<string, string> = {}): Promise<{ fleet: TempFleet; log: () => string[]; workerReady: () => Promise<void> }> {
  const logFile = join(tmpdir(), `evident-signals-${process.pid}-${port}-${Date.now()}.log`);
  logs.push(logFile);
  const created = await makeTempFleet([fixtureService('counter', 'counts-signals.ts', port, { ...extra, env: { SIGNAL_LOG: logFile, ...env } })]);
  const lines = () => (existsSync(logFile) ? readFileSync(logFile, 'utf8').trim().split('\n') : []);
  const log = () => lines().filter((l) => l !== '' && !l.endsWith(' ready'));
  // Its handlers are in place once it says so: a signal before that would end it.
  const workerReady = () => until(() => lines().includes('worker ready'), 'the worker to be ready', 10_000);
  return { fleet: created, log, workerReady };
}

type Stopped = Extract<SupervisorEvent, { type: 'stopped' }>;
const stoppedOf = (events: readonly SupervisorEvent[]) => events.find((e): e is Stopped => e.type === 'stopped');

describe('a graceful stop signals each process once', () => {
  it('stops a service that exits 4 on a second SIGTERM with exit 0: one SIGTERM, to its group', async () => {
    const made = await countingFleet(28101);
    fleet = made.fleet;
    await fleet.supervisor.startAll();
    const pid = fleet.supervisor.getSnapshot().services[0]?.pid as number;
    const result = await fleet.supervisor.stopServices(['counter']);
    expect(made.log()).toEqual(['main SIGTERM']);
    expect(stoppedOf(result.events)).toMatchObject({ graceful: true, exit_code: 0, exit_signal: null, exit_observed: true });
    expect(result.events.find((e) => e.type === 'stop')).toMatchObject({ pid, signal: 'SIGTERM', group: pid, signalled: [pid] });
    expect(result.leftovers).toEqual([]);
  });

  it('reaches a worker in the service group once, by the group signal alone', async () => {
    const made = await countingFleet(28102, {}, { WORKER: '1' });
    fleet = made.fleet;
    await fleet.supervisor.startAll();
    await made.workerReady();
    const result = await fleet.supervisor.stopServices(['counter']);
    expect(made.log().sort()).toEqual(['main SIGTERM', 'worker SIGTERM']);
    expect(stoppedOf(result.events)).toMatchObject({ graceful: true, exit_code: 0 });
    expect(result.leftovers).toEqual([]);
  });

  it('sends a service with stop_signal SIGQUIT a SIGQUIT, once, and no SIGTERM', async () => {
    const made = await countingFleet(28103, { stop_signal: 'SIGQUIT' });
    fleet = made.fleet;
    await fleet.supervisor.startAll();
    const result = await fleet.supervisor.stopServices(['counter']);
    expect(made.log()).toEqual(['main SIGQUIT']);
    expect(stoppedOf(result.events)).toMatchObject({ graceful: true, exit_code: 0 });
    expect(result.events.find((e) => e.type === 'stop')).toMatchObject({ signal: 'SIGQUIT' });
  });

  it('sends the stop_signal on a restart too', async () => {
    const made = await countingFleet(28104, { stop_signal: 'SIGINT' });
    fleet = made.fleet;
    await fleet.supervisor.startAll();
    await fleet.supervisor.restart('counter');
    expect(made.log()).toEqual(['main SIGINT']);
    expect(fleet.supervisor.getSnapshot().services[0]?.state).toBe('running');
  });
});

describe('a reload', () => {
  it('sends the reload_signal once to the running service, which goes on serving', async () => {
    const made = await countingFleet(28105, { reload_signal: 'SIGHUP' }, { WORKER: '1' });
    fleet = made.fleet;
    await fleet.supervisor.startAll();
    const pid = fleet.supervisor.getSnapshot().services[0]?.pid as number;
    await made.workerReady();
    const outcome = await fleet.supervisor.reloadService('counter');
    expect(outcome).toMatchObject({ sent: true, signal: 'SIGHUP', pid, group: pid });
    if (outcome.sent) expect(outcome.reached).toHaveLength(2);
    await until(() => made.log().length === 2, 'both processes to note the SIGHUP', 5000);
    expect(made.log().sort()).toEqual(['main SIGHUP', 'worker SIGHUP']);
    expect(await isRunning(fleet, pid)).toBe(true);
    expect(fleet.events.find((e) => e.type === 'reload')).toMatchObject({ service: 'counter', pid, signal: 'SIGHUP', group: pid, refused: null });
  });

  it('reloads a service adopted from its pid file, as `evident reload` does', async () => {
    const made = await countingFleet(28106, { reload_signal: 'SIGUSR1' });
    fleet = made.fleet;
    await fleet.supervisor.startAll();
    const other = new FleetSupervisor(fleet.context);
    await other.adopt();
    await other.reloadService('counter');
    await until(() => made.log().length === 1, 'the SIGUSR1', 5000);
    expect(made.log()).toEqual(['main SIGUSR1']);
  });

  it('is refused, before anything is sent, for a service that declares no reload_signal', async () => {
    const made = await countingFleet(28107);
    fleet = made.fleet;
    await fleet.supervisor.startAll();
    expect(fleet.supervisor.reloadRefusal('counter')).toMatch(/counter declares no reload_signal in the contract/);
    await expect(fleet.supervisor.reload('counter')).rejects.toThrow(/declares no reload_signal/);
    expect(fleet.events.some((e) => e.type === 'reload')).toBe(false);
    expect(made.log()).toEqual([]);
  });

  it('sends nothing to a service that is not running, and says so', async () => {
    const made = await countingFleet(28108, { reload_signal: 'SIGHUP' });
    fleet = made.fleet;
    const outcome = await fleet.supervisor.reloadService('counter');
    expect(outcome).toMatchObject({ sent: false, why: 'not-running', pid: null });
    await expect(fleet.supervisor.reload('counter')).rejects.toThrow(/counter is not running/);
    expect(fleet.events.find((e) => e.type === 'reload')).toMatchObject({ refused: expect.stringMatching(/not running/) });
  });
});
