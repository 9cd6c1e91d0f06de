// After `evident up` returns, the fleet stays supervised by `evident supervise`: a crash
// is restarted per policy, `status` shows a live CPU rate, another evident process takes
// the fleet and gives it back, and a supervisor killed with SIGKILL leaves every service
// running for the next one to adopt.
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FIXTURES } from '../helpers/temp-fleet.ts';
import { runCli, startCli } from '../helpers/run-cli.ts';
import { isAlive, until } from '../helpers/wait.ts';

let dir = '';
let args: string[] = [];
const started = new Set<number>();

function service(name: string, script: string, port: number, extra: Record<string, unknown> = {}) {
  return {
    name,
    command: process.execPath,
    args: [join(FIXTURES, script)],
    port,
    health: { kind: 'http', path: '/healthz', expect_status: 200, timeout_ms: 1000 },
    startup_timeout_s: 10,
    stop_timeout_s: 2,
    ...extra,
  };
}

function supervisorLog(): string {
  try {
    return readFileSync(join(dir, 'state', 'supervisor.log'), 'utf8').split('\n').slice(-30).join('\n');
  } catch {
    return '(none)';
  }
}

function lockHolder(): { pid: number; purpose: string } | null {
  try {
    return JSON.parse(readFileSync(join(dir, 'state', 'fleet.lock'), 'utf8')) as { pid: number; purpose: string };
  } catch {
    return null;
  }
}

async function supervisorPid(): Promise<number> {
  let pid = 0;
  await until(() => {
    const holder = lockHolder();
    pid = holder?.purpose === 'evident supervisor' && isAlive(holder.pid) ? holder.pid : 0;
    return pid !== 0;
  }, 'the background supervisor to hold the fleet').catch((error: Error) => {
    // What the supervisors wrote says why none holds it.
    throw new Error(`${error.message}; lock: ${JSON.stringify(lockHolder())}; supervisor.log:\n${supervisorLog()}`);
  });
  started.add(pid);
  return pid;
}

async function statusJson(): Promise<{ services: { name: string; pid: number; state: string; restarts: number; cpu_percent: number | null; cpu_history: number[] }[]; controlled_by: { purpose: string } | null; sampled_at: string | null }> {
  const result = await runCli(['status', '--json', ...args]);
  return JSON.parse(result.stdout);
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'evident-supervise-'));
  writeFileSync(
    join(dir, 'contract.json'),
    JSON.stringify({
      name: 'supervised',
      version: '1.0.0',
      services: [
        service('crasher', 'crashes-on-request.ts', 29421, { restart: { policy: 'on-failure', delay_s: 0.1 } }),
        service('steady', 'http-ok.ts', 29422),
      ],
    }),
  );
  args = ['--contract', join(dir, 'contract.json'), '--state-dir', join(dir, 'state'), '--artifacts-dir', join(dir, 'artifacts')];
});

afterEach(async () => {
  await runCli(['down', ...args]);
  for (const pid of started) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone
    }
  }
  started.clear();
  rmSync(dir, { recursive: true, force: true });
});

