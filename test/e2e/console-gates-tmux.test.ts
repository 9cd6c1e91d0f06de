// The real console in a real terminal (tmux, 80×24) running gates on a small fixture
// fleet (ports 17330–17333), each test with its own state and artifacts folders: `g`
// runs the prerequisites and a short trial of Gate 1 in a runner of its own, the gates
// pane follows it to PASSED, the service keys are refused while the runner holds the
// fleet; a console opened while a runner holds the fleet follows it, quits (or is
// killed) leaving it running, and a new console re-attaches and follows it to its end.
// Every wait is on the screen or a process, never on how long a run takes.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createLinuxPlatform } from '../../src/platform/linux.ts';
import { currentLockHolder } from '../../src/supervisor/fleet-lock.ts';
import { BIN, ROOT, runCli } from '../helpers/run-cli.ts';
import { FIXTURES } from '../helpers/temp-fleet.ts';
import { flat, tmuxScreen } from '../helpers/tmux-screen.ts';
import { isAlive, until } from '../helpers/wait.ts';

const SESSION = `evident-gates-${process.pid}`;
const folders: { dir: string; env: Record<string, string>; ports: number[] }[] = [];
/** Processes a test learnt of (runners, consoles), killed in cleanup if still alive. */
const strays = new Set<number>();

const term = tmuxScreen(SESSION);
const { tmux, screen, waitForScreen, press } = term;
const killSession = term.kill;

function setup(ports: [number, number]) {
  const dir = mkdtempSync(join(tmpdir(), 'evident-console-gates-'));
  const service = (name: string, port: number, extra: Record<string, unknown> = {}) => ({
    name,
    command: process.execPath,
    args: [join(FIXTURES, 'http-ok.ts')],
    cwd: FIXTURES,
    port,
    health: { kind: 'http', path: '/healthz', expect_status: 200, timeout_ms: 800 },
    startup_timeout_s: 10,
    stop_timeout_s: 2,
    ...extra,
  });
  const contract = join(dir, 'contract.json');
  writeFileSync(contract, JSON.stringify({ name: 'console gates fleet', version: '1.0.0', services: [service('alpha', ports[0]), service('beta', ports[1], { depends_on: ['alpha'] })] }, null, 2));
  const env = { EVIDENT_STATE_DIR: join(dir, 'state'), EVIDENT_ARTIFACTS_DIR: join(dir, 'artifacts'), EVIDENT_CONTRACT: contract, PYTHONHASHSEED: '0' };
  folders.push({ dir, env, ports });
  /** The console (or any evident command) as a shell command for tmux, with this folder's environment. */
  const command = (args: string[], exitFile?: string) => {
    const line = ['env', ...Object.entries(env).map(([k, v]) => `${k}=${v}`), process.execPath, BIN, ...args].map((a) => `'${a}'`).join(' ');
    return exitFile === undefined ? `exec ${line}` : `${line}; echo "exit $?" > '${exitFile}'; sleep 60`;
  };
  return { dir, env, command, cli: (...args: string[]) => runCli(args, { env }) };
}

async function holderOf(env: Record<string, string>) {
  const platform = createLinuxPlatform();
  try {
    return await currentLockHolder(platform, env.EVIDENT_STATE_DIR as string);
  } finally {
    platform.close();
  }
}


