// A service shaped like nginx (test/fixtures/services/renames-workers.ts): its workers
// rename themselves and scrub evident's variables from their environment, so no tag can
// be read from them; they stay in the process group and session evident created. Its
// master is killed with SIGKILL after `evident up`: the workers still serve on the
// contract port. `zombies` reports them ours by that group and leaves the pid file as it
// was; `zombies --reap` and `down` end them and exit 0. Run with EVIDENT_CGROUPS=off: a
// service cgroup, where the host gives one, would prove them ours first (the stronger
// proof, test/cli/escapee-cgroup.test.ts), and this is the proof for hosts without one.
// Ports 28330–28331.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.ts';
import { fixtureService } from '../helpers/temp-fleet.ts';
import { killAll } from '../helpers/kill-and-wait.ts';
import { isAlive, until } from '../helpers/wait.ts';

const dir = mkdtempSync(join(tmpdir(), 'evident-renamed-workers-'));
const started = new Set<number>();
/** The CLI without service cgroups: what proves the workers ours is their process group. */
const cli = (args: string[]) => runCli(args, { env: { EVIDENT_CGROUPS: 'off' } });

afterEach(() => {
  killAll(started);
  started.clear();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** `evident up` of the nginx-shaped service, then SIGKILL to its master; returns the args and the workers' pids. */
async function upAndKillMaster(name: string, port: number): Promise<{ args: string[]; workers: number[]; pidFile: string }> {
  const pidsFile = join(dir, `${name}.workers`);
  const contract = join(dir, `${name}.json`);
  writeFileSync(contract, JSON.stringify({ name, version: '1.0.0', services: [fixtureService('web', 'renames-workers.ts', port, { env: { WORKER_PIDS_FILE: pidsFile } })] }));
  const args = ['--contract', contract, '--state-dir', join(dir, `state-${name}`), '--artifacts-dir', join(dir, `artifacts-${name}`)];
  const up = await cli(['up', ...args]);
  expect(up.exitCode, up.stdout + up.stderr).toBe(0);
  const pidFile = join(dir, `state-${name}`, 'pids', 'web.json');
  const master = JSON.parse(readFileSync(pidFile, 'utf8')).pid as number;
  started.add(master);
  const workers = readFileSync(pidsFile, 'utf8').split(' ').map(Number);
  for (const w of workers) started.add(w);
  for (const w of workers) {
    // The shape of nginx's workers: renamed, no EVIDENT_* left, in the master's group and session.
    await until(() => readFileSync(`/proc/${w}/cmdline`, 'utf8').startsWith('fixture: worker process'), `worker ${w} to rename itself`);
    expect(readFileSync(`/proc/${w}/environ`, 'utf8')).not.toContain('EVIDENT_');
    const stat = readFileSync(`/proc/${w}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    expect([Number(stat[2]), Number(stat[3])]).toEqual([master, master]);
  }
  process.kill(master, 'SIGKILL');
  await until(() => !isAlive(master), 'the master to die');
  return { args, workers, pidFile };
}

describe('workers that renamed themselves and scrubbed their environment, their master killed', () => {
  it('zombies reports them ours by the process group, leaving the pid file byte-identical; --reap ends them', async () => {
    const { args, workers, pidFile } = await upAndKillMaster('reap', 28330);
    const before = readFileSync(pidFile);
    const look = await cli(['zombies', ...args]);
    expect(look.exitCode).toBe(1);
    for (const w of workers) {
      expect(look.stdout).toContain(`orphan process of web: pid ${w} ppid 1 fixture: worker process`);
    }
    expect(look.stdout).toMatch(/holding port 28330 \[ours: by its service's process group \d+, whose leader is gone\]/);
    expect(look.stdout).not.toContain('not proven ours');
    expect(readFileSync(pidFile).equals(before)).toBe(true);

    // The check recorded them (state/leftovers.json): now their pid and start time prove them ours too.
    const json = JSON.parse((await cli(['zombies', '--json', ...args])).stdout);
    expect(json.leftovers.map((l: { pid: number; proof: { kind: string } }) => [l.pid, l.proof.kind])).toEqual(workers.map((w) => [w, 'recorded']));
    expect(readFileSync(pidFile).equals(before)).toBe(true);

    const reap = await cli(['zombies', '--reap', ...args]);
    expect(reap.exitCode, reap.stdout + reap.stderr).toBe(0);
    for (const w of workers) expect(reap.stdout).toContain(`reaped pid ${w}`);
    await until(() => workers.every((w) => !isAlive(w)), 'the workers to end');
    expect((await cli(['zombies', ...args])).exitCode).toBe(0);
    // Nothing of it left: the reap removed the pid file that proved them ours.
    expect(existsSync(pidFile)).toBe(false);
  });

  it('down ends them and exits 0', async () => {
    const { args, workers } = await upAndKillMaster('down', 28331);
    const down = await cli(['down', ...args]);
    expect(down.exitCode, down.stdout + down.stderr).toBe(0);
    expect(down.stdout).toContain('fleet down');
    await until(() => workers.every((w) => !isAlive(w)), 'the workers to end');
    expect((await cli(['zombies', ...args])).exitCode).toBe(0);
  });
});
