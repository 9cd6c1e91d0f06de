// A fleet made of test fixtures in a temporary folder: its own contract file, state
// folder and ports, a real platform, and a cleanup that leaves no process and no service
// cgroup behind.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Contract } from '../../src/contract/contract.ts';
import { loadContract } from '../../src/contract/load-contract.ts';
import { createLinuxPlatform, type LinuxPlatformOptions } from '../../src/platform/linux.ts';
import type { Platform } from '../../src/platform/platform.ts';
import type { ServiceCgroups } from '../../src/platform/service-cgroups.ts';
import { resolveStatePaths } from '../../src/paths/state-paths.ts';
import { FleetSupervisor } from '../../src/supervisor/fleet-supervisor.ts';
import type { SupervisorContext } from '../../src/supervisor/supervisor-context.ts';
import type { SupervisorEvent } from '../../src/supervisor/supervisor-event.ts';
import { until } from './wait.ts';

export const FIXTURES = resolve(import.meta.dirname, '../fixtures/services');

export interface TempFleet {
  dir: string;
  contractPath: string;
  contract: Contract;
  context: SupervisorContext;
  supervisor: FleetSupervisor;
  events: (SupervisorEvent & { at: number })[];
  /** Pids to kill in cleanup no matter what (e.g. escaped grandchildren the test learns of). */
  track(pid: number): void;
  cleanup(): Promise<void>;
}

/**
 * `serviceOutput: 'file'` runs the real Linux platform with the output design of a
 * platform without named pipes (Windows): each service writes its log file itself;
 * `cgroups: false` without service cgroups.
 */
export async function makeTempFleet(services: Record<string, unknown>[], name = 'test fleet', options: LinuxPlatformOptions & { serviceOutput?: Platform['serviceOutput'] } = {}): Promise<TempFleet> {
  const dir = mkdtempSync(join(tmpdir(), 'evident-test-'));
  const contractPath = join(dir, 'contract.json');
  writeFileSync(contractPath, JSON.stringify({ name, version: '1.0.0', services }, null, 2));
  const loaded = await loadContract(contractPath);
  if (!loaded.ok) throw new Error(`fixture contract invalid: ${JSON.stringify(loaded.problems)}`);
  const events: (SupervisorEvent & { at: number })[] = [];
  const context: SupervisorContext = {
    platform: options.serviceOutput ? { ...createLinuxPlatform('/proc', options), serviceOutput: options.serviceOutput } : createLinuxPlatform('/proc', options),
    paths: resolveStatePaths(join(dir, 'state')),
    contract: loaded.contract,
    emit: (e) => events.push(e),
  };
  const supervisor = new FleetSupervisor(context);
  const tracked = new Set<number>();
  return {
    dir,
    contractPath,
    contract: loaded.contract,
    context,
    supervisor,
    events,
    track: (pid) => tracked.add(pid),
    async cleanup() {
      supervisor.stopTelemetry();
      await supervisor.stopAll().catch(() => {});
      const leftovers = await supervisor.checkLeftovers().catch(() => []);
      for (const l of leftovers) if (l.ours && l.pid) tracked.add(l.pid);
      await supervisor.releaseOutput();
      for (const pid of tracked) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
      await removeFleetCgroups(context.platform.cgroups, context.paths.fleetTag);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Kills what is left in the fleet's service cgroups and removes them (the folder of the fleet's cgroups with them). */
export async function removeFleetCgroups(cgroups: ServiceCgroups, fleetTag: string): Promise<void> {
  for (const cgroup of await cgroups.fleetCgroups(fleetTag)) {
    await cgroups.killAll(cgroup.path);
    // Removable once its killed members have finished exiting.
    await until(() => cgroups.removeIfEmpty(cgroup.path), `cgroup ${cgroup.path} to empty and go`);
  }
}

/** A service entry for a fixture script, run by the same Node that runs the tests. */
export function fixtureService(name: string, script: string, port: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const isPython = script.endsWith('.py');
  return {
    name,
    command: isPython ? 'python3' : process.execPath,
    args: [join(FIXTURES, script)],
    cwd: FIXTURES,
    port,
    health: { kind: 'http', path: '/healthz', expect_status: 200, timeout_ms: 1000 },
    startup_timeout_s: 10,
    stop_timeout_s: 2,
    ...extra,
  };
}

/** Alive and not defunct (a defunct process has ended, whoever has yet to collect it). */
export async function isRunning(fleet: TempFleet, pid: number): Promise<boolean> {
  const info = await fleet.context.platform.readProcess(pid);
  return info !== null && info.state !== 'Z';
}
