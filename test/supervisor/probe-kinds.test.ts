// The tcp and exec probe kinds on real services (the demo contract probes every service
// over HTTP now; other contracts still use these): a service becomes healthy by its port
// accepting connections, or by a command exiting 0, and is probed that way while it runs.
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { ROOT } from '../helpers/run-cli.ts';
import { fixtureService, makeTempFleet, type TempFleet } from '../helpers/temp-fleet.ts';
import { until } from '../helpers/wait.ts';

let fleet: TempFleet | null = null;
afterEach(async () => {
  await fleet?.cleanup();
  fleet = null;
});

it('starts one service on a tcp probe and one on an exec probe, and keeps probing them', async () => {
  fleet = await makeTempFleet([
    fixtureService('plain', 'http-ok.ts', 17472, { health: { kind: 'tcp', timeout_ms: 2000 } }),
    fixtureService('checked', 'http-ok.ts', 17473, {
      health: { kind: 'exec', command: process.execPath, args: [join(ROOT, 'fleet', 'healthcheck.mjs'), 'http://127.0.0.1:17473/healthz'], timeout_ms: 5000, interval_s: 1 },
    }),
  ]);
  await fleet.supervisor.startAll();
  const ready = Object.fromEntries(fleet.events.flatMap((e) => (e.type === 'ready' ? [[e.service, e.probe]] : [])));
  expect(ready).toEqual({ plain: 'port 17472 accepts connections', checked: 'exit 0' });
  await until(async () => {
    await fleet?.supervisor.tick();
    const probes = fleet?.supervisor.getSnapshot().services.map((s) => s.probe);
    return probes?.every((p) => p !== null && p.ok) ?? false;
  }, 'both services probed healthy while running');
  const [plain, checked] = fleet.supervisor.getSnapshot().services;
  expect(plain?.probe).toMatchObject({ ok: true, detail: 'port 17472 accepts connections' });
  expect(checked?.probe).toMatchObject({ ok: true, code: 0, detail: 'exit 0' });
  const result = await fleet.supervisor.stopServices(['checked', 'plain']);
  expect(result.leftovers).toEqual([]);
});
