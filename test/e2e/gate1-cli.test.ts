// Gate 1 through the real CLI, on real services and ports (17200–17249): the
// prerequisites, a short trial that passes and verifies, a member that leaves an orphan,
// a member that stalls in cycle 2, the sequencing refusals, a runner killed mid-cycle and
// an operator's abort; then the strictness of a cycle's stop: a service that ignores
// SIGTERM (killed at its stop timeout), one that exits 3 on SIGTERM, a grandchild that
// calls setsid (obeying SIGTERM, or ignoring it), and a pipeline that allows such escapes.
// Each test has its own state and artifacts folders.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { consoleGatesPane } from '../helpers/console-gates-pane.ts';
import { FIXTURES } from '../helpers/temp-fleet.ts';
import { ROOT, runCli } from '../helpers/run-cli.ts';

const folders: string[] = [];
const strays = new Set<number>();

afterAll(async () => {
  for (const pid of strays) await killAndWait(pid).catch(() => {});
  for (const folder of folders) {
    // Whatever a failed test left running is stopped by evident itself: a runner still
    // going is aborted (it stops its fleet), then anything else is brought down.
    const env = { EVIDENT_ARTIFACTS_DIR: join(folder, 'artifacts'), EVIDENT_STATE_DIR: join(folder, 'state'), EVIDENT_CONTRACT: join(folder, 'contract.json') };
    await runCli(['gate', '1', '--abort'], { env });
    await runCli(['down'], { env });
    rmSync(folder, { recursive: true, force: true });
  }
});

function service(name: string, script: string, port: number, extra: Record<string, unknown> = {}) {
  return {
    name,
    command: process.execPath,
    args: [join(FIXTURES, script)],
    cwd: FIXTURES,
    port,
    health: { kind: 'http', path: '/healthz', expect_status: 200, timeout_ms: 800 },
    startup_timeout_s: 10,
    stop_timeout_s: 2,
    ...extra,
  };
}

/** A folder with a contract of `services`, its own state and artifacts, and a CLI bound to them. */
function setup(services: Record<string, unknown>[], options: { pipeline?: string } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'evident-gate1-'));
  folders.push(dir);
  const contract = join(dir, 'contract.json');
  writeFileSync(contract, JSON.stringify({ name: 'gate1 test fleet', version: '1.0.0', services }, null, 2));
  const env = {
    EVIDENT_STATE_DIR: join(dir, 'state'),
    EVIDENT_ARTIFACTS_DIR: join(dir, 'artifacts'),
    EVIDENT_CONTRACT: contract,
    PYTHONHASHSEED: '0',
    ...(options.pipeline ? { EVIDENT_PIPELINE: options.pipeline } : {}),
  };
  return {
    dir,
    env,
    cli: (...args: string[]) => runCli(args, { env }),
    summary(runDir: string): Record<string, unknown> {
      const name = readdirSync(runDir).find((f) => /-summary-.*\.json$/.test(f));
      if (!name) throw new Error(`no summary in ${runDir}: ${readdirSync(runDir).join(', ')}`);
      return JSON.parse(readFileSync(join(runDir, name), 'utf8')) as Record<string, unknown>;
    },
    runDirOf(output: string): string {
      const match = /evidence in (\S+)/.exec(output);
      if (!match?.[1]) throw new Error(`no run folder named in:\n${output}`);
      return match[1];
    },
  };
}

const TRIAL = ['--cycles', '2', '--duration', '2s', '--interval', '1s'];

