// A fleet of one real daemon (nginx, redis-server, memcached) in a temporary folder, run
// through the real CLI: its contract, state and artifacts folders, the CLI flags that name
// them, and a cleanup that SIGKILLs every pid the test learnt of (workers included) and
// every service process group a pid file still names (a test that failed before it looked).
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, type CliResult } from './run-cli.ts';
import { killAll } from './kill-and-wait.ts';

export interface DaemonFleet {
  dir: string;
  /** `--contract`, `--state-dir`, `--artifacts-dir` for every command. */
  args: string[];
  pidFile(service: string): string;
  cli(command: string[]): Promise<CliResult>;
  /** The service's `pids` (its process tree) from `status --json`. */
  pids(service: string): Promise<number[]>;
  track(pids: number[]): void;
  cleanup(): void;
}

export function makeDaemonFleet(label: string, services: (dir: string) => Record<string, unknown>[]): DaemonFleet {
  const dir = mkdtempSync(join(tmpdir(), `evident-${label}-`));
  const contract = join(dir, 'contract.json');
  writeFileSync(contract, JSON.stringify({ name: label, version: '1.0.0', services: services(dir) }, null, 2));
  const args = ['--contract', contract, '--state-dir', join(dir, 'state'), '--artifacts-dir', join(dir, 'artifacts')];
  const tracked = new Set<number>();
  const cli = (command: string[]) => runCli([...command, ...args]);
  return {
    dir,
    args,
    pidFile: (service) => join(dir, 'state', 'pids', `${service}.json`),
    cli,
    async pids(service) {
      const status = JSON.parse((await cli(['status', '--json'])).stdout) as { services: { name: string; pids: number[] }[] };
      const pids = status.services.find((s) => s.name === service)?.pids ?? [];
      for (const pid of pids) tracked.add(pid);
      return pids;
    },
    track: (pids) => pids.forEach((pid) => tracked.add(pid)),
    cleanup() {
      const pids = join(dir, 'state', 'pids');
      for (const file of existsSync(pids) ? readdirSync(pids).filter((f) => f.endsWith('.json')) : []) {
        const pid = (JSON.parse(readFileSync(join(pids, file), 'utf8')) as { pid?: unknown }).pid;
        // evident started the service in a session of its own: its group id is its pid.
        if (typeof pid === 'number') tracked.add(-pid).add(pid);
      }
      killAll(tracked);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Whether nothing listens on 127.0.0.1:<port> (binding it succeeds). */
export function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}
