// The real console in a real terminal (tmux, 80×24) on a run that does not verify (a note
// added to a signed Gate 1 run folder): the gates pane shows it UNVERIFIED with the reason,
// never PASSED; Q asks, y quarantines it (recorded in the operator journal, the folder
// moved into invalidated/), and the gate no longer stands on it. Ports 17490–17491.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readJournal } from '../../src/evidence/read-journal.ts';
import { ROOT, runCli } from '../helpers/run-cli.ts';
import { fixtureService } from '../helpers/temp-fleet.ts';
import { flat, tmuxScreen } from '../helpers/tmux-screen.ts';

const SESSION = `evident-quarantine-${process.pid}`;
const dir = mkdtempSync(join(tmpdir(), 'evident-console-quarantine-'));
const env = {
  EVIDENT_STATE_DIR: join(dir, 'state'),
  EVIDENT_ARTIFACTS_DIR: join(dir, 'artifacts'),
  EVIDENT_CONTRACT: join(dir, 'contract.json'),
  PYTHONHASHSEED: '0',
};

const term = tmuxScreen(SESSION);
const { tmux, waitForScreen, press } = term;

afterAll(async () => {
  term.kill();
  await runCli(['down'], { env });
  rmSync(dir, { recursive: true, force: true });
});

describe('an UNVERIFIED run in the real console', () => {
  it('is shown with its reason, never PASSED, and Q then y quarantines it, recorded', async () => {
    const services = [fixtureService('alpha', 'http-ok.ts', 17490), fixtureService('beta', 'http-ok.ts', 17491)];
    writeFileSync(env.EVIDENT_CONTRACT, JSON.stringify({ name: 'quarantine fleet', version: '1.0.0', services }, null, 2));
    expect((await runCli(['preflight'], { env })).exitCode).toBe(0);
    const gate = await runCli(['gate', '1', '--cycles', '1', '--duration', '2s', '--interval', '1s'], { env });
    expect(gate.exitCode, gate.stdout + gate.stderr).toBe(0);
    const runDir = /evidence in (\S+)/.exec(gate.stdout)?.[1] as string;
    const runId = runDir.split(/[\\/]/).at(-1) as string;
    // Someone adds a note to the signed folder.
    writeFileSync(join(runDir, 'notes.txt'), 'looks fine to me');

    const exitFile = join(dir, 'exit.txt');
    const line = ['env', ...Object.entries(env).map(([k, v]) => `${k}=${v}`), process.execPath, join(ROOT, 'bin', 'evident.js'), 'console'].map((a) => `'${a}'`).join(' ');
    tmux('new-session', '-d', '-s', SESSION, '-x', '80', '-y', '24', '-c', ROOT, `${line}; echo "exit $?" > '${exitFile}'; sleep 60`);
    await waitForScreen(/0\/2 healthy/);
    press('G');
    const shown = await waitForScreen(/gate1 +UNVERIFIED/);
    expect(shown).not.toMatch(/gate1 +PASSED/);
    // The reason, cut to the pane's width.
    expect(flat(shown)).toContain('gate1 UNVERIFIED trial Q quarantines it: files notes.txt: not in th');
    expect(shown.split('\n').every((l) => l.length <= 80)).toBe(true);

    press('Q');
    await waitForScreen(new RegExp(`Quarantine gate1 run ${runId} — it does not verify \\(files notes\\.txt: not in the manifest`));
    press('y');
    await waitForScreen(/quarantine gate1's run: done/);
    await waitForScreen(/gate1 +PENDING/);
    expect(existsSync(runDir)).toBe(false);
    expect(existsSync(join(env.EVIDENT_ARTIFACTS_DIR, 'invalidated', runId, 'notes.txt'))).toBe(true);
    expect(readFileSync(join(env.EVIDENT_ARTIFACTS_DIR, 'invalidated', `${runId}.why.txt`), 'utf8')).toMatch(/FAIL files notes\.txt: not in the manifest/);
    const quarantines = readJournal(join(env.EVIDENT_ARTIFACTS_DIR, 'operator', 'journal.jsonl')).records.filter((r) => r.type === 'operator.quarantine');
    expect(quarantines).toEqual([expect.objectContaining({ payload: expect.objectContaining({ run_id: runId, via: 'console' }) })]);

    press('q');
    await waitForScreen(/stop the fleet/);
    press('s');
    await waitForScreen(/fleet stopped/);
    // The operator journal, quarantine included, still verifies.
    expect((await runCli(['verify', join(env.EVIDENT_ARTIFACTS_DIR, 'operator')], { env })).exitCode).toBe(0);
  });
});
