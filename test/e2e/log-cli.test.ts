// `evident log` on real runs: the prerequisites fail (PYTHONHASHSEED is not set), the
// blocker is documented, they pass; the log then shows the gate PASSED with a link to
// the passing run's summary, an entry for the failure with its reason, the blocker and
// the passing run, and writes the same text to <artifacts>/EXECUTION_LOG.md.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.ts';
import { fixtureService } from '../helpers/temp-fleet.ts';

let dir = '';
let savedSeed: string | undefined;
const artifacts = () => join(dir, 'artifacts');
const env = (extra: Record<string, string> = {}) => ({ EVIDENT_STATE_DIR: join(dir, 'state'), EVIDENT_ARTIFACTS_DIR: artifacts(), ...extra });
const contractArgs = () => ['--contract', join(dir, 'contract.json')];

interface GateReport {
  status: string;
  run_dir: string;
  summary: string;
}

async function preflight(extraEnv: Record<string, string> = {}): Promise<{ exitCode: number; report: GateReport }> {
  const result = await runCli(['preflight', ...contractArgs(), '--actor', 'alice', '--json'], { env: env(extraEnv) });
  expect(result.stdout, result.stderr).toMatch(/^\{/);
  return { exitCode: result.exitCode, report: JSON.parse(result.stdout) as GateReport };
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'evident-log-cli-'));
  // The first run must find PYTHONHASHSEED unset: the CLI inherits this process's environment.
  savedSeed = process.env.PYTHONHASHSEED;
  delete process.env.PYTHONHASHSEED;
  const services = [fixtureService('alpha', 'http-ok.ts', 17301), fixtureService('beta', 'http-ok.ts', 17302)];
  writeFileSync(join(dir, 'contract.json'), JSON.stringify({ name: 'log fleet', version: '1.0.0', services }, null, 2));
});

afterAll(() => {
  if (savedSeed === undefined) delete process.env.PYTHONHASHSEED;
  else process.env.PYTHONHASHSEED = savedSeed;
  rmSync(dir, { recursive: true, force: true });
});

describe('evident log', () => {
  let failed: GateReport;
  let passed: GateReport;
  let printed = '';

  it('follows a failed run, its blocker and a passing run', async () => {
    const first = await preflight();
    expect(first.exitCode).toBe(1);
    expect(first.report.status).toBe('FAILED');
    failed = first.report;

    const blocker = await runCli(['blocker', 'prerequisites', ...contractArgs(), '--actor', 'alice', '--root-cause', 'the shell profile did not export it', '--fix', 'PYTHONHASHSEED=0 in the operator profile'], { env: env() });
    expect(blocker.exitCode, blocker.stderr).toBe(0);

    const second = await preflight({ PYTHONHASHSEED: '0' });
    expect(second.exitCode).toBe(0);
    expect(second.report.status).toBe('PASSED');
    passed = second.report;
  });

  it('prints the gate table and an entry for the failure, the blocker and the pass, and writes the same text', async () => {
    const result = await runCli(['log', ...contractArgs()], { env: env() });
    expect(result.exitCode, result.stderr).toBe(0);
    printed = result.stdout;
    const passId = basename(passed.run_dir);
    const failId = basename(failed.run_dir);
    const summary = `${passId}/${passed.summary}`;
    expect(printed).toMatch(/^# Execution Log — phase 3 hardening 1\.0\.0\n\nContract: log fleet 1\.0\.0 \([0-9a-f]{12}\) · generated \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}Z\n/);
    const row = printed.split('\n').find((line) => line.startsWith('| Prerequisites |'));
    expect(row).toMatch(new RegExp(`^\\| Prerequisites \\| PASSED \\| \\[${summary}\\]\\(${summary}\\) \\| \\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}Z \\| \\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}Z \\|$`));
    expect(printed).toContain('| Gate 1: consecutive start/stop cycles | PENDING | — | — | — |');

    const headings = printed.split('\n').filter((line) => line.startsWith('### ')).map((line) => line.replace(/^### [\d-]+ [\d:]+Z — /, ''));
    expect(headings).toEqual([
      'contract log fleet 1.0.0 locked',
      `prerequisites run ${failId} started`,
      `prerequisites run ${failId} FAILED`,
      `prerequisites blocker documented for run ${failId}`,
      `prerequisites run ${passId} started`,
      `prerequisites run ${passId} PASSED`,
    ]);
    expect(printed).toContain(`- Why it failed:\n  - PYTHONHASHSEED is not set; the pipeline requires PYTHONHASHSEED=0\n`);
    expect(printed).toContain(
      '- What failed: PYTHONHASHSEED is not set; the pipeline requires PYTHONHASHSEED=0\n- Root cause: the shell profile did not export it\n- Fix: PYTHONHASHSEED=0 in the operator profile\n- Documented by: alice',
    );
    expect(printed).toContain(`[summary](${failId}/${failed.summary})`);
    expect(printed).toContain(`[summary](${summary})`);
    // Every link leads to a file that exists, from the folder the log is written to.
    const targets = [...printed.matchAll(/\]\(([^)]+)\)/g)].map((m) => m[1] as string);
    expect(targets.length).toBeGreaterThan(6);
    for (const target of targets) expect(existsSync(join(artifacts(), target)), target).toBe(true);

    // runCli (execa) strips the one final newline of what was printed.
    expect(readFileSync(join(artifacts(), 'EXECUTION_LOG.md'), 'utf8')).toBe(`${printed}\n`);
  });

  it('--json prints the path, the gates, the entries and the markdown it wrote; --no-write leaves the file', async () => {
    const result = await runCli(['log', ...contractArgs(), '--json'], { env: env() });
    expect(result.exitCode, result.stderr).toBe(0);
    const json = JSON.parse(result.stdout) as { path: string; written: boolean; gates: { gate: string; status: string; run_id: string | null }[]; entries: { kind: string; run_id: string | null }[]; markdown: string };
    const path = join(artifacts(), 'EXECUTION_LOG.md');
    expect(json.path).toBe(path);
    expect(json.written).toBe(true);
    expect(json.gates[0]).toMatchObject({ gate: 'prerequisites', status: 'PASSED', run_id: basename(passed.run_dir) });
    expect(json.entries.map((e) => e.kind)).toEqual(['contract', 'run-start', 'run-end', 'blocker', 'run-start', 'run-end']);
    expect(readFileSync(path, 'utf8')).toBe(json.markdown);

    writeFileSync(path, 'left as it was\n');
    const dry = await runCli(['log', ...contractArgs(), '--no-write'], { env: env() });
    expect(dry.exitCode, dry.stderr).toBe(0);
    expect(dry.stdout).toContain('| Prerequisites | PASSED |');
    expect(readFileSync(path, 'utf8')).toBe('left as it was\n');
  });

  it('refuses bad input with exit 2 and says what was wrong', async () => {
    const missing = await runCli(['log', ...contractArgs(), '--artifacts-dir', join(dir, 'no-such-folder')], { env: env() });
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr).toContain(`evident log: no artifacts folder at ${join(dir, 'no-such-folder')}`);
    expect(existsSync(join(dir, 'no-such-folder'))).toBe(false);

    const unknown = await runCli(['log', '--bogus'], { env: env() });
    expect(unknown.exitCode).toBe(2);
    expect(unknown.stderr).toContain("evident log: Unknown option '--bogus'");

    const help = await runCli(['log', '--help']);
    expect(help.exitCode).toBe(0);
    expect(help.stdout).toMatch(/^usage: evident log /);
    expect((await runCli(['--help'])).stdout).toContain('  log        the execution log: gate status table and every run, failure, blocker and fix');
  });
});
