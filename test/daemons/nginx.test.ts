// Real nginx in the foreground (master and two workers), through the real CLI: up, status,
// reload (the master replaces its workers), down; and its master killed with SIGKILL, the
// workers (renamed, environment scrubbed) found ours by the service's cgroup where the host
// gives one, else by their process group (test/cli/renamed-workers.test.ts holds that
// proof without a cgroup), reaped.
// Skipped where nginx is not installed. Ports 28550–28551.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createLinuxCgroups } from '../../src/platform/linux-cgroups.ts';
import { makeDaemonFleet, portIsFree, type DaemonFleet } from '../helpers/daemon-fleet.ts';
import { isAlive, until } from '../helpers/wait.ts';

const NGINX = '/usr/sbin/nginx';
const missing = !existsSync(NGINX);
const cgroupsHere = createLinuxCgroups().unavailable === null;
let fleet: DaemonFleet | undefined;
afterEach(() => fleet?.cleanup());

function nginxFleet(label: string, port: number): DaemonFleet {
  return makeDaemonFleet(label, (dir) => {
    // Every path nginx writes under the temporary prefix, none under /var.
    writeFileSync(
      join(dir, 'nginx.conf'),
      `events { worker_connections 64; }
http {
  access_log off;
  client_body_temp_path client_body; proxy_temp_path proxy; fastcgi_temp_path fastcgi; uwsgi_temp_path uwsgi; scgi_temp_path scgi;
  server { listen 127.0.0.1:${port}; location = /healthz { return 200 "ok\\n"; } }
}
`,
    );
    return [
      {
        name: 'nginx',
        command: NGINX,
        args: ['-g', `daemon off; master_process on; worker_processes 2; pid ${dir}/nginx.pid; error_log stderr;`, '-c', join(dir, 'nginx.conf'), '-p', dir],
        port,
        health: { kind: 'http', path: '/healthz' },
        startup_timeout_s: 15,
        stop_signal: 'SIGQUIT',
        reload_signal: 'SIGHUP',
      },
    ];
  });
}

describe('real nginx in the foreground', () => {
  it.skipIf(missing)('up, status with master and two workers, reload replacing the workers, down leaving nothing (nginx not installed: apt-get install nginx-light)', async () => {
    fleet = nginxFleet('nginx', 28550);
    const up = await fleet.cli(['up']);
    expect(up.exitCode, up.stdout + up.stderr).toBe(0);
    expect(up.stdout).toContain('nginx: healthy');

    let pids: number[] = [];
    await until(async () => (pids = await fleet!.pids('nginx')).length === 3, 'nginx master and two workers in the tree');
    const [master, ...workers] = pids as [number, ...number[]];
    expect(JSON.parse(readFileSync(fleet.pidFile('nginx'), 'utf8')).pid).toBe(master);

    const reload = await fleet.cli(['reload', 'nginx']);
    expect(reload.exitCode, reload.stdout + reload.stderr).toBe(0);
    expect(reload.stdout).toContain(`nginx: sent SIGHUP to process group ${master}`);
    let after: number[] = [];
    await until(async () => {
      after = await fleet!.pids('nginx');
      return after.length === 3 && after.slice(1).every((pid) => !workers.includes(pid));
    }, 'the master to replace its workers');
    expect(after[0]).toBe(master);
    await until(() => workers.every((pid) => !isAlive(pid)), 'the old workers to end');

    const down = await fleet.cli(['down']);
    expect(down.exitCode, down.stdout + down.stderr).toBe(0);
    expect(down.stdout).toContain('nginx: stopped gracefully');
    expect(down.stdout).toContain('no process and no listener left behind');
    await until(() => after.every((pid) => !isAlive(pid)), 'every nginx process to end');
    expect(await portIsFree(28550)).toBe(true);
  });

  it.skipIf(missing)('master killed with SIGKILL: zombies reports the workers ours (by the cgroup, their group, or as recorded) and keeps the pid file; --reap ends them (nginx not installed: apt-get install nginx-light)', async () => {
    fleet = nginxFleet('nginx-killed', 28551);
    const up = await fleet.cli(['up']);
    expect(up.exitCode, up.stdout + up.stderr).toBe(0);
    let pids: number[] = [];
    await until(async () => (pids = await fleet!.pids('nginx')).length === 3, 'nginx master and two workers in the tree');
    const [master, ...workers] = pids as [number, ...number[]];

    process.kill(master, 'SIGKILL');
    await until(() => !isAlive(master), 'the master to die');
    const pidFile = readFileSync(fleet.pidFile('nginx'));

    const look = await fleet.cli(['zombies']);
    expect(look.exitCode, look.stdout + look.stderr).toBe(1);
    for (const worker of workers) expect(look.stdout).toContain(`orphan process of nginx: pid ${worker} ppid 1 nginx: worker process`);
    // The cgroup, where the host gives one, outranks every other proof; without it, the
    // background supervisor `up` left may have recorded the workers before the kill.
    expect(look.stdout).toMatch(cgroupsHere ? /\[ours: by its service's cgroup \/\S*evident-[0-9a-f]+\/nginx\]/ : /\[ours: by (its service's process group \d+|its recorded pid and start time)/);
    expect(look.stdout).not.toContain('not proven ours');
    // The padding nginx left after its title is gone from what is shown.
    expect(look.stdout).not.toMatch(/worker process {2}/);
    expect(readFileSync(fleet.pidFile('nginx')).equals(pidFile)).toBe(true);

    const reap = await fleet.cli(['zombies', '--reap']);
    expect(reap.exitCode, reap.stdout + reap.stderr).toBe(0);
    for (const worker of workers) expect(reap.stdout).toContain(`reaped pid ${worker}`);
    await until(() => workers.every((pid) => !isAlive(pid)), 'the workers to end');
    await until(() => portIsFree(28551), 'port 28551 to be free');
    expect((await fleet.cli(['zombies'])).exitCode).toBe(0);
  });
});
