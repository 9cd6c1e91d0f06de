// `evident watch --plain` through the real CLI (dist/) on real soak run folders: every
// closed minute printed from minute 1, the verdict, and its exit code (0 PASSED, 1 FAILED
// or INTERRUPTED, as `evident gate` exits); a live run followed minute by minute until it ends; the soak gate's run
// found from the gate states; and clear refusals.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { loadPipeline } from '../../src/pipeline/load-pipeline.ts';
import { loadContract } from '../../src/contract/load-contract.ts';
import { runCli, startCli } from '../helpers/run-cli.ts';
import { startSoakRun, startGate1Run } from '../helpers/soak-run-folder.ts';

const root = mkdtempSync(join(tmpdir(), 'evident-watch-'));
// The runs are signed with this installation's key (its state folder's keys), which watch trusts.
const folders = { artifactsDir: join(root, 'artifacts'), keysDir: join(root, 'state', 'keys') };
const trusting = ['--state-dir', join(root, 'state')];
const started: ReturnType<typeof startCli>[] = [];
afterEach(async () => {
  for (const cli of started.splice(0)) {
    if (cli.child.exitCode === null) cli.child.kill('SIGKILL');
    await cli.exited;
  }
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const lines = (text: string) => text.trimEnd().split('\n');

describe('evident watch --plain', () => {
  it('prints every minute of a finished run from minute 1, then the verdict, and exits 0 when it PASSED', async () => {
    const soak = await startSoakRun({ ...folders, durationS: 180, warmupS: 60 });
    await soak.minute(1);
    await soak.minute(2);
    await soak.minute(3, { rss: { 'eva-os': 50.5e6 } });
    await soak.finish();
    const result = await runCli(['watch', '--plain', soak.dir, ...trusting]);
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    const out = lines(result.stdout);
    expect(out[0]).toMatch(new RegExp(`^watching gate2 run ${soak.run.id} \\(a trial\\): 3 minute\\(s\\) of 60 s, baseline minute 2, started \\S+Z; evidence in ${soak.dir}$`));
    expect(out.slice(1)).toEqual([
      'minute 1/3 (warm-up): 60 requests, errors 0.00% (run 0.00%), p95 24.02 ms, memory baseline pending, restarts 0',
      'minute 2/3: 60 requests, errors 0.00% (run 0.00%), p95 24.02 ms, memory +0.0%, restarts 0',
      'minute 3/3: 60 requests, errors 0.00% (run 0.00%), p95 24.02 ms, memory +1.0% (eva-os), restarts 0',
      `gate2 run ${soak.run.id} PASSED: evidence in ${soak.dir} (check it: evident verify ${soak.dir})`,
    ]);
  });

  it("says UNVERIFIED, and exits 1, when the run's folder does not verify: its journal's PASSED does not stand", async () => {
    const soak = await startSoakRun({ ...folders, durationS: 60 });
    await soak.minute(1);
    await soak.finish();
    writeFileSync(join(soak.dir, 'notes.txt'), 'looks fine to me');
    const result = await runCli(['watch', '--plain', soak.dir, ...trusting]);
    expect(result.exitCode).toBe(1);
    expect(lines(result.stdout).at(-1)).toBe("UNVERIFIED: files notes.txt: not in the manifest: added after the run was signed; its journal's verdict does not stand");
    // Signed by a key this installation does not trust: the same.
    rmSync(join(soak.dir, 'notes.txt'));
    const elsewhere = await runCli(['watch', '--plain', soak.dir, '--state-dir', join(root, 'another-state')]);
    expect(elsewhere.exitCode).toBe(1);
    expect(lines(elsewhere.stdout).at(-1)).toMatch(/^UNVERIFIED: key public-key\.pem: signed by key [0-9a-f]{16}, but no key is trusted here/);
  });

  it('names the breach in its minute and exits 1 when the run FAILED', async () => {
    const soak = await startSoakRun({ ...folders, durationS: 180 });
    await soak.minute(1);
    await soak.minute(2, { errors: 1 });
    await soak.finish();
    const result = await runCli(['watch', '--plain', soak.dir, ...trusting]);
    expect(result.exitCode).toBe(1);
    expect(lines(result.stdout).slice(1)).toEqual([
      'minute 1/3: 60 requests, errors 0.00% (run 0.00%), p95 24.02 ms, memory +0.0%, restarts 0',
      'minute 2/3: 60 requests, errors 1.67% (run 0.83%), p95 24.02 ms, memory +0.0%, restarts 0, BREACH max_error_rate measured 0.008333, limit 0.005',
      `gate2 run ${soak.run.id} FAILED: evidence in ${soak.dir} (check it: evident verify ${soak.dir})`,
      '  minute 2: max_error_rate measured 0.00833333, limit 0.005',
    ]);
  });

  it('exits 1 when the run was INTERRUPTED, saying so', async () => {
    const soak = await startSoakRun({ ...folders, durationS: 300 });
    await soak.minute(1);
    await soak.minute(2);
    await soak.finish();
    const result = await runCli(['watch', '--plain', soak.dir, ...trusting]);
    expect(result.exitCode).toBe(1);
    expect(lines(result.stdout).slice(-2)).toEqual([`gate2 run ${soak.run.id} INTERRUPTED: evidence in ${soak.dir} (check it: evident verify ${soak.dir})`, '  minute(s) missing: 3, 4, 5 of 5']);
  });

  it('follows a live run minute by minute, catching up first, and exits when it ends', async () => {
    const soak = await startSoakRun({ ...folders, durationS: 240 });
    await soak.minute(1);
    await soak.minute(2);
    const cli = startCli(['watch', '--plain', '--interval', '100', soak.dir]);
    started.push(cli);
    await cli.waitFor(/^minute 2\/4: /m);
    expect(cli.output()).toMatch(/^minute 1\/4: [^\n]*\nminute 2\/4: /m);
    await soak.minute(3, { restarts: { pipecat: 1 } });
    await cli.waitFor(/^minute 3\/4: .*restarts 1, BREACH max_restarts \(pipecat\) measured 1, limit 0$/m);
    // No end record yet: still watching.
    expect(cli.child.exitCode).toBeNull();
    await soak.minute(4);
    await soak.finish();
    expect(await cli.exited).toBe(1);
    const out = lines(cli.output());
    expect(out.filter((l) => l.startsWith('minute ')).map((l) => l.split(':')[0])).toEqual(['minute 1/4', 'minute 2/4', 'minute 3/4', 'minute 4/4']);
    expect(out).toContain(`gate2 run ${soak.run.id} FAILED: evidence in ${soak.dir} (check it: evident verify ${soak.dir})`);
  });

  it('prints JSON lines with --json', async () => {
    const soak = await startSoakRun({ ...folders, durationS: 60 });
    await soak.minute(1);
    await soak.finish();
    const result = await runCli(['watch', '--json', soak.dir, ...trusting]);
    expect(result.exitCode).toBe(0);
    const objects = lines(result.stdout).map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(objects.map((o) => o.type)).toEqual(['start', 'minute', 'end']);
    expect(objects[1]).toMatchObject({ minute: 1, requests: 60, errors: 0, error_rate_run: 0, restarts_total: 0, breaches: [] });
    expect(objects[2]).toMatchObject({ status: 'PASSED', exit_code: 0, summary_file: expect.stringMatching(/^gate2-summary-/) });
  });

  it("finds the soak gate's run from the gate states", async () => {
    const loaded = await loadContract(resolve('contracts/boot-contract.json'));
    if (!loaded.ok) throw new Error('the demo contract does not load');
    const c = loaded.contract;
    const pipeline = await loadPipeline(resolve('contracts/pipeline.phase3.json'));
    if (!pipeline.ok) throw new Error('the phase 3 pipeline does not load');
    const p = pipeline.pipeline;
    const artifactsDir = join(root, 'gates-artifacts');
    const soak = await startSoakRun({
      artifactsDir,
      keysDir: folders.keysDir,
      durationS: 60,
      contract: { name: c.name, version: c.version, hash: c.hash, path: c.path },
      pipeline: { name: p.name, version: p.version, hash: p.hash },
    });
    await soak.minute(1);
    await soak.finish();
    const state = ['--artifacts-dir', artifactsDir, '--state-dir', join(root, 'state')];
    const found = await runCli(['watch', '--plain', ...state]);
    expect(found.stderr).toBe('');
    expect(found.exitCode).toBe(0);
    expect(found.stdout).toContain(`watching gate2 run ${soak.run.id} (a trial)`);
    // By run id too.
    expect((await runCli(['watch', '--plain', soak.run.id, ...state])).stdout).toContain(`gate2 run ${soak.run.id} PASSED`);
    // By the gate's number, as `evident gate 2` takes it.
    expect((await runCli(['watch', '--plain', '2', ...state])).stdout).toContain(`watching gate2 run ${soak.run.id}`);
    // gate1 is no soak.
    const gate1 = await runCli(['watch', 'gate1', ...state]);
    expect(gate1.exitCode).toBe(2);
    expect(gate1.stderr.trim()).toBe('evident watch: gate1 is a start-stop-cycles gate; watch follows a soak (Gate 2)');
  });

  it('refuses a folder that is no soak run, and one that is not there', async () => {
    const empty = await runCli(['watch', '--plain', '--state-dir', join(root, 'state-empty'), '--artifacts-dir', join(root, 'nothing')]);
    expect(empty.exitCode).toBe(2);
    expect(empty.stderr.trim()).toBe('evident watch: no gate2 run yet under this contract: `evident gate gate2 --duration 3m` starts a trial');
    const missing = await runCli(['watch', '--plain', join(root, 'no-such-run')]);
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr.trim()).toBe(`evident watch: ${join(root, 'no-such-run')} is not a run folder`);
    const gate1 = await startGate1Run(folders);
    await gate1.journal.close();
    const notSoak = await runCli(['watch', '--plain', gate1.dir]);
    expect(notSoak.exitCode).toBe(2);
    expect(notSoak.stderr.trim()).toBe(`evident watch: ${gate1.dir} holds a start-stop-cycles run, not a soak run (Gate 2)`);
    const notRun = await runCli(['watch', '--plain', root]);
    expect(notRun.exitCode).toBe(2);
    expect(notRun.stderr.trim()).toBe(`evident watch: ${root} holds no journal: it is no run folder`);
  });
});
