// A shutdown check that fails: something still listens on a contract port after the
// fleet stopped. The run says FAILED with the holder's pid, and its evidence verifies.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.ts';
import { fixtureService } from '../helpers/temp-fleet.ts';

let dir = '';
let stray: ChildProcess | null = null;
const common = () => ['--contract', join(dir, 'contract.json'), '--state-dir', join(dir, 'state')];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'evident-shutdown-'));
  writeFileSync(
    join(dir, 'contract.json'),
    JSON.stringify({ name: 'shutdown fleet', version: '1.0.0', services: [fixtureService('alpha', 'http-ok.ts', 17172), fixtureService('beta', 'http-ok.ts', 17173)] }),
  );
  // Not ours: a server someone left on beta's port.
  stray = spawn(process.execPath, ['-e', "require('http').createServer((q, r) => r.end()).listen(17173, '127.0.0.1', () => console.log('up'))"], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise((ready) => stray?.stdout?.once('data', ready));
});

afterAll(async () => {
  stray?.kill('SIGKILL');
  await runCli(['down', ...common()]);
  rmSync(dir, { recursive: true, force: true });
});

it('records a FAILED shutdown check naming the listener left on a contract port', async () => {
  expect((await runCli(['up', 'alpha', ...common()])).exitCode).toBe(0);
  const artifacts = join(dir, 'artifacts');
  const down = await runCli(['down', '--record', '--json', '--artifacts-dir', artifacts, ...common()]);
  expect(down.exitCode).toBe(1);
  const out = JSON.parse(down.stdout) as { run: { dir: string; status: string; summary: string } };
  expect(out.run.status).toBe('FAILED');
  const summary = JSON.parse(readFileSync(join(out.run.dir, out.run.summary), 'utf8')) as { status: string; leftovers: { kind: string; pid: number; port: number }[]; reasons: string[] };
  expect(summary.status).toBe('FAILED');
  expect(summary.leftovers).toEqual([expect.objectContaining({ kind: 'listener', pid: stray?.pid, port: 17173 })]);
  expect(summary.reasons).toEqual([expect.stringMatching(new RegExp(`^1 left behind after the stop: listener on port 17173 \\(pid ${stray?.pid}: `))]);
  // The journal holds the operator's action and every supervisor event.
  const types = readFileSync(join(out.run.dir, 'journal.jsonl'), 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as { type: string; actor: string }).type);
  expect(types[0]).toBe('run.start');
  expect(types).toEqual(expect.arrayContaining(['operator.stop', 'supervisor.stop', 'supervisor.stopped', 'supervisor.leftover', 'supervisor.leftover-check', 'run.end']));
  // A failed check is still valid evidence: verify accepts it (and recomputes FAILED).
  const verify = await runCli(['verify', out.run.dir, '--state-dir', join(dir, 'state')]);
  expect(verify.exitCode, verify.stdout).toBe(0);
  expect(verify.stdout).toMatch(/summary .*FAILED: equals shutdown judge/);
  expect(verify.stdout).toMatch(/^ {2}shutdown FAILED; signed by key [0-9a-f]{16}, trusted as this installation's key/m);
  // --require-pass: verified, but a failure is no pass.
  expect((await runCli(['verify', out.run.dir, '--state-dir', join(dir, 'state'), '--require-pass'])).exitCode).toBe(1);
  // One run folder, beside the operator journal (which has the stop too).
  expect(readdirSync(artifacts).sort()).toEqual([out.run.dir.split(/[\\/]/).pop(), 'operator'].sort());
});
