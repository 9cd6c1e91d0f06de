// A service that ends on its own is started again as its contract's `restart` says, in a
// process that supervises the fleet over time; each decision is an event.
import { afterEach, describe, expect, it } from 'vitest';
import { fixtureService, makeTempFleet, type TempFleet } from '../helpers/temp-fleet.ts';
import { isAlive, until } from '../helpers/wait.ts';

let fleet: TempFleet | null = null;
afterEach(async () => {
  await fleet?.cleanup();
  fleet = null;
});

async function crash(port: number, path = '/crash'): Promise<void> {
  await fetch(`http://127.0.0.1:${port}${path}`).catch(() => {});
}

function pidOf(f: TempFleet, name: string): number | null {
  return f.supervisor.getSnapshot().services.find((s) => s.name === name)?.pid ?? null;
}

function stateOf(f: TempFleet, name: string): string | undefined {
  return f.supervisor.getSnapshot().services.find((s) => s.name === name)?.state;
}

describe('restart policy', () => {
  it('"on-failure" restarts a crash, counts it, and gives up past its limit', async () => {
    fleet = await makeTempFleet([
      fixtureService('crasher', 'crashes-on-request.ts', 29401, { restart: { policy: 'on-failure', delay_s: 0.1, limit: 2, window_s: 600 } }),
    ]);
    fleet.context.restartOnExit = true;
    fleet.supervisor.startTelemetry(200);
    await fleet.supervisor.startAll();
    const first = pidOf(fleet, 'crasher') as number;

    await crash(29401);
    await until(() => stateOf(fleet!, 'crasher') === 'running' && pidOf(fleet!, 'crasher') !== first, 'the first restart');
    const second = pidOf(fleet, 'crasher') as number;
    expect(isAlive(second)).toBe(true);
    expect(fleet.supervisor.getSnapshot().services[0]?.restarts).toBe(1);
    const scheduled = fleet.events.filter((e) => e.type === 'restart-scheduled');
    expect(scheduled).toMatchObject([{ service: 'crasher', policy: 'on-failure', after: 'exit code 1', attempt: 1, delay_ms: 100 }]);

    await crash(29401);
    await until(() => stateOf(fleet!, 'crasher') === 'running' && pidOf(fleet!, 'crasher') !== second, 'the second restart');
    expect(fleet.events.filter((e) => e.type === 'restart-scheduled').at(-1)).toMatchObject({ attempt: 2, delay_ms: 200 });

    await crash(29401);
    await until(() => fleet!.events.some((e) => e.type === 'restart-refused'), 'the refusal past the limit');
    expect(fleet.events.find((e) => e.type === 'restart-refused')).toMatchObject({ gave_up: true, after: 'exit code 1' });
    await until(() => stateOf(fleet!, 'crasher') === 'failed', 'the service left failed');
    expect(fleet.supervisor.getSnapshot().services[0]?.lastError).toContain('its limit');
    expect(fleet.events.filter((e) => e.type === 'start')).toHaveLength(3);
  });

  it('"on-failure" leaves a clean exit alone; "always" restarts it', async () => {
    fleet = await makeTempFleet([
      fixtureService('quiet', 'crashes-on-request.ts', 29402, { restart: { policy: 'on-failure', delay_s: 0.1 } }),
      fixtureService('eager', 'crashes-on-request.ts', 29403, { restart: { policy: 'always', delay_s: 0.1 } }),
    ]);
    fleet.context.restartOnExit = true;
    fleet.supervisor.startTelemetry(200);
    await fleet.supervisor.startAll();
    const eager = pidOf(fleet, 'eager');
    await crash(29402, '/exit-clean');
    await crash(29403, '/exit-clean');
    await until(() => stateOf(fleet!, 'eager') === 'running' && pidOf(fleet!, 'eager') !== eager, 'eager restarted');
    await until(() => fleet!.events.some((e) => e.type === 'restart-refused' && e.service === 'quiet'), 'quiet refused');
    expect(stateOf(fleet, 'quiet')).toBe('exited');
    expect(fleet.events.find((e) => e.type === 'restart-refused')).toMatchObject({ service: 'quiet', gave_up: false, reason: 'it exited with code 0 and its restart policy is "on-failure"' });
  });

  it('a stop during the delay cancels the restart, and a process that does not supervise never restarts', async () => {
    fleet = await makeTempFleet([
      fixtureService('slow', 'crashes-on-request.ts', 29404, { restart: { policy: 'always', delay_s: 1 } }),
    ]);
    fleet.context.restartOnExit = true;
    fleet.supervisor.startTelemetry(200);
    await fleet.supervisor.startAll();
    await crash(29404);
    await until(() => fleet!.events.some((e) => e.type === 'restart-scheduled'), 'the restart scheduled');
    await fleet.supervisor.stop('slow');
    // Past the delay: the wait was cancelled, so no second start ever comes.
    const startsBefore = fleet.events.filter((e) => e.type === 'start').length;
    // Absence cannot be awaited: wait past the delay (a slow machine only makes this weaker, never flaky).
    await new Promise((r) => setTimeout(r, 1500));
    expect(fleet.events.filter((e) => e.type === 'start').length).toBe(startsBefore);
    expect(stateOf(fleet, 'slow')).toBe('stopped');

    fleet.context.restartOnExit = false;
    await fleet.supervisor.start('slow');
    await crash(29404);
    await until(() => stateOf(fleet!, 'slow') === 'exited', 'the exit seen');
    expect(fleet.events.filter((e) => e.type === 'restart-scheduled')).toHaveLength(1);
  });
});
