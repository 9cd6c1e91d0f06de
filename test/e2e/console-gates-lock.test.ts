// The console's core against a real gate runner (ports 17334–17335): opened while the
// runner holds the fleet, it follows — read-only, picking up the processes the runner
// starts in each cycle, recording nothing, refusing start and stop — and takes the fleet
// back once the run is over. A non-runner holder is refused.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadContract } from '../../src/contract/load-contract.ts';
import { FleetLockWatch } from '../../src/supervisor/fleet-lock-watch.ts';
import { runEnded } from '../../src/evidence/run-ended.ts';
import { createLinuxPlatform } from '../../src/platform/linux.ts';
import { resolveStatePaths } from '../../src/paths/state-paths.ts';
import { currentLockHolder } from '../../src/supervisor/fleet-lock.ts';
import { FleetSupervisor } from '../../src/supervisor/fleet-supervisor.ts';
import type { SupervisorEvent } from '../../src/supervisor/supervisor-event.ts';
import { runCli, startCli } from '../helpers/run-cli.ts';
import { FIXTURES } from '../helpers/temp-fleet.ts';
import { isAlive, until } from '../helpers/wait.ts';

const PORTS = [17334, 17335];
const folders: { dir: string; env: Record<string, string> }[] = [];

afterAll(async () => {
  for (const { dir, env } of folders) {
    await stopRunner(env);
    await runCli(['down'], { env });
    rmSync(dir, { recursive: true, force: true });
  }
});

function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'evident-console-lock-'));
  const service = (name: string, port: number, extra: Record<string, unknown> = {}) => ({
    name,
    command: process.execPath,
    args: [join(FIXTURES, 'http-ok.ts')],
    cwd: FIXTURES,
    port,
    health: { kind: 'http', path: '/healthz', expect_status: 200, timeout_ms: 800 },
    startup_timeout_s: 10,
    stop_timeout_s: 2,
    ...extra,
  });
  const contract = join(dir, 'contract.json');
  writeFileSync(contract, JSON.stringify({ name: 'console lock fleet', version: '1.0.0', services: [service('alpha', PORTS[0] as number), service('beta', PORTS[1] as number, { depends_on: ['alpha'] })] }, null, 2));
  const env = { EVIDENT_STATE_DIR: join(dir, 'state'), EVIDENT_ARTIFACTS_DIR: join(dir, 'artifacts'), EVIDENT_CONTRACT: contract, PYTHONHASHSEED: '0' };
  folders.push({ dir, env });
  return { dir, env, contract };
}

/** Aborts a gate a failed test left running (the runner stops the fleet). */
async function stopRunner(env: Record<string, string>): Promise<void> {
  const platform = createLinuxPlatform();
  try {
    const holder = await currentLockHolder(platform, env.EVIDENT_STATE_DIR as string);
    const gate = holder?.run_id ? /^gate (\S+) run /.exec(holder.purpose)?.[1] : undefined;
    if (gate !== undefined) await runCli(['gate', gate, '--abort', '--reason', 'test cleanup'], { env });
  } finally {
    platform.close();
  }
}



describe("the console's hold on the fleet", () => {
  it('follows a gate runner read-only through its cycles, then takes the fleet back', async () => {
    const t = setup();
    expect((await runCli(['preflight'], { env: t.env })).exitCode).toBe(0);
    const started = await runCli(['gate', '1', '--cycles', '2', '--duration', '3s', '--interval', '1s', '--detach', '--json'], { env: t.env });
    expect(started.exitCode, started.stdout + started.stderr).toBe(0);
    const { run_id: runId, runner_pid: runnerPid } = JSON.parse(started.stdout) as { run_id: string; runner_pid: number };

    const loaded = await loadContract(t.contract);
    if (!loaded.ok) throw new Error('contract');
    const platform = createLinuxPlatform();
    const paths = resolveStatePaths(t.env.EVIDENT_STATE_DIR);
    const events: SupervisorEvent[] = [];
    const supervisor = new FleetSupervisor({ platform, paths, contract: loaded.contract, emit: (event) => events.push(event) });
    const opened = await FleetLockWatch.open({
      platform,
      stateRoot: paths.root,
      purpose: 'test console',
      onFollow: () => supervisor.follow(),
      onControl: () => supervisor.resumeControl(),
      runEnded: (id) => runEnded(t.env.EVIDENT_ARTIFACTS_DIR, id),
      pollMs: 200,
    });
    if (!opened.ok) throw new Error(`refused: held by ${opened.holder.purpose}`);
    const watch = opened.watch;
    try {
      expect(watch.getSnapshot()).toMatchObject({ kind: 'following', alive: true, holder: { pid: runnerPid, run_id: runId } });
      await supervisor.follow();
      await supervisor.adopt();
      const alphaPids = new Set<number>();
      supervisor.subscribe(() => {
        const alpha = supervisor.getSnapshot().services.find((s) => s.name === 'alpha');
        if (alpha?.pid != null && alpha.state === 'running') alphaPids.add(alpha.pid);
      });
      supervisor.startTelemetry(200);
      watch.start();

      // Read-only: the keys' calls are refused, and nothing is signalled or recorded.
      await until(() => alphaPids.size === 1, 'the first cycle seen running');
      await expect(supervisor.stop('alpha')).rejects.toThrow(/only follows/);
      await expect(supervisor.startAll()).rejects.toThrow(/only follows/);
      await expect(supervisor.reapOurs()).rejects.toThrow(/only follows/);

      // The runner's second cycle starts new processes: the follower shows them.
      await until(() => alphaPids.size === 2, 'the second cycle seen running');
      await until(() => watch.getSnapshot().kind === 'controlling', 'the fleet taken back after the run', 40_000);
      expect(supervisor.following).toBe(false);
      expect(events).toEqual([]);
      const holder = await currentLockHolder(platform, paths.root);
      expect(holder).toMatchObject({ pid: process.pid, purpose: 'test console' });
      expect(supervisor.getSnapshot().services.map((s) => s.state)).toEqual(['stopped', 'stopped']);
    } finally {
      supervisor.stopTelemetry();
      watch.close();
      platform.close();
    }
    // The following did not disturb the run.
    const gates = await runCli(['gates', '--json'], { env: t.env });
    const gate1 = (JSON.parse(gates.stdout) as { gates: { gate: string; status: string; run_id: string }[] }).gates.find((g) => g.gate === 'gate1');
    expect(gate1).toMatchObject({ status: 'PASSED', run_id: runId });
    // Its run over, the runner exits on its own.
    await until(() => !isAlive(runnerPid), 'the runner gone after its run', 10_000);
  });

  it('refuses to open while a process that is not a gate runner holds the fleet', async () => {
    const t = setup();
    const plain = startCli(['console', '--plain'], { env: t.env });
    const platform = createLinuxPlatform();
    try {
      const deadline = Date.now() + 20_000;
      for (;;) {
        const holder = await currentLockHolder(platform, t.env.EVIDENT_STATE_DIR);
        if (holder?.pid === plain.child.pid) break;
        if (Date.now() > deadline) throw new Error(`the plain console never took the fleet:\n${plain.output()}`);
        await new Promise((r) => setTimeout(r, 50));
      }
      const opened = await FleetLockWatch.open({ platform, stateRoot: t.env.EVIDENT_STATE_DIR, purpose: 'test console', onFollow: () => {}, onControl: () => {} });
      expect(opened).toMatchObject({ ok: false, holder: { pid: plain.child.pid, purpose: 'evident console' } });
    } finally {
      plain.child.kill('SIGTERM');
      await plain.exited;
      platform.close();
    }
  });
});