describe('the background supervisor', () => {
  it('keeps the fleet after up: restarts a crash per policy, shares live CPU, and leaves when down takes the fleet', async () => {
    const up = await runCli(['up', ...args]);
    expect(up.exitCode).toBe(0);
    const supervisor = await supervisorPid();
    const before = (await statusJson()).services.find((s) => s.name === 'crasher')!;
    for (const s of (await statusJson()).services) started.add(s.pid);

    await fetch('http://127.0.0.1:29421/crash').catch(() => {});
    let after = before;
    await until(async () => {
      after = (await statusJson()).services.find((s) => s.name === 'crasher')!;
      return after.state === 'running' && after.pid !== before.pid;
    }, 'the crash restarted by the supervisor');
    started.add(after.pid);
    expect(after.restarts).toBe(1);
    const log = readFileSync(join(dir, 'state', 'supervisor.log'), 'utf8');
    expect(log).toMatch(/crasher: ended \(.*\); restart 1 in 100 ms \(restart policy "on-failure"\)/);
    const journal = readFileSync(join(dir, 'artifacts', 'operator', 'journal.jsonl'), 'utf8');
    expect(journal).toContain('"type":"supervisor.restart-scheduled"');

    await until(async () => (await statusJson()).services.every((s) => s.cpu_percent !== null && s.cpu_history.length > 0), 'live CPU in status');
    const status = await statusJson();
    expect(status.controlled_by?.purpose).toBe('evident supervisor');
    expect(status.sampled_at).not.toBeNull();
    const plain = await runCli(['status', ...args]);
    expect(plain.stdout).toMatch(/CPU: live, as evident supervisor \(pid \d+\) sampled it \d+ ms ago/);

    const down = await runCli(['down', ...args]);
    expect(down.exitCode).toBe(0);
    await until(() => !isAlive(supervisor), 'the supervisor gone');
    expect(lockHolder()).toBeNull();
    expect(isAlive(after.pid)).toBe(false);
    expect(readFileSync(join(dir, 'state', 'supervisor.log'), 'utf8')).toMatch(/leaving: pid \d+ asked for the fleet/);
  });

  it('a supervisor killed with SIGKILL leaves every service running, and the next up adopts them', async () => {
    expect((await runCli(['up', ...args])).exitCode).toBe(0);
    const first = await supervisorPid();
    const pids = (await statusJson()).services.map((s) => s.pid);
    pids.forEach((p) => started.add(p));
    process.kill(first, 'SIGKILL');
    await until(() => !isAlive(first), 'the supervisor killed');
    // Services write on: their output waits in the pipe, never a broken pipe.
    const status = await statusJson();
    expect(status.services.map((s) => [s.state, s.pid])).toEqual(pids.map((p) => ['running', p]));
    expect(pids.every(isAlive)).toBe(true);

    const again = await runCli(['up', ...args]);
    expect(again.exitCode).toBe(0);
    expect(again.stdout).toContain(`crasher: adopted running pid ${pids[0]}`);
    expect(again.stdout).not.toMatch(/started pid/);
    const second = await supervisorPid();
    expect(second).not.toBe(first);
    // The new supervisor restarts a crash as the first would have.
    await fetch('http://127.0.0.1:29421/crash').catch(() => {});
    await until(async () => {
      const crasher = (await statusJson()).services.find((s) => s.name === 'crasher')!;
      if (crasher.state === 'running') started.add(crasher.pid);
      return crasher.state === 'running' && crasher.pid !== pids[0];
    }, 'the crash restarted by the second supervisor');
  });

  it('a console takes the fleet from the supervisor and gives it back when it leaves the fleet running', async () => {
    expect((await runCli(['up', ...args])).exitCode).toBe(0);
    const first = await supervisorPid();
    (await statusJson()).services.forEach((s) => started.add(s.pid));
    const console = startCli(['console', ...args]);
    let code: number | null = null;
    try {
      await console.waitFor(/steady: adopted running pid/);
      await until(() => !isAlive(first), 'the supervisor to leave for the console');
      expect(lockHolder()?.purpose).toBe('evident console');
    } finally {
      console.child.kill('SIGTERM');
      code = await console.exited;
    }
    const second = await supervisorPid().catch((error: Error) => {
      throw new Error(`${error.message}\nthe console exited ${code} (${console.child.signalCode}) and printed:\n${console.output()}`);
    });
    expect(second).not.toBe(first);
    expect((await statusJson()).services.every((s) => s.state === 'running')).toBe(true);
  });

  it('a console sent SIGTERM the moment it holds the fleet, still adopting, leaves it running and hands it back', async () => {
    expect((await runCli(['up', ...args])).exitCode).toBe(0);
    const first = await supervisorPid();
    (await statusJson()).services.forEach((s) => started.add(s.pid));
    const console = startCli(['console', ...args]);
    // As soon as the lock names the console: before it has printed (or even finished adopting) anything.
    await until(() => lockHolder()?.purpose === 'evident console', 'the console to take the fleet', 30_000, 2);
    console.child.kill('SIGTERM');
    expect(await console.exited).toBe(0);
    expect(console.output()).toMatch(/console closed; left running for the next console to adopt: crasher, steady/);
    const second = await supervisorPid();
    expect(second).not.toBe(first);
    expect((await statusJson()).services.every((s) => s.state === 'running')).toBe(true);
  });

  it('bounds a 50 MiB burst on disk with no console open: the supervisor reads and rotates', async () => {
    writeFileSync(
      join(dir, 'contract.json'),
      JSON.stringify({ name: 'bursty', version: '1.0.0', services: [service('burster', 'bursts-on-request.ts', 29423)] }),
    );
    expect((await runCli(['up', ...args])).exitCode).toBe(0);
    await supervisorPid();
    (await statusJson()).services.forEach((s) => started.add(s.pid));
    // Answered once every byte went into the pipe: the supervisor read it all meanwhile.
    const response = await fetch('http://127.0.0.1:29423/burst?mb=50');
    expect(await response.text()).toBe('done');
    const logs = join(dir, 'state', 'logs');
    const size = (name: string) => (existsSync(join(logs, name)) ? statSync(join(logs, name)).size : 0);
    await until(() => readFileSync(join(logs, 'burster.log'), 'utf8').includes('the last line of the burst'), 'the burst written to the log');
    expect(size('burster.log') + size('burster.log.1')).toBeLessThanOrEqual(2 * 1024 * 1024);
    expect(size('burster.log.1')).toBeGreaterThan(0);
    expect((await statusJson()).services[0]?.state).toBe('running');
  });

  it('exits by itself once nothing of the fleet runs', async () => {
    expect((await runCli(['up', 'steady', ...args])).exitCode).toBe(0);
    const supervisor = await supervisorPid();
    const steady = (await statusJson()).services.find((s) => s.name === 'steady')!;
    started.add(steady.pid);
    // Stopped behind evident's back (no restart policy): nothing is left to supervise.
    process.kill(steady.pid, 'SIGTERM');
    await until(() => !isAlive(supervisor), 'the supervisor to exit');
    expect(lockHolder()).toBeNull();
    expect(readFileSync(join(dir, 'state', 'supervisor.log'), 'utf8')).toContain('leaving: nothing of the fleet is left running');
  });
});
