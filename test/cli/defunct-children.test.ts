// A running service that forked a helper and never waited for it, as the operator sees it:
// `status` shows the defunct child under its service (and stays healthy), `zombies` lists it
// with the parent that has to collect it (exit 1), `zombies --reap` leaves the service
// running, and once the service collects it on its stop nothing is left.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureService } from '../helpers/temp-fleet.ts';
import { runCli } from '../helpers/run-cli.ts';
import { isAlive, until } from '../helpers/wait.ts';

let dir = '';
let contract = '';
const common = () => ['--contract', contract, '--state-dir', join(dir, 'state'), '--artifacts-dir', join(dir, 'artifacts')];
const started: number[] = [];

/** The defunct children of the running python process (read from /proc, not from evident). */
function defunctChildrenOf(pid: number): number[] {
  const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  return children.filter((child) => readFileSync(`/proc/${child}/stat`, 'utf8').split(') ')[1]?.[0] === 'Z');
}

interface StatusJson {
  services: { name: string; state: string; pid: number; pids: number[]; defunct_children: { pid: number; ppid: number; command: string | null; reaped_when: string }[] }[];
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'evident-defunct-children-'));
  contract = join(dir, 'contract.json');
  writeFileSync(contract, JSON.stringify({ name: 'defunct fleet', version: '1.0.0', services: [fixtureService('helpers', 'keeps-defunct-child.py', 28800)] }));
});

afterAll(async () => {
  await runCli(['down', ...common()]);
  for (const pid of started) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  rmSync(dir, { recursive: true, force: true });
});

describe('a defunct child of a running service', () => {
  it('is shown by status and zombies, never reaped by ending the service, and gone once the service collects it', async () => {
    const up = await runCli(['up', ...common()]);
    expect(up.exitCode, up.stdout + up.stderr).toBe(0);

    // The service's tree, and the python process in it whose helper is defunct (on /proc itself).
    let status = JSON.parse((await runCli(['status', '--json', ...common()])).stdout) as StatusJson;
    const tree = status.services[0]?.pids ?? [];
    started.push(...tree);
    let parent = 0;
    await until(() => {
      parent = tree.find((pid) => isAlive(pid) && defunctChildrenOf(pid).length > 0) ?? 0;
      return parent !== 0;
    }, 'the service to hold a defunct child');
    const [child] = defunctChildrenOf(parent);

    const statusRun = await runCli(['status', '--json', ...common()]);
    expect(statusRun.exitCode).toBe(0);
    status = JSON.parse(statusRun.stdout) as StatusJson;
    expect(status.services[0]?.state).toBe('running');
    expect(status.services[0]?.defunct_children).toEqual([
      { pid: child, ppid: parent, command: null, reaped_when: `reaped when helpers (pid ${parent}) waits for it or exits` },
    ]);
    const plain = await runCli(['status', ...common()]);
    expect(plain.exitCode).toBe(0);
    expect(plain.stdout).toContain(`helpers: defunct child pid ${child} (ppid ${parent}, command unknown): reaped when helpers (pid ${parent}) waits for it or exits`);

    const zombies = await runCli(['zombies', '--json', ...common()]);
    expect(zombies.exitCode).toBe(1);
    const found = JSON.parse(zombies.stdout) as { ok: boolean; leftovers: Record<string, unknown>[] };
    expect(found.ok).toBe(false);
    expect(found.leftovers).toEqual([
      expect.objectContaining({ kind: 'defunct', service: 'helpers', pid: child, ppid: parent, ours: false, awaited_by: { service: 'helpers', pid: parent, reaped_when: `reaped when helpers (pid ${parent}) waits for it or exits` } }),
    ]);

    const reap = await runCli(['zombies', '--reap', ...common()]);
    expect(reap.exitCode).toBe(1);
    expect(reap.stdout).toContain(`defunct child of helpers: pid ${child} ppid ${parent} (defunct) [not collected by its parent: reaped when helpers (pid ${parent}) waits for it or exits; evident ends no running service for it]`);
    expect(reap.stdout).not.toMatch(/reaped pid/);
    expect(isAlive(parent)).toBe(true);
    expect((await runCli(['status', ...common()])).exitCode).toBe(0);

    // The service collects its helper when it stops: nothing is left behind.
    const down = await runCli(['down', ...common()]);
    expect(down.exitCode, down.stdout).toBe(0);
    const after = await runCli(['zombies', ...common()]);
    expect(after.exitCode, after.stdout).toBe(0);
  });
});
