// `evident up`, `down` and `zombies` through the real CLI on a service whose descendant
// scrubs its environment, leaves its session and double-forks (it holds the contract port
// and ignores SIGTERM). With service cgroups `down` finds it through the cgroup and kills
// it, and `zombies` finds nothing left, nor any cgroup; with EVIDENT_CGROUPS=off nothing
// proves it ours: `zombies` names it as not proven ours, with when it started and why, and
// leaves it alone. Ports 29020–29021.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLinuxCgroups } from '../../src/platform/linux-cgroups.ts';
import { resolveStatePaths } from '../../src/paths/state-paths.ts';
import { runCli } from '../helpers/run-cli.ts';
import { fixtureService, removeFleetCgroups } from '../helpers/temp-fleet.ts';
import { isAlive, until } from '../helpers/wait.ts';

const cgroups = createLinuxCgroups();
let dir = '';
const escapees = new Set<number>();

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'evident-escapee-cgroup-'));
});

afterAll(async () => {
  for (const variant of ['on', 'off']) if (existsSync(join(dir, `${variant}.json`))) await runCli(['down', ...args(variant)], { env: envOf(variant) });
  for (const pid of escapees) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone
    }
  }
  for (const variant of ['on', 'off']) await removeFleetCgroups(cgroups, fleetTag(variant));
  rmSync(dir, { recursive: true, force: true });
});

function args(variant: string): string[] {
  return ['--contract', join(dir, `${variant}.json`), '--state-dir', join(dir, `state-${variant}`), '--artifacts-dir', join(dir, `artifacts-${variant}`)];
}

function envOf(variant: string): Record<string, string> {
  return variant === 'off' ? { EVIDENT_CGROUPS: 'off' } : {};
}

function fleetTag(variant: string): string {
  return resolveStatePaths(join(dir, `state-${variant}`)).fleetTag;
}

/** `up` of a fleet of one service, `leaky`, on `port`; the escapee's pid once it listens there. */
async function upWithEscapee(variant: 'on' | 'off', port: number): Promise<number> {
  const pidFile = join(dir, `${variant}.escapee.pid`);
  const service = fixtureService('leaky', 'scrubs-env-escapee.ts', port, { health: { kind: 'tcp', timeout_ms: 1000 }, stop_timeout_s: 1, env: { ESCAPEE_PID_FILE: pidFile } });
  writeFileSync(join(dir, `${variant}.json`), JSON.stringify({ name: 'escapee fleet', version: '1.0.0', services: [service] }));
  const up = await runCli(['up', ...args(variant)], { env: envOf(variant) });
  await until(() => existsSync(pidFile), 'the escapee to write its pid');
  const escapee = Number(readFileSync(pidFile, 'utf8'));
  escapees.add(escapee);
  if (variant === 'on') {
    expect(up.exitCode, up.stdout + up.stderr).toBe(0);
  } else {
    // Without a cgroup nothing proves the process answering on the port the service's:
    // readiness is refused, naming it (readiness-port-holder.ts).
    expect(up.exitCode, up.stdout + up.stderr).toBe(1);
    expect(up.stderr).toContain(`port ${port} is held by pid ${escapee} (`);
    expect(up.stderr).toContain("not by leaky's process tree");
  }
  return escapee;
}

describe.skipIf(cgroups.unavailable !== null)(`with service cgroups${cgroups.unavailable ? ` (skipped: ${cgroups.unavailable})` : ''}`, () => {
  it('`down` kills the escapee found through the cgroup; `zombies` finds nothing left and no cgroup remains', async () => {
    const escapee = await upWithEscapee('on', 29020);
    const down = await runCli(['down', ...args('on')]);
    // It left its session: `down` names it and exits 1, as for any escape.
    expect(down.exitCode, down.stdout + down.stderr).toBe(1);
    expect(down.stdout).toMatch(new RegExp(`^escaped process of leaky: pid ${escapee} .*scrubs-env-escapee\\.ts escapee 29020 \\S+ holding port 29020 \\[left the service's session .*; ignored the stop: killed\\]$`, 'm'));
    expect(isAlive(escapee)).toBe(false);
    const zombies = await runCli(['zombies', ...args('on')]);
    expect(zombies.exitCode, zombies.stdout + zombies.stderr).toBe(0);
    expect(zombies.stdout).toMatch(/^no leftovers/m);
    expect(await cgroups.fleetCgroups(fleetTag('on'))).toEqual([]);
  });
});

describe('with EVIDENT_CGROUPS=off', () => {
  it('`zombies` names the escapee on the port as not proven ours, with when it started and why, and leaves it alone', async () => {
    const escapee = await upWithEscapee('off', 29021);
    const down = await runCli(['down', ...args('off')], { env: envOf('off') });
    expect(down.exitCode, down.stdout + down.stderr).toBe(1);
    expect(down.stdout).toContain('not proven ours');
    expect(isAlive(escapee)).toBe(true);
    const zombies = await runCli(['zombies', '--reap', ...args('off')], { env: envOf('off') });
    expect(zombies.exitCode, zombies.stdout + zombies.stderr).toBe(1);
    expect(zombies.stdout).toMatch(
      new RegExp(
        `^listener on port 29021 of leaky: pid ${escapee} ppid \\d+ \\S+ \\S*scrubs-env-escapee\\.ts escapee 29021 \\S+ \\[not proven ours \\(started \\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z; ` +
          'no cgroup on this host: switched off by EVIDENT_CGROUPS=off; no process group or session of its service on record; no fleet tag in its environment; never seen under a service\\): left alone\\]$',
        'm',
      ),
    );
    expect(zombies.stdout).not.toMatch(/^reaped/m);
    expect(isAlive(escapee)).toBe(true);
    expect(await cgroups.fleetCgroups(fleetTag('off'))).toEqual([]);
  });
});
