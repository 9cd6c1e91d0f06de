// The watched log travels in the snapshot: read when the watch starts and at every tick,
// from the real log file the service writes, with one publish per tick.
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { logPath } from '../../src/supervisor/service-log.ts';
import { fixtureService, makeTempFleet, type TempFleet } from '../helpers/temp-fleet.ts';

let fleet: TempFleet | null = null;
afterEach(async () => {
  await fleet?.cleanup();
  fleet = null;
});

function countPublishes(f: TempFleet): { count: number } {
  const counter = { count: 0 };
  f.supervisor.subscribe(() => counter.count++);
  return counter;
}

describe('supervisor watchLog', () => {
  it('puts the tail of the watched log into the snapshot at once and at every tick, publishing once each', async () => {
    fleet = await makeTempFleet([fixtureService('web', 'http-ok.ts', 17141)]);
    const { supervisor } = fleet;
    const logs = fleet.context.paths.logs;
    mkdirSync(logs, { recursive: true });
    writeFileSync(logPath(logs, 'web'), 'one\ntwo\nthree\nfour\n');
    expect(supervisor.getSnapshot().log).toBeNull();

    const published = countPublishes(fleet);
    supervisor.watchLog('web', 2);
    expect(published.count).toBe(1);
    expect(supervisor.getSnapshot().log).toEqual({ service: 'web', lines: ['three', 'four'] });

    // Asking again for the same thing changes nothing.
    supervisor.watchLog('web', 2);
    expect(published.count).toBe(1);

    // New output shows up with the next tick, in the tick's single publish.
    appendFileSync(logPath(logs, 'web'), 'five\n');
    expect(supervisor.getSnapshot().log?.lines).toEqual(['three', 'four']);
    await supervisor.tick();
    expect(published.count).toBe(2);
    expect(supervisor.getSnapshot().log).toEqual({ service: 'web', lines: ['four', 'five'] });

    // A bigger pane gets more lines right away.
    supervisor.watchLog('web', 10);
    expect(supervisor.getSnapshot().log?.lines).toEqual(['one', 'two', 'three', 'four', 'five']);

    supervisor.watchLog(null, 0);
    expect(supervisor.getSnapshot().log).toBeNull();
    await supervisor.tick();
    expect(supervisor.getSnapshot().log).toBeNull();
  });

  it('shows a missing log as no lines, and refuses a name that is not in the contract', async () => {
    fleet = await makeTempFleet([fixtureService('web', 'http-ok.ts', 17142)]);
    fleet.supervisor.watchLog('web', 5);
    expect(fleet.supervisor.getSnapshot().log).toEqual({ service: 'web', lines: [] });
    expect(() => fleet?.supervisor.watchLog('../../etc/passwd', 5)).toThrow(/no service named/);
    expect(fleet.supervisor.getSnapshot().log).toEqual({ service: 'web', lines: [] });
  });

  it('follows the output of a real service', async () => {
    fleet = await makeTempFleet([fixtureService('web', 'http-ok.ts', 17143)]);
    await fleet.supervisor.startAll();
    fleet.supervisor.watchLog('web', 5);
    expect(fleet.supervisor.getSnapshot().log?.lines.join('\n')).toContain('listening on 17143');
    await fleet.supervisor.tick();
    expect(fleet.supervisor.getSnapshot().log?.lines.join('\n')).toContain('listening on 17143');
  });
});