async function waitForExit(file: string, timeoutMs = 15_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const text = readFileSync(file, 'utf8');
      if (text.includes('exit')) return text.trim();
    } catch {
      // not yet
    }
    if (Date.now() > deadline) throw new Error(`the console did not exit:\n${screen()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}


afterEach(() => killSession());

afterAll(async () => {
  killSession();
  for (const { dir, env, ports } of folders) {
    // A gate a failed test left running is aborted (its runner stops the fleet), then evident stops the rest.
    const holder = await holderOf(env);
    const gate = holder?.run_id ? /^gate (\S+) run /.exec(holder.purpose)?.[1] : undefined;
    if (gate !== undefined) await runCli(['gate', gate, '--abort', '--reason', 'test cleanup'], { env });
    for (const pid of strays) if (isAlive(pid)) process.kill(pid, 'SIGKILL');
    await runCli(['down'], { env });
    expect(await createLinuxPlatform().listeners(ports)).toEqual([]);
    rmSync(dir, { recursive: true, force: true });
  }
});

describe('gates from the real console', () => {
  it('runs the prerequisites and a short Gate 1 with g, follows it to PASSED and refuses the service keys meanwhile', async () => {
    const t = setup([17330, 17331]);
    const exitFile = join(t.dir, 'exit.txt');
    tmux('new-session', '-d', '-s', SESSION, '-x', '80', '-y', '24', '-c', ROOT, t.command(['console', '--gate-cycles', '1', '--gate-duration', '3s', '--gate-interval', '1s'], exitFile));
    await waitForScreen(/0\/2 healthy/);
    // The gate states load after the first frame: wait until the gates pane shows them.
    press('G');
    await waitForScreen(/prerequisites +PENDING/);

    // The prerequisites first: the confirmation names them.
    press('g');
    await waitForScreen(/Run prerequisites — Prerequisites: node ≥ 22/);
    press('y');
    await waitForScreen(/prerequisites +PASSED/);
    await waitForScreen(/next: gate1 \(trial\), g runs it/);

    // Gate 1, as a trial: its question names the cycles, the duration and the probes.
    press('g');
    const asked = await waitForScreen(/Run gate1 — Gate 1: consecutive start\/stop cycles: 1 cycle × 3s, probes/);
    expect(flat(asked)).toContain('Run gate1 — Gate 1: consecutive start/stop cycles: 1 cycle × 3s, probes every 1s (≈ 3s), a trial? y/n');
    press('y');
    const running = await waitForScreen(/cycle 1\/1 · checks \d+\/6 · failures 0 · zombies 0/);
    const runId = /fleet held by gate1 run (\w+) \(pid (\d+)\) · read-only/.exec(running);
    expect(runId, running).not.toBeNull();
    strays.add(Number(runId?.[2]));
    expect(running).toMatch(/gate1 +RUNNING trial +run \w+/);
    expect(running).toMatch(/elapsed \d+s · ETA/);
    expect(running).toContain('last failure: none');
    expect(running.split('\n').every((line) => line.length <= 80)).toBe(true);

    // The service keys are refused while the runner holds the fleet.
    press('x');
    await waitForScreen(/service keys off: gate1 run \w+ holds the fleet/);
    await waitForScreen(/gate1 +PASSED trial/, 30_000);
    // The verdict shows as soon as it is journaled; the runner lets go of the fleet just after.
    const passed = await waitForScreen(/^(?![\s\S]*fleet held by)[\s\S]*gate1 +PASSED trial/, 10_000);
    expect(passed).not.toContain('fleet held by');
    const operator = readFileSync(join(t.env.EVIDENT_ARTIFACTS_DIR, 'operator', 'journal.jsonl'), 'utf8');
    expect(operator).not.toContain('"operator.stop"');
    expect(operator).toContain('"operator.request-gate"');

    // The console controls the fleet again: its keys act.
    press('a');
    await waitForScreen(/2\/2 healthy/);
    press('q');
    await waitForScreen(/stop the fleet/);
    press('s');
    await waitForScreen(/fleet stopped: no process and no listener left behind/);
    expect(await waitForExit(exitFile)).toBe('exit 0');

    const gates = JSON.parse((await t.cli('gates', '--json')).stdout) as { gates: { gate: string; status: string; trial: boolean; run_id: string }[] };
    expect(gates.gates.find((g) => g.gate === 'gate1')).toMatchObject({ status: 'PASSED', trial: true, run_id: runId?.[1] });
    await until(() => !isAlive(Number(runId?.[2])), 'the runner gone after its run', 10_000);
  });

  it('follows a runner it did not start, quits or is killed leaving it running, and a new console re-attaches', async () => {
    const t = setup([17332, 17333]);
    expect((await t.cli('preflight')).exitCode).toBe(0);
    // Far longer than three consoles take to come and go on the slowest machine: the test
    // ends the run itself (an operator's abort from another terminal) once they have.
    const started = await t.cli('gate', '1', '--cycles', '2', '--duration', '10m', '--interval', '1s', '--detach', '--json');
    expect(started.exitCode, started.stdout + started.stderr).toBe(0);
    const { run_id: runId, runner_pid: runnerPid } = JSON.parse(started.stdout) as { run_id: string; runner_pid: number };
    strays.add(runnerPid);
    const held = new RegExp(`fleet held by gate1 run ${runId} \\(pid ${runnerPid}\\) · read-only`);

    // A console opened now follows the run (no refusal) and refuses the service keys.
    const firstExit = join(t.dir, 'first.txt');
    tmux('new-session', '-d', '-s', SESSION, '-x', '80', '-y', '24', '-c', ROOT, t.command(['console'], firstExit));
    await waitForScreen(held);
    await waitForScreen(/gate1 +RUNNING trial/);
    await waitForScreen(/cycle \d\/2 · checks \d+\/2400/);
    press('z');
    await waitForScreen(/service keys off: gate1 run \w+ holds the fleet/);
    // Quitting leaves the run to its runner.
    press('q');
    await waitForScreen(/goes on without this console: leave \(l\), or cancel/);
    press('l');
    await waitForScreen(new RegExp(`gate1 run ${runId} goes on in pid ${runnerPid}`));
    expect(await waitForExit(firstExit)).toBe('exit 0');
    killSession();
    expect(isAlive(runnerPid)).toBe(true);
    expect(await holderOf(t.env)).toMatchObject({ pid: runnerPid, run_id: runId });

    // A console killed outright leaves it running too.
    tmux('new-session', '-d', '-s', SESSION, '-x', '80', '-y', '24', '-c', ROOT, t.command(['console']));
    await waitForScreen(held);
    const consolePid = Number(tmux('display-message', '-p', '-t', SESSION, '#{pane_pid}').trim());
    strays.add(consolePid);
    process.kill(consolePid, 'SIGKILL');
    await until(() => !isAlive(consolePid), 'the killed console gone', 5_000);
    killSession();
    expect(isAlive(runnerPid)).toBe(true);
    expect(await holderOf(t.env)).toMatchObject({ pid: runnerPid, run_id: runId });

    // A new console re-attaches, follows the run to its end (an operator aborts it from
    // another terminal) and then holds the fleet itself.
    const lastExit = join(t.dir, 'last.txt');
    tmux('new-session', '-d', '-s', SESSION, '-x', '80', '-y', '24', '-c', ROOT, t.command(['console'], lastExit));
    await waitForScreen(held);
    await waitForScreen(/gate1 +RUNNING trial/);
    const aborted = await t.cli('gate', '1', '--abort', '--reason', 'consoles re-attached', '--actor', 'dana');
    expect(aborted.exitCode, aborted.stdout + aborted.stderr).toBe(0);
    await waitForScreen(/gate1 +INTERRUPTED/, 60_000);
    await until(async () => (await holderOf(t.env))?.purpose === 'evident console', 'the console holding the fleet again');
    // The screen says so from its next tick on: wait for it rather than read it at once.
    const freed = await waitForScreen(/^(?![\s\S]*fleet held by)[\s\S]*gate1 +INTERRUPTED/, 10_000);
    expect(freed).not.toContain('fleet held by');
    // Its run over, the runner exits on its own.
    await until(() => !isAlive(runnerPid), 'the runner gone after its run', 10_000);
    press('q');
    await waitForScreen(/stop the fleet/);
    press('s');
    await waitForScreen(/fleet stopped/);
    expect(await waitForExit(lastExit)).toBe('exit 0');
  });

  it('refuses to open while another console holds the fleet (exit 3)', async () => {
    const t = setup([17332, 17333]);
    const firstExit = join(t.dir, 'first.txt');
    tmux('new-session', '-d', '-s', SESSION, '-x', '80', '-y', '24', '-c', ROOT, t.command(['console'], firstExit));
    await waitForScreen(/0\/2 healthy/);
    const secondExit = join(t.dir, 'second.txt');
    tmux('new-window', '-t', SESSION, t.command(['console'], secondExit));
    expect(await waitForExit(secondExit)).toBe('exit 3');
    tmux('kill-window', '-t', `${SESSION}:1`);
    expect(await holderOf(t.env)).toMatchObject({ purpose: 'evident console' });
    press('q');
    await waitForScreen(/stop the fleet/);
    press('s');
    expect(await waitForExit(firstExit)).toBe('exit 0');
  });
});