describe('evident gate 1', () => {
  it('runs in order: prerequisites, then a short trial of Gate 1 that passes and verifies', async () => {
    const t = setup([service('alpha', 'http-ok.ts', 17200), service('beta', 'http-ok.ts', 17201, { depends_on: ['alpha'] })]);
    const early = await t.cli('gate', '1', ...TRIAL);
    expect(early.exitCode).toBe(3);
    expect(early.stderr).toMatch(/refused: gate1 runs only after prerequisites passed under the current contract and pipeline; prerequisites is PENDING/);

    const pre = await t.cli('preflight');
    expect(pre.exitCode, pre.stdout + pre.stderr).toBe(0);
    const preDir = t.runDirOf(pre.stdout);
    expect(readdirSync(preDir).some((f) => /^prerequisites-report-\d{8}T\d{6}Z\.txt$/.test(f))).toBe(true);

    const gate = await t.cli('gate', '1', ...TRIAL);
    expect(gate.exitCode, gate.stdout + gate.stderr).toBe(0);
    expect(gate.stdout).toMatch(/gate1 PASSED/);
    const runDir = t.runDirOf(gate.stdout.split('\n').find((l) => l.startsWith('gate1 PASSED')) ?? '');
    const summary = t.summary(runDir);
    expect(summary).toMatchObject({
      gate: 'gate1',
      status: 'PASSED',
      trial: true,
      cycles_completed: 2,
      cycles_passed: 2,
      cycles_failed: 0,
      zombie_pids_detected: 0,
      zombie_pids: [],
      forced_kills: 0,
      unclean_exits: 0,
      escaped_processes: 0,
      health_checks_total: 8, // 2 cycles × 2 rounds × 2 services
      health_checks_passed: 8,
      health_checks_failed: 0,
      parameters: { cycles: 2, duration_s: 2, interval_s: 1 },
    });
    expect(Object.keys(summary.services as object)).toEqual(['alpha', 'beta']);
    expect(summary.services).toMatchObject({ alpha: { status: 'healthy', healthz: 200 }, beta: { status: 'healthy', healthz: 200 } });
    expect(readdirSync(runDir)).toEqual(expect.arrayContaining([expect.stringMatching(/^gate1-manifest-\d{8}T\d{6}Z\.sha256$/), 'SHA256SUMS', 'journal.jsonl']));
    const manifest = readFileSync(join(runDir, readdirSync(runDir).find((f) => f.startsWith('gate1-manifest-') && f.endsWith('.sha256')) as string), 'utf8');
    expect(manifest.split('\n')[0]).toBe('# Phase 3 Gate 1 Evidence Manifest');

    // The execution log in the artifacts folder is current after every run.
    expect(readFileSync(join(t.env.EVIDENT_ARTIFACTS_DIR, 'EXECUTION_LOG.md'), 'utf8')).toMatch(/\| Gate 1[^|]*\| PASSED \(trial\) \|/);

    const verified = await t.cli('verify', runDir);
    expect(verified.exitCode, verified.stdout).toBe(0);
    expect(verified.stdout).toMatch(/summary .*PASSED: equals start-stop-cycles judge/);

    const gates = await t.cli('gates', '--json');
    const view = JSON.parse(gates.stdout) as { gates: { gate: string; status: string; trial: boolean }[] };
    expect(view.gates.slice(0, 2)).toEqual([
      expect.objectContaining({ gate: 'prerequisites', status: 'PASSED', trial: false }),
      expect.objectContaining({ gate: 'gate1', status: 'PASSED', trial: true }),
    ]);

    // A person signs off the passing run: one record, however often it is delivered.
    expect((await t.cli('signoff', '1')).stderr).toMatch(/--statement is required/);
    const signed = await t.cli('signoff', '1', '--statement', 'read the summary and the cycle records', '--actor', 'dana');
    expect(signed.exitCode, signed.stderr).toBe(0);
    expect(signed.stdout).toMatch(/gate1 run \w+ \(a trial\) signed off by dana/);
    expect((await t.cli('signoff', '1', '--statement', 'read the summary and the cycle records', '--actor', 'dana')).stdout).toMatch(/^already recorded: operator.signoff/);
    const operator = readFileSync(join(t.env.EVIDENT_ARTIFACTS_DIR, 'operator', 'journal.jsonl'), 'utf8');
    expect(operator.match(/"type":"operator.signoff"/g)).toHaveLength(1);
    expect((await t.cli('signoff', '2', '--statement', 'x')).exitCode).toBe(2);

    // A trial pass never counts for a release (and gate2 has no runner yet either).
    const release = await t.cli('gate', 'release');
    expect(release.exitCode).toBe(3);
    expect(release.stderr).toMatch(/refused: gate1 passed only as a trial/);
  }, 60_000);

  it('fails when a member leaves an orphan behind, names its pid, and then demands a blocker, then a remediation note', async () => {
    const pidFile = join(tmpdir(), `evident-gate1-orphan-${process.pid}`);
    const t = setup([service('forker', 'leaves-grandchild.ts', 17205, { health: { kind: 'tcp', timeout_ms: 800 }, stop_timeout_s: 1, env: { GRANDCHILD_PID_FILE: pidFile } })]);
    expect((await t.cli('preflight')).exitCode).toBe(0);
    const run = await t.cli('gate', '1', ...TRIAL);
    const orphan = Number(readFileSync(pidFile, 'utf8'));
    strays.add(orphan);
    expect(run.exitCode, run.stdout + run.stderr).toBe(1);
    const summary = t.summary(t.runDirOf(run.stdout.split('\n').find((l) => l.startsWith('gate1 FAILED')) ?? ''));
    expect(summary).toMatchObject({ status: 'FAILED', cycles_failed: 1, cycles_completed: 1 });
    expect(summary.zombie_pids).toContain(orphan);
    expect(summary.zombie_pids_detected).toBe((summary.zombie_pids as number[]).length);
    expect(String(summary.last_failure)).toMatch(new RegExp(`^cycle 1: 1 left behind after the stop: orphan pid ${orphan}`));

    const again = await t.cli('gate', '1', ...TRIAL);
    expect(again.exitCode).toBe(3);
    expect(again.stderr).toMatch(/gate1 failed in run \w+ and no blocker is documented/);

    await killAndWait(orphan);
    const documented = await t.cli('blocker', '1', '--root-cause', 'the worker is started detached', '--fix', 'keep the worker in the service group');
    expect(documented.exitCode, documented.stderr).toBe(0);
    const blockers = JSON.parse((await t.cli('blocker', '--list', '--json')).stdout) as { blockers: { what_failed: string; actor: string }[] };
    expect(blockers.blockers[0]?.what_failed).toMatch(/left behind after the stop: orphan pid/);

    const second = await t.cli('gate', '1', ...TRIAL);
    strays.add(Number(readFileSync(pidFile, 'utf8')));
    expect(second.exitCode).toBe(1);
    await killAndWait(Number(readFileSync(pidFile, 'utf8')));
    expect((await t.cli('blocker', '1', '--root-cause', 'still detached', '--fix', 'tried again'))).toMatchObject({ exitCode: 2, stderr: expect.stringMatching(/failed 2 times in a row: add --remediation/) });
    expect((await t.cli('gate', '1', ...TRIAL)).exitCode).toBe(3);
    expect((await t.cli('blocker', '1', '--root-cause', 'still detached', '--fix', 'tried again', '--remediation', 'rewrite the worker launcher')).exitCode).toBe(0);
    const third = await t.cli('gate', '1', ...TRIAL);
    strays.add(Number(readFileSync(pidFile, 'utf8')));
    expect(third.exitCode, 'a third attempt runs once the remediation note is there').toBe(1);
    await killAndWait(Number(readFileSync(pidFile, 'utf8')));
    rmSync(pidFile, { force: true });
  }, 90_000);

  it('stops at once in cycle 2 when a member stops answering its probe there', async () => {
    const t = setup([service('steady', 'http-ok.ts', 17210), service('staller', 'stops-answering.ts', 17211, { env: { START_COUNT_FILE: '' } })]);
    // The start counter lives in this test's folder.
    const contract = JSON.parse(readFileSync(t.env.EVIDENT_CONTRACT, 'utf8')) as { services: { env?: Record<string, string> }[] };
    (contract.services[1] as { env: Record<string, string> }).env = { START_COUNT_FILE: join(t.dir, 'starts'), HEALTHY_FOR_MS: '1200' };
    writeFileSync(t.env.EVIDENT_CONTRACT, JSON.stringify(contract));
    const pre = await t.cli('preflight');
    expect(pre.exitCode, pre.stdout + pre.stderr).toBe(0);
    const run = await t.cli('gate', '1', '--cycles', '3', '--duration', '4s', '--interval', '1s');
    expect(run.exitCode, run.stdout + run.stderr).toBe(1);
    const summary = t.summary(t.runDirOf(run.stdout.split('\n').find((l) => l.startsWith('gate1 FAILED')) ?? ''));
    expect(summary).toMatchObject({ status: 'FAILED', cycles_completed: 2, cycles_passed: 1, cycles_failed: 1 });
    expect(String(summary.last_failure)).toMatch(/^cycle 2: staller failed its health check at .*timed out after 800 ms/);
    expect(readFileSync(join(t.dir, 'starts'), 'utf8')).toBe('2'); // never started a third time
    expect(run.stdout).not.toMatch(/cycle 3\/3/);
  }, 60_000);

  it('a runner killed mid-cycle leaves the gate INTERRUPTED and no process behind', async () => {
    const t = setup([service('alpha', 'http-ok.ts', 17215), service('beta', 'http-ok.ts', 17216, { depends_on: ['alpha'] })]);
    expect((await t.cli('preflight')).exitCode).toBe(0);
    const started = await t.cli('gate', '1', '--cycles', '2', '--duration', '30s', '--interval', '1s', '--detach', '--json');
    expect(started.exitCode, started.stderr).toBe(0);
    const { runner_pid: runner, run_id: runId } = JSON.parse(started.stdout) as { runner_pid: number; run_id: string };
    const running = JSON.parse((await t.cli('gates', '--json')).stdout) as { gates: { gate: string; status: string }[] };
    expect(running.gates[1]).toMatchObject({ gate: 'gate1', status: 'RUNNING' });
    // Mid-cycle: both services up and being probed.
    const deadline = Date.now() + 20_000;
    for (;;) {
      const now = JSON.parse((await t.cli('gates', '--json')).stdout) as { progress: { phase: string } | null };
      if (now.progress?.phase === 'probing') break;
      if (Date.now() > deadline) throw new Error(`gate1 never reached its probe rounds: ${JSON.stringify(now)}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const pidFiles = readdirSync(join(t.env.EVIDENT_STATE_DIR, 'pids')).filter((f) => /^[a-z][a-z0-9-]*\.json$/.test(f));
    const servicePids = pidFiles.map((f) => (JSON.parse(readFileSync(join(t.env.EVIDENT_STATE_DIR, 'pids', f), 'utf8')) as { pid: number }).pid);
    expect(servicePids.length).toBe(2);
    process.kill(runner, 'SIGKILL');
    const runDir = join(t.env.EVIDENT_ARTIFACTS_DIR, runId);
    await waitFor(() => readdirSync(runDir).some((f) => f.endsWith('.sha256.sig')), 20_000);
    expect(t.summary(runDir)).toMatchObject({ status: 'INTERRUPTED' });
    for (const pid of servicePids) expect(isAlive(pid), `service pid ${pid}`).toBe(false);
    const gates = JSON.parse((await t.cli('gates', '--json')).stdout) as { gates: { gate: string; status: string }[] };
    expect(gates.gates[1]).toMatchObject({ gate: 'gate1', status: 'INTERRUPTED' });
    expect((await t.cli('verify', runDir)).exitCode).toBe(0);
  }, 60_000);

  it('holds gate runs to the contract lock: drift is refused, and an approved new version re-opens every gate', async () => {
    const t = setup([service('alpha', 'http-ok.ts', 17225)]);
    expect((await t.cli('preflight')).exitCode).toBe(0);
    const contract = JSON.parse(readFileSync(t.env.EVIDENT_CONTRACT, 'utf8')) as { version: string; services: { port: number }[] };
    (contract.services[0] as { port: number }).port = 17226;
    writeFileSync(t.env.EVIDENT_CONTRACT, JSON.stringify(contract));
    const drift = await t.cli('gate', '1', ...TRIAL);
    expect(drift.exitCode).toBe(3);
    expect(drift.stderr).toMatch(/services\[0\]\.port: 17225 → 17226/);

    contract.version = '1.1.0';
    writeFileSync(t.env.EVIDENT_CONTRACT, JSON.stringify(contract));
    expect((await t.cli('gate', 'preflight')).exitCode, 'a new version needs an approval first').toBe(3);
    expect((await t.cli('contract', 'approve', '--reason', 'alpha moved to 17226')).exitCode).toBe(0);
    const gates = JSON.parse((await t.cli('gates', '--json')).stdout) as { gates: { gate: string; status: string; stale_runs: number }[] };
    expect(gates.gates[0]).toMatchObject({ gate: 'prerequisites', status: 'PENDING', stale_runs: 1 });
    expect((await t.cli('gate', '1', ...TRIAL)).stderr).toMatch(/prerequisites is PENDING/);
    expect((await t.cli('preflight')).exitCode).toBe(0);
  }, 60_000);

  it('--abort stops a running gate cleanly and records who stopped it', async () => {
    const t = setup([service('alpha', 'http-ok.ts', 17220)]);
    expect((await t.cli('preflight')).exitCode).toBe(0);
    const started = await t.cli('gate', '1', '--cycles', '1', '--duration', '30s', '--interval', '1s', '--detach', '--json');
    const { run_id: runId } = JSON.parse(started.stdout) as { run_id: string };
    const aborted = await runCli(['gate', '1', '--abort', '--reason', 'host maintenance', '--actor', 'carol'], { env: t.env });
    expect(aborted.exitCode, aborted.stderr).toBe(0);
    expect(aborted.stdout).toMatch(new RegExp(`gate1 run ${runId} stopped: INTERRUPTED`));
    const runDir = join(t.env.EVIDENT_ARTIFACTS_DIR, runId);
    expect(t.summary(runDir)).toMatchObject({ status: 'INTERRUPTED', reasons: [expect.stringMatching(/^aborted by carol: host maintenance/)] });
    const journal = readFileSync(join(runDir, 'journal.jsonl'), 'utf8');
    expect(journal).toMatch(/"type":"run.aborted"[^\n]*"actor":"carol"/);
    const operator = readFileSync(join(t.env.EVIDENT_ARTIFACTS_DIR, 'operator', 'journal.jsonl'), 'utf8');
    expect(operator).toMatch(/"type":"operator.abort-gate"[^\n]*"actor":"carol"/);
    expect(existsSync(join(t.env.EVIDENT_STATE_DIR, 'runs', `${runId}.abort.json`))).toBe(false);
    expect((await t.cli('gate', '1', '--abort')).exitCode).toBe(2);
  }, 60_000);
});

const ONE_CYCLE = ['--cycles', '1', '--duration', '1s', '--interval', '1s'];

describe('evident gate 1: a cycle stops cleanly or fails', () => {
  /** Runs the prerequisites, then a one-cycle trial; its exit code and summary. */
  async function oneCycle(t: ReturnType<typeof setup>) {
    const pre = await t.cli('preflight');
    expect(pre.exitCode, pre.stdout + pre.stderr).toBe(0);
    const run = await t.cli('gate', '1', ...ONE_CYCLE);
    const line = run.stdout.split('\n').find((l) => /^gate1 (PASSED|FAILED|INTERRUPTED)/.test(l)) ?? '';
    const runDir = t.runDirOf(line);
    return { run, runDir, summary: t.summary(runDir) };
  }

  /** The failed run stands for a failure everywhere: `gates` (the console's states) BLOCKED with the reason, the release refused naming gate1. */
  async function refusedEverywhere(t: ReturnType<typeof setup>, reason: RegExp): Promise<void> {
    const gates = JSON.parse((await t.cli('gates', '--json')).stdout) as { gates: { gate: string; status: string; reasons: string[] }[] };
    const gate1 = gates.gates.find((g) => g.gate === 'gate1');
    expect(gate1?.status).toBe('BLOCKED');
    expect(gate1?.reasons.some((r) => reason.test(r)), JSON.stringify(gate1?.reasons)).toBe(true);
    const release = await t.cli('gate', 'release');
    expect(release.exitCode).toBe(3);
    expect(release.stderr).toMatch(/refused: gate1 has not passed under the current contract and pipeline \(it is BLOCKED/);
    const row = (await consoleGatesPane(t.env)).find((line) => line.startsWith('  gate1 '));
    expect(row).toMatch(/^ {2}gate1 +BLOCKED( trial)? +b documents it: cycle 1: /);
  }

  it('fails a cycle in which a service ignored SIGTERM and had to be killed after its stop timeout', async () => {
    const t = setup([service('stubborn', 'ignores-sigterm.ts', 17230, { stop_timeout_s: 1 })]);
    const { run, runDir, summary } = await oneCycle(t);
    expect(run.exitCode, run.stdout + run.stderr).toBe(1);
    expect(summary).toMatchObject({ status: 'FAILED', cycles_failed: 1, forced_kills: 1, unclean_exits: 0, zombie_pids_detected: 0 });
    expect(String(summary.last_failure)).toMatch(/^cycle 1: stubborn did not stop within its stop timeout: killed \d+ \(.*ignores-sigterm\.ts\) after \d+ ms$/);
    expect(run.stdout).toMatch(/cycle 1: stubborn did not stop within its stop timeout/);
    expect((await t.cli('verify', runDir)).exitCode).toBe(0);
    await refusedEverywhere(t, /^cycle 1: stubborn did not stop within its stop timeout/);
  }, 60_000);

  it('fails a cycle in which a service exited with code 3 on SIGTERM', async () => {
    const t = setup([service('sour', 'exits-3-on-sigterm.ts', 17231)]);
    const { run, summary } = await oneCycle(t);
    expect(run.exitCode, run.stdout + run.stderr).toBe(1);
    expect(summary).toMatchObject({ status: 'FAILED', unclean_exits: 1, forced_kills: 0, last_failure: 'cycle 1: sour exited with code 3 on stop, not 0' });
    expect((summary.cycles as { unclean_exits: unknown[] }[])[0]?.unclean_exits).toEqual([{ service: 'sour', exit_code: 3, exit_signal: null }]);
  }, 60_000);

  describe.each([
    ['obeys', 17232, {}],
    ['ignores', 17233, { ESCAPEE_IGNORES_SIGTERM: '1' }],
  ] as const)('a grandchild that calls setsid and %s SIGTERM', (variant, port, extraEnv) => {
    it('fails the cycle, naming the process that left the service session', async () => {
      const pidFile = join(tmpdir(), `evident-gate1-escapee-${variant}-${process.pid}.pid`);
      const t = setup([{ ...service('leaky', 'escapee.py', port, { stop_timeout_s: 1, env: { ESCAPEE_PID_FILE: pidFile, ...extraEnv } }), command: 'python3' }]);
      const { run, runDir, summary } = await oneCycle(t);
      const escapee = Number(readFileSync(pidFile, 'utf8'));
      strays.add(escapee);
      rmSync(pidFile, { force: true });
      expect(run.exitCode, run.stdout + run.stderr).toBe(1);
      expect(summary).toMatchObject({ status: 'FAILED', escaped_processes: 1, allow_escaped_processes: false, forced_kills: variant === 'ignores' ? 1 : 0 });
      const cycle = (summary.cycles as { escaped_processes: { pid: number; left: string; killed: boolean }[] }[])[0];
      expect(cycle?.escaped_processes).toEqual([expect.objectContaining({ pid: escapee, left: 'session', killed: variant === 'ignores' })]);
      expect((summary.reasons as string[]).some((r) => r.startsWith(`cycle 1: pid ${escapee} of leaky left the service's session`))).toBe(true);
      expect(isAlive(escapee)).toBe(false);
      expect((await t.cli('verify', runDir)).exitCode).toBe(0);
      await refusedEverywhere(t, /^cycle 1: (pid \d+ of leaky left the service's session|leaky did not stop within its stop timeout)/);
    }, 60_000);
  });

  it('passes, and says so, under a pipeline that allows escaped processes', async () => {
    const pipeline = JSON.parse(readFileSync(join(ROOT, 'contracts', 'pipeline.phase3.json'), 'utf8')) as { $schema?: string; gates: { id: string; criteria?: Record<string, unknown> }[] };
    delete pipeline.$schema;
    const gate1 = pipeline.gates.find((g) => g.id === 'gate1');
    if (!gate1?.criteria) throw new Error('the pipeline has no gate1 criteria');
    gate1.criteria.allow_escaped_processes = true;
    const dir = mkdtempSync(join(tmpdir(), 'evident-gate1-pipeline-'));
    folders.push(dir);
    writeFileSync(join(dir, 'pipeline.json'), JSON.stringify(pipeline));
    const pidFile = join(dir, 'escapee.pid');
    const t = setup([{ ...service('leaky', 'escapee.py', 17234, { env: { ESCAPEE_PID_FILE: pidFile } }), command: 'python3' }], { pipeline: join(dir, 'pipeline.json') });
    const { run, runDir, summary } = await oneCycle(t);
    strays.add(Number(readFileSync(pidFile, 'utf8')));
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    expect(summary).toMatchObject({ status: 'PASSED', escaped_processes: 1, allow_escaped_processes: true, reasons: [] });
    expect(summary.allowed).toEqual([expect.stringMatching(/^cycle 1: pid \d+ of leaky left the service's session .*\(allow_escaped_processes\)$/)]);
    expect(run.stdout).toMatch(/cycle 1\/1: allowed by the pipeline: pid \d+ of leaky left the service's session/);
    expect((await t.cli('verify', runDir)).exitCode).toBe(0);
  }, 60_000);
});

/** Kills a process this test learned of (an orphan a fixture left) and waits until it is gone. */
async function killAndWait(pid: number): Promise<void> {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    return;
  }
  await waitFor(() => !isAlive(pid), 5_000);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0] !== 'Z';
  } catch {
    return false;
  }
}

async function waitFor(check: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if (check()) return;
    } catch {
      // not yet
    }
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
