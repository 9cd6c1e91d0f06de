// Services declared `daemonizes` with a `pid_file` (systemd's Type=forking + PIDFile=),
// through the real command: the launcher exits 0, the daemon named in the pid file is
// the service's process for `up`, `status` and `down`, and nothing is left. A fixture
// that double-forks, then nginx (`daemon on;`) and redis-server (`--daemonize yes`)
// where installed. Ports 28500–28509.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.ts';
import { fixtureService } from '../helpers/temp-fleet.ts';
import { portIsFree } from '../helpers/daemon-fleet.ts';
import { killAll } from '../helpers/kill-and-wait.ts';
import { isAlive, until } from '../helpers/wait.ts';

const NGINX = '/usr/sbin/nginx';
const REDIS = '/usr/bin/redis-server';
const dir = mkdtempSync(join(tmpdir(), 'evident-daemonizing-'));
const started = new Set<number>();

afterEach(() => {
  killAll(started);
  started.clear();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A fleet of one service in its own folder; returns the CLI arguments and that folder. */
function fleetOf(name: string, service: Record<string, unknown>): { args: string[]; folder: string } {
  const folder = join(dir, name);
  mkdirSync(folder, { recursive: true });
  const contract = join(folder, 'contract.json');
  writeFileSync(contract, JSON.stringify({ name, version: '1.0.0', services: [service] }));
  return { folder, args: ['--contract', contract, '--state-dir', join(folder, 'state'), '--artifacts-dir', join(folder, 'artifacts')] };
}

/** Live processes in the process group `pgid`. */
function groupMembers(pgid: number): number[] {
  return readdirSync('/proc').filter((e) => /^\d+$/.test(e)).map(Number).filter((pid) => {
    try {
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
      return fields[0] !== 'Z' && Number(fields[2]) === pgid;
    } catch {
      return false;
    }
  });
}

/** The test's title, saying why it is skipped where `program` is absent. */
function needing(program: string, title: string): string {
  return existsSync(program) ? title : `${title} (skipped: ${program} is not installed)`;
}

function pidIn(path: string): number {
  return Number(readFileSync(path, 'utf8').trim());
}

/** up → the daemon named in `pidFile` is the service's recorded process, status says running; down → nothing left. */
async function upStatusDown(name: string, service: Record<string, unknown>, port: number, pidFile: string, folder: string, args: string[]): Promise<string[]> {
  const up = await runCli(['up', ...args]);
  expect(up.exitCode, up.stdout + up.stderr).toBe(0);
  const daemon = pidIn(pidFile);
  const stat = readFileSync(`/proc/${daemon}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  const members = groupMembers(Number(stat[2]));
  for (const pid of [daemon, ...members]) started.add(pid);
  const record = JSON.parse(readFileSync(join(folder, 'state', 'pids', `${service.name as string}.json`), 'utf8'));
  expect(record.pid).toBe(daemon);
  expect(record.daemon).toMatchObject({ pid_file: pidFile });
  expect(record.daemon.proof.slice(0, 2)).toEqual(['pid_file', 'started_after_launcher']);
  expect(record.daemon.launcher_pid).not.toBe(daemon);
  expect(`${up.stdout}${up.stderr}`).not.toMatch(/exited|is closed/);

  // It called setsid: the session and group it is in now are what is recorded (it leads
  // them when it forked once, as nginx and redis do; not after a second fork).
  expect([record.pgid, record.sid]).toEqual([Number(stat[2]), Number(stat[3])]);

  const status = await runCli(['status', '--json', ...args]);
  expect(status.exitCode, status.stdout + status.stderr).toBe(0);
  expect(JSON.parse(status.stdout).services[0]).toMatchObject({ name: service.name, state: 'running', pid: daemon });

  const down = await runCli(['down', ...args]);
  expect(down.exitCode, down.stdout + down.stderr).toBe(0);
  expect(members).toContain(daemon);
  await until(() => members.every((pid) => !isAlive(pid)), `${name}'s daemon ${daemon} and its group ${members.join(' ')} to end`, 10_000);
  expect(await portIsFree(port)).toBe(true);
  const zombies = await runCli(['zombies', ...args]);
  expect(zombies.exitCode, zombies.stdout).toBe(0);
  return record.daemon.proof;
}

describe('a service declared daemonizes, followed from its pid_file', () => {
  it('up follows the daemon the pid file names, status shows it running, down stops it with nothing left', async () => {
    const port = 28500;
    const service = fixtureService('forky', 'daemonizes-with-pid-file.py', port, { daemonizes: true, pid_file: 'run/forky.pid' });
    const { args, folder } = fleetOf('fixture', service);
    mkdirSync(join(folder, 'run'));
    service.args = [...(service.args as string[]), join(folder, 'run/forky.pid')];
    writeFileSync(join(folder, 'contract.json'), JSON.stringify({ name: 'fixture', version: '1.0.0', services: [service] }));
    await upStatusDown('the fixture', service, port, join(folder, 'run/forky.pid'), folder, args);
  });

  it('a launcher that exits non-zero fails the start with its code and log', async () => {
    const service = fixtureService('forky', 'daemonizes-with-pid-file.py', 28501, { daemonizes: true, pid_file: 'forky.pid' });
    service.args = [...(service.args as string[]), 'unused.pid', '--fail'];
    const { args } = fleetOf('fails', service);
    const up = await runCli(['up', ...args]);
    expect(up.exitCode).toBe(1);
    expect(up.stdout + up.stderr).toMatch(/its launcher \(pid \d+\) exited with code 3/);
    expect(up.stdout + up.stderr).toContain('refusing to start');
  });

  it('a pid file that never appears fails after startup_timeout_s naming the file, and the daemon is stopped', async () => {
    const port = 28502;
    const service = fixtureService('forky', 'daemonizes-with-pid-file.py', port, { daemonizes: true, pid_file: 'never.pid', startup_timeout_s: 2 });
    const { args, folder } = fleetOf('no-pid-file', service);
    service.args = [...(service.args as string[]), join(folder, 'never.pid'), '--no-pid-file'];
    writeFileSync(join(folder, 'contract.json'), JSON.stringify({ name: 'no-pid-file', version: '1.0.0', services: [service] }));
    const up = await runCli(['up', ...args]);
    expect(up.exitCode).toBe(1);
    expect(up.stdout + up.stderr).toContain(`${join(folder, 'never.pid')} did not appear within 2 s after its launcher exited 0`);
    // The daemon it forked carries the fleet's tag: the failed start stopped it.
    await until(() => portIsFree(port), 'the unnamed daemon to be stopped', 10_000);
  });

  it.skipIf(!existsSync(NGINX))(needing(NGINX, 'nginx with "daemon on;": its master and workers are followed and stopped'), async () => {
    const port = 28503;
    const folder = join(dir, 'nginx');
    mkdirSync(join(folder, 'logs'), { recursive: true });
    const pidFile = join(folder, 'nginx.pid');
    writeFileSync(join(folder, 'nginx.conf'), [
      'daemon on; master_process on; worker_processes 2;',
      `pid ${pidFile}; error_log ${join(folder, 'logs/error.log')};`,
      'events { worker_connections 64; }',
      `http { access_log off; client_body_temp_path ${folder}/body; proxy_temp_path ${folder}/proxy; fastcgi_temp_path ${folder}/fastcgi; uwsgi_temp_path ${folder}/uwsgi; scgi_temp_path ${folder}/scgi;`,
      `  server { listen 127.0.0.1:${port}; location / { return 200 "ok"; } } }`,
    ].join('\n'));
    const service = {
      name: 'web', command: NGINX, args: ['-p', folder, '-c', join(folder, 'nginx.conf'), '-e', join(folder, 'logs/error.log')],
      port, health: { kind: 'http', path: '/' }, daemonizes: true, pid_file: 'nginx.pid', stop_signal: 'SIGQUIT', startup_timeout_s: 10, stop_timeout_s: 5,
    };
    const { args } = fleetOf('nginx', service);
    await upStatusDown('nginx', service, port, pidFile, folder, args);
  });

  it.skipIf(!existsSync(REDIS))(needing(REDIS, 'redis-server --daemonize yes is followed and stopped'), async () => {
    const port = 28504;
    const folder = join(dir, 'redis');
    mkdirSync(folder, { recursive: true });
    const pidFile = join(folder, 'redis.pid');
    const service = {
      name: 'cache', command: REDIS, args: ['--port', String(port), '--bind', '127.0.0.1', '--daemonize', 'yes', '--pidfile', pidFile, '--dir', folder, '--save', '', '--logfile', join(folder, 'redis.log')],
      port, health: { kind: 'tcp' }, daemonizes: true, pid_file: 'redis.pid', startup_timeout_s: 10, stop_timeout_s: 5,
    };
    const { args } = fleetOf('redis', service);
    // redis rewrites its environment's memory with its process title: no tag to read.
    expect(await upStatusDown('redis', service, port, pidFile, folder, args)).toEqual(['pid_file', 'started_after_launcher']);
  });
});
