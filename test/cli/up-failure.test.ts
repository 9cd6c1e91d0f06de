// An `up` that fails as an operator reads it: a crash on boot says it had ended (never
// "stopped gracefully"), and the services left running are named with how to stop them.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureService } from '../helpers/temp-fleet.ts';
import { runCli } from '../helpers/run-cli.ts';

let dir = '';
let contract = '';
const common = () => ['--contract', contract, '--state-dir', join(dir, 'state'), '--artifacts-dir', join(dir, 'artifacts')];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'evident-up-failure-'));
  contract = join(dir, 'contract.json');
  const services = [fixtureService('steady', 'http-ok.ts', 28430), fixtureService('broken', 'exits-at-once.ts', 28431, { health: { kind: 'tcp' } })];
  writeFileSync(contract, JSON.stringify({ name: 'up failure fleet', version: '1.0.0', services }));
});

afterAll(async () => {
  await runCli(['down', ...common()]);
  rmSync(dir, { recursive: true, force: true });
});

describe('evident up, when one service fails', () => {
  it('says the crashed service had ended, names what it left running and how to stop it', async () => {
    const up = await runCli(['up', ...common()]);
    expect(up.exitCode).toBe(1);
    expect(up.stdout).toContain('broken: had already ended (exit code 3); nothing left to stop');
    expect(up.stdout).not.toMatch(/broken: stopped gracefully/);
    const steady = /steady: started pid (\d+)/.exec(up.stdout)?.[1];
    expect(steady).toBeDefined();
    expect(up.stderr).toContain(`left running: steady (pid ${steady}); \`evident down\` stops them`);

    const json = await runCli(['up', '--json', ...common()]);
    expect(json.exitCode).toBe(1);
    expect(JSON.parse(json.stdout).left_running).toEqual(['steady']);
  });
});
