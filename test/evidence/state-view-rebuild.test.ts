// The state view is a view: after real commands — the contract locked and a new version
// approved, a fleet started and a recorded shutdown — the live state/evident-state.json
// equals the view `evident state rebuild` recomputes from the journals alone.
import { appendFileSync, cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { StateView } from '../../src/state/state-view.ts';
import { runCli } from '../helpers/run-cli.ts';
import { fixtureService } from '../helpers/temp-fleet.ts';

let dir = '';
const artifacts = () => join(dir, 'artifacts');
const contract = () => ['--contract', join(dir, 'contract.json')];
const fleet = () => [...contract(), '--state-dir', join(dir, 'state'), '--artifacts-dir', artifacts(), '--actor', 'alice'];

function writeContract(version: string): void {
  writeFileSync(join(dir, 'contract.json'), JSON.stringify({ name: 'state fleet', version, services: [fixtureService('alpha', 'http-ok.ts', 17180), fixtureService('beta', 'http-ok.ts', 17181)] }));
}

function readView(stateDir: string): StateView {
  return JSON.parse(readFileSync(join(stateDir, 'evident-state.json'), 'utf8')) as StateView;
}

/**
 * The view without `rebuilt_from`: that field says how this copy was made (a rebuild, when,
 * from how many records), not what the journals say, so a live view and a rebuilt one
 * differ there by design.
 */
function content(view: StateView): Omit<StateView, 'rebuilt_from'> {
  const { rebuilt_from: _how, ...rest } = view;
  return rest;
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'evident-state-view-'));
  writeContract('1.0.0');
});

afterAll(async () => {
  await runCli(['down', ...fleet()]);
  rmSync(dir, { recursive: true, force: true });
});

it('the live view after real commands equals the view rebuilt from the journals', async () => {
  expect((await runCli(['contract', 'check', ...fleet()])).exitCode).toBe(0);
  const up = await runCli(['up', ...fleet()]);
  expect(up.exitCode, up.stdout + up.stderr).toBe(0);
  const down = await runCli(['down', '--record', '--json', ...fleet()]);
  expect(down.exitCode, down.stdout + down.stderr).toBe(0);
  const run = (JSON.parse(down.stdout) as { run: { dir: string; status: string } }).run;
  expect(run.status).toBe('PASSED');
  writeContract('1.1.0');
  const approved = await runCli(['contract', 'approve', '--reason', 'second version', ...fleet()]);
  expect(approved.exitCode, approved.stdout + approved.stderr).toBe(0);

  const live = readView(join(dir, 'state'));
  // Folded record by record as the commands ran, never by falling back to a rebuild:
  // otherwise the comparison below would compare a rebuild with a rebuild.
  expect(live.rebuilt_from).toBeNull();
  const runId = run.dir.split(/[\\/]/).at(-1) as string;
  // What the commands recorded is in the live view: the run with its verdict, the approved lock.
  expect(live.runs[runId]).toMatchObject({ kind: 'shutdown', dir: run.dir, status: 'PASSED', trial: false, ended_at: expect.any(String) });
  expect(live.contract_lock).toMatchObject({ name: 'state fleet', version: '1.1.0', approved_by: 'alice', reason: 'second version' });
  expect(Object.keys(live.journals).sort()).toEqual([runId, 'operator'].sort());
  // The operator journal also holds up's and down's records: the view folded every one.
  const operatorLines = readFileSync(join(artifacts(), 'operator', 'journal.jsonl'), 'utf8').trim().split('\n').length;
  expect(live.journals.operator?.records).toBe(operatorLines);

  // Another state folder of the same installation: it trusts the same key, whose attestations make the operator records count.
  cpSync(join(dir, 'state', 'keys'), join(dir, 'state-rebuilt', 'keys'), { recursive: true });
  const rebuilt = await runCli(['state', 'rebuild', '--state-dir', join(dir, 'state-rebuilt'), '--artifacts-dir', artifacts(), '--json']);
  expect(rebuilt.exitCode, rebuilt.stdout + rebuilt.stderr).toBe(0);
  const view = readView(join(dir, 'state-rebuilt'));
  expect(view.rebuilt_from).toMatchObject({ journals: 2, records: operatorLines + (live.journals[runId]?.records ?? 0) });
  expect(content(view)).toEqual(content(live));
  expect((JSON.parse(rebuilt.stdout) as { view: StateView }).view).toEqual(view);

  const shown = await runCli(['state', 'show', '--json', '--state-dir', join(dir, 'state'), '--artifacts-dir', artifacts()]);
  expect(shown.exitCode).toBe(0);
  expect(content((JSON.parse(shown.stdout) as { view: StateView }).view)).toEqual(content(live));
});

it('a run quarantined out of the artifacts folder leaves the live view at its next use', async () => {
  const before = readView(join(dir, 'state'));
  const [runId, run] = Object.entries(before.runs)[0] ?? [];
  expect(run?.status).toBe('PASSED');
  // Tampered after signing, then found out and moved to invalidated/.
  appendFileSync(join(run?.dir ?? '', 'config_hash.txt'), 'x');
  expect((await runCli(['verify', '--quarantine', run?.dir ?? '', '--state-dir', join(dir, 'state'), '--contract', join(dir, 'contract.json')])).exitCode).toBe(1);
  expect(existsSync(run?.dir ?? '')).toBe(false);

  const shown = await runCli(['state', 'show', '--state-dir', join(dir, 'state'), '--artifacts-dir', artifacts()]);
  expect(shown.exitCode).toBe(0);
  expect(shown.stdout).toContain('runs: none');
  const after = readView(join(dir, 'state'));
  expect(after.runs[runId ?? '']).toBeUndefined();
  expect(after.contract_lock?.version).toBe('1.1.0');
});

it('state rebuild refuses an artifacts folder that does not exist rather than write an empty view', async () => {
  const help = await runCli(['state', '--help']);
  expect(help.exitCode).toBe(0);
  expect(help.stdout).toMatch(/^usage: evident state <show\|rebuild>/);
  const unknown = await runCli(['state', 'wipe']);
  expect(unknown.exitCode).toBe(2);
  expect(unknown.stderr).toContain('expected show or rebuild, got "wipe"');
  const missing = await runCli(['state', 'rebuild', '--state-dir', join(dir, 'state'), '--artifacts-dir', join(dir, 'no-such-folder')]);
  expect(missing.exitCode).toBe(2);
  expect(missing.stderr).toContain('no artifacts folder at');
  expect(readView(join(dir, 'state')).contract_lock?.version).toBe('1.1.0');
});
