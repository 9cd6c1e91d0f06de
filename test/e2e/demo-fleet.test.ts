// The demo fleet, for real: six services up and healthy through the CLI, openclaw's
// worker in its tree, then down with zero processes and zero listeners left.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLinuxPlatform } from '../../src/platform/linux.ts';
import { runCli } from '../helpers/run-cli.ts';
import { writeShiftedDemoContract } from '../helpers/shifted-demo-contract.ts';

let dir = '';
let args: string[] = [];
let ports: number[] = [];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'evident-demo-'));
  const contract = writeShiftedDemoContract(dir);
  ports = contract.ports;
  args = ['--contract', contract.path, '--state-dir', join(dir, 'state')];
});

afterAll(async () => {
  await runCli(['down', ...args]);
  rmSync(dir, { recursive: true, force: true });
});

describe('the demo fleet', () => {
  it('comes up with all six healthy and goes down leaving nothing', async () => {
    const up = await runCli(['up', '--json', ...args]);
    expect(up.exitCode, up.stderr).toBe(0);
    const started = JSON.parse(up.stdout);
    expect(started.services).toHaveLength(6);
    expect(started.services.every((s: { state: string }) => s.state === 'running')).toBe(true);

    const status = JSON.parse((await runCli(['status', '--json', ...args])).stdout);
    expect(status.healthy).toBe(true);
    const openclaw = status.services.find((s: { name: string }) => s.name === 'openclaw');
    expect(openclaw.pids.length).toBeGreaterThan(1);
    // Every demo service answers GET /healthz, and the contract expects 200 from each.
    for (const s of status.services as { name: string; health: unknown }[]) expect(s.health, s.name).toMatchObject({ ok: true, code: 200 });
    const allPids: number[] = status.services.flatMap((s: { pids: number[] }) => s.pids);

    const down = await runCli(['down', '--json', ...args]);
    expect(down.exitCode, down.stdout).toBe(0);
    const stopped = JSON.parse(down.stdout);
    expect(stopped.leftovers).toEqual([]);
    expect(stopped.stopped).toHaveLength(6);

    const platform = createLinuxPlatform();
    expect(await platform.listeners(ports)).toEqual([]);
    for (const pid of allPids) {
      const info = await platform.readProcess(pid);
      expect(info === null || info.state === 'Z', `pid ${pid} still alive`).toBe(true);
    }
  });
});
