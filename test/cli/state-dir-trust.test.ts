// The state folder holds pid files (evident signals what they name) and keys (evident
// trusts them), so it must be this user's alone: created owner-only, and refused with
// exit 2 — before any pid file in it is read or acted on — when another user owns it or
// its group or others may write it.
import { chmodSync, chownSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureService } from '../helpers/temp-fleet.ts';
import { runCli } from '../helpers/run-cli.ts';

const posix = process.platform !== 'win32';
let dir = '';
let contract = '';
let state = '';
let artifacts = '';
const common = () => ['--contract', contract, '--state-dir', state, '--artifacts-dir', artifacts];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'evident-state-trust-'));
  contract = join(dir, 'contract.json');
  state = join(dir, 'state');
  artifacts = join(dir, 'artifacts');
  writeFileSync(contract, JSON.stringify({ name: 'trust fleet', version: '1.0.0', services: [fixtureService('alpha', 'http-ok.ts', 28401)] }));
});

afterAll(async () => {
  // Hand the folder back whatever a failed test left, so `down` can end the service.
  if (posix && process.getuid?.() === 0) chownSync(state, 0, 0);
  if (posix) for (const folder of [state, join(state, 'pids')]) chmodSync(folder, 0o700);
  await runCli(['down', ...common()]);
  rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(!posix)('a state folder that is not ours alone', () => {
  it('is created owner-only, with every subfolder', async () => {
    const up = await runCli(['up', ...common()]);
    expect(up.exitCode, up.stderr).toBe(0);
    for (const folder of [state, join(state, 'pids'), join(state, 'logs'), join(state, 'data')]) {
      expect((statSync(folder).mode & 0o777).toString(8), folder).toBe('700');
    }
  });

  it('is refused when others may write it, and the service its pid file names is left alone', async () => {
    chmodSync(state, 0o777);
    const down = await runCli(['down', ...common()]);
    expect(down.exitCode).toBe(2);
    expect(down.stderr).toContain(`state folder ${state} is writable by others (mode 777): make it yours alone`);
    expect(down.stderr).not.toMatch(/\n\s+at /);
    // Every kind of command that reads the folder refuses it the same way.
    const withoutArtifacts = ['--contract', contract, '--state-dir', state];
    for (const args of [['status', ...withoutArtifacts], ['zombies', '--reap', ...common()], ['gates', ...common()], ['state', 'show', '--state-dir', state, '--artifacts-dir', artifacts]]) {
      const refused = await runCli(args);
      expect(refused.exitCode, args.join(' ')).toBe(2);
      expect(refused.stderr, args.join(' ')).toContain('is writable by others (mode 777)');
    }
    chmodSync(state, 0o700);
    const after = await runCli(['status', '--json', '--contract', contract, '--state-dir', state]);
    expect(after.exitCode, after.stderr).toBe(0);
    expect(JSON.parse(after.stdout).services[0].state).toBe('running');
  });

  it('is refused when its pid folder is writable by its group', async () => {
    chmodSync(join(state, 'pids'), 0o770);
    const down = await runCli(['down', ...common()]);
    expect(down.exitCode).toBe(2);
    expect(down.stderr).toContain(`state folder ${join(state, 'pids')} is writable by its group (mode 770)`);
    chmodSync(join(state, 'pids'), 0o700);
  });

  it.skipIf(process.getuid?.() !== 0)('is refused when another user owns it (checked as root, which can hand it over)', async () => {
    chownSync(state, 65534, 65534);
    const zombies = await runCli(['zombies', ...common()]);
    expect(zombies.exitCode).toBe(2);
    expect(zombies.stderr).toContain(`state folder ${state} is owned by another user (uid 65534, you are 0)`);
    chownSync(state, 0, 0);
    const down = await runCli(['down', ...common()]);
    expect(down.exitCode, down.stderr).toBe(0);
  });
});
