// The headless commands as a user runs them: up, status, down, zombies, console --plain,
// a console killed with SIGKILL and re-adopted by the next, and the exit codes.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureService } from '../helpers/temp-fleet.ts';
import { runCli, startCli } from '../helpers/run-cli.ts';

let dir = '';
let contract = '';
let state = '';
const common = () => ['--contract', contract, '--state-dir', state];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'evident-cli-'));
  contract = join(dir, 'contract.json');
  state = join(dir, 'state');
  writeFileSync(
    contract,
    JSON.stringify({
      name: 'cli fleet',
      version: '1.0.0',
      services: [fixtureService('alpha', 'http-ok.ts', 17130), fixtureService('beta', 'http-ok.ts', 17131, { depends_on: ['alpha'] })],
    }),
  );
});

afterAll(async () => {
  await runCli(['down', ...common()]);
  rmSync(dir, { recursive: true, force: true });
});

describe('evident headless commands', () => {
  it('has --help on every command and exit 2 for usage errors', async () => {
    const top = await runCli(['--help']);
    expect(top.exitCode).toBe(0);
    for (const command of ['console', 'up', 'down', 'status', 'zombies']) {
      expect(top.stdout).toContain(command);
      const help = await runCli([command, '--help']);
      expect(help.exitCode).toBe(0);
      expect(help.stdout).toContain(`usage: evident ${command}`);
    }
    const unknown = await runCli(['launch']);
    expect(unknown.exitCode).toBe(2);
    expect(unknown.stderr).toContain('unknown command "launch"');
    const badFlag = await runCli(['status', '--jsno']);
    expect(badFlag.exitCode).toBe(2);
    expect(badFlag.stderr).toContain("Unknown option '--jsno'");
    expect(badFlag.stderr).not.toMatch(/\n\s+at /);
    const badService = await runCli(['up', 'gamma', ...common()]);
    expect(badService.exitCode).toBe(2);
    expect(badService.stderr).toContain('unknown service "gamma"; the contract has alpha, beta');
    const fileInTheWay = join(dir, 'not-a-folder');
    writeFileSync(fileInTheWay, '');
    const badState = await runCli(['up', '--contract', contract, '--state-dir', fileInTheWay]);
    expect(badState.exitCode).toBe(2);
    expect(badState.stderr).toContain(`state folder ${fileInTheWay}: a file is in the way`);
    expect(badState.stderr).not.toMatch(/\n\s+at /);
    const badStatus = await runCli(['status', '--contract', contract, '--state-dir', fileInTheWay]);
    expect(badStatus.exitCode).toBe(2);
    expect(badStatus.stderr).toContain(`state folder ${fileInTheWay}: a file is in the way`);
    const badInterval = await runCli(['console', '--interval', '10', ...common()]);
    expect(badInterval.exitCode).toBe(2);
    expect(badInterval.stderr).toContain('--interval: expected a whole number of milliseconds 100–60000, got "10"');
  });

  it('up, status and down a fleet, with nothing left behind', async () => {
    const up = await runCli(['up', ...common()]);
    expect(up.exitCode).toBe(0);
    expect(up.stdout).toMatch(/alpha: healthy in \d+ ms/);
    expect(up.stdout).toMatch(/fleet up: 2 services healthy/);

    const status = await runCli(['status', '--json', ...common()]);
    expect(status.exitCode).toBe(0);
    const parsed = JSON.parse(status.stdout);
    expect(parsed.healthy).toBe(true);
    expect(parsed.services.map((s: { state: string }) => s.state)).toEqual(['running', 'running']);
    expect(parsed.services[0].health).toMatchObject({ ok: true, code: 200 });
    expect(parsed.services[0].rss_bytes).toBeGreaterThan(1_000_000);

    const again = await runCli(['up', '--json', ...common()]);
    const second = JSON.parse(again.stdout);
    expect(second.services.map((s: { pid: number }) => s.pid)).toEqual(parsed.services.map((s: { pid: number }) => s.pid));

    const down = await runCli(['down', ...common()]);
    expect(down.exitCode).toBe(0);
    expect(down.stdout).toContain('no process and no listener left behind');
    const after = await runCli(['status', '--json', ...common()]);
    expect(after.exitCode).toBe(1);
    expect(JSON.parse(after.stdout).services.map((s: { state: string }) => s.state)).toEqual(['stopped', 'stopped']);
    const zombies = await runCli(['zombies', '--json', ...common()]);
    expect(zombies.exitCode).toBe(0);
    expect(JSON.parse(zombies.stdout)).toEqual({ ok: true, leftovers: [], reaped: [], leftover_check: expect.objectContaining({ status: 'clean', found: 0, problem: null }) });
  });

  it('re-adopts the fleet after the console is killed with SIGKILL', async () => {
    const first = startCli(['console', '--plain', '--up', ...common()]);
    await first.waitFor(/beta: healthy in/);
    const pids = JSON.parse((await runCli(['status', '--json', ...common()])).stdout).services.map((s: { pid: number }) => s.pid);
    first.child.kill('SIGKILL');
    await first.exited;

    const status = JSON.parse((await runCli(['status', '--json', ...common()])).stdout);
    expect(status.healthy).toBe(true);
    expect(status.services.map((s: { pid: number }) => s.pid)).toEqual(pids);

    const second = startCli(['console', '--plain', '--up', ...common()]);
    await second.waitFor(/beta: adopted running pid/);
    await second.waitFor(/SERVICE\s+PID/);
    expect(second.output()).not.toMatch(/started pid/);
    // Another process may not take the fleet while a console holds it.
    const blocked = await runCli(['down', ...common()]);
    expect(blocked.exitCode).toBe(3);
    expect(blocked.stderr).toContain(`controlled by evident console (pid`);
    second.child.kill('SIGTERM');
    await second.exited;
    expect(second.output()).toContain('left running for the next console to adopt: alpha, beta');

    const down = await runCli(['down', ...common()]);
    expect(down.exitCode).toBe(0);
    expect(down.stdout).toContain('no process and no listener left behind');
  });
});
