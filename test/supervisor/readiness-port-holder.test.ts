// Readiness confirmed by who holds the port, against real processes and real ports: a
// foreign listener that took the contract port and answers the probe fails the start,
// named (in the supervisor and in `evident up`); a service serving from its own process or
// from a worker below it is healthy, with the holder recorded on its ready event.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { commandLineText } from '../../src/platform/command-line-text.ts';
import { pidFilePath } from '../../src/supervisor/pid-file.ts';
import { killAll } from '../helpers/kill-and-wait.ts';
import { runCli } from '../helpers/run-cli.ts';
import { fixtureService, isRunning, makeTempFleet, type TempFleet } from '../helpers/temp-fleet.ts';
import { until } from '../helpers/wait.ts';

let fleet: TempFleet | null = null;
let foreign: Server | null = null;
afterEach(async () => {
  await new Promise((r) => (foreign ? foreign.close(r) : r(null)));
  foreign = null;
  await fleet?.cleanup();
  fleet = null;
});

/** A listener of this test process (not of any service) that answers /healthz 200 on `port`. */
async function squat(port: number): Promise<Server> {
  const server = createServer((_req, res) => res.end('ok'));
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
  return server;
}

async function ownCommand(): Promise<string> {
  const me = await (fleet as TempFleet).context.platform.readProcess(process.pid);
  return commandLineText(me?.argv ?? []);
}

describe('readiness: the port holder is of the service tree', () => {
  it('fails the start of a service whose port a foreign process took and answers on, naming the holder', async () => {
    fleet = await makeTempFleet([fixtureService('squatted', 'never-listens.ts', 28810, { startup_timeout_s: 30 })]);
    const starting = fleet.supervisor.startServices(['squatted']);
    // Taken once the service runs: after the check that the port is free before a start.
    await until(() => fleet?.events.some((e) => e.type === 'start') ?? false, 'the service to be started');
    foreign = await squat(28810);
    const result = await starting;
    expect(result.ok).toBe(false);
    expect(result.failed).toEqual([{ service: 'squatted', reason: `port 28810 is held by pid ${process.pid} (${await ownCommand()}), not by squatted's process tree` }]);
    const started = fleet.events.find((e) => e.type === 'start');
    expect(started?.type === 'start' && (await isRunning(fleet, started.pid))).toBe(false);
    expect(fleet.events.some((e) => e.type === 'ready')).toBe(false);
  });

  it('is healthy when its own process holds the port, and records the holder', async () => {
    fleet = await makeTempFleet([fixtureService('web', 'http-ok.ts', 28811)]);
    const result = await fleet.supervisor.startServices(['web']);
    expect(result.ok).toBe(true);
    const ready = fleet.events.find((e) => e.type === 'ready');
    expect(ready?.type === 'ready' && ready.port_holder).toEqual({ status: 'service', pids: [ready?.type === 'ready' ? ready.pid : -1] });
  });

  it('is healthy when only a worker below the service holds the port', async () => {
    fleet = await makeTempFleet([fixtureService('workers', 'serves-from-worker.ts', 28812)]);
    const result = await fleet.supervisor.startServices(['workers']);
    expect(result.ok).toBe(true);
    const ready = fleet.events.find((e) => e.type === 'ready');
    if (ready?.type !== 'ready' || ready.port_holder?.status !== 'service') throw new Error(`ready with the service holding its port expected, got ${JSON.stringify(ready)}`);
    const [holder] = ready.port_holder.pids;
    expect(ready.port_holder.pids).toHaveLength(1);
    expect(holder).not.toBe(ready.pid);
    expect((await fleet.context.platform.readProcess(holder as number))?.ppid).toBe(ready.pid);
  });

  it('is not checked for a probe of another port (an exec probe, here)', async () => {
    fleet = await makeTempFleet([fixtureService('web', 'http-ok.ts', 28813, { health: { kind: 'exec', command: process.execPath, args: ['-e', '0'] } })]);
    expect((await fleet.supervisor.startServices(['web'])).ok).toBe(true);
    const ready = fleet.events.find((e) => e.type === 'ready');
    expect(ready?.type === 'ready' && 'port_holder' in ready).toBe(false);
  });
});

describe('evident up, when a foreign process answers on the contract port', () => {
  it('fails naming the holder, and leaves the service stopped', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'evident-port-holder-'));
    const contract = join(dir, 'contract.json');
    const common = ['--contract', contract, '--state-dir', join(dir, 'state'), '--artifacts-dir', join(dir, 'artifacts')];
    writeFileSync(contract, JSON.stringify({ name: 'squatted fleet', version: '1.0.0', services: [fixtureService('squatted', 'never-listens.ts', 28814, { startup_timeout_s: 30 })] }));
    const pids: number[] = [];
    try {
      const up = runCli(['up', ...common]);
      await until(() => existsSync(pidFilePath(join(dir, 'state', 'pids'), 'squatted')), 'the service to be started');
      foreign = await squat(28814);
      const result = await up;
      pids.push(...[...result.stdout.matchAll(/started pid (\d+)/g)].map((m) => Number(m[1])));
      expect(result.exitCode).toBe(1);
      expect(result.stdout).toContain(`squatted: failed to start: port 28814 is held by pid ${process.pid} (`);
      expect(result.stdout).toContain("), not by squatted's process tree");
      expect(pids).toHaveLength(1);
      expect((await runCli(['status', ...common])).stdout).toMatch(/squatted\s+-\s+stopped/);
    } finally {
      killAll(pids);
      await runCli(['down', ...common]);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
