// Starts real fleet services (node fleet/<name>.ts) on free ports for the fleet tests,
// and makes sure every process a test started is gone when the test file ends.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

export const FLEET_DIR = fileURLToPath(new URL('../../fleet/', import.meta.url));

export type ServiceName = 'memory-engine' | 'model-router' | 'pipecat' | 'openclaw' | 'eva-os' | 'api-gateway';

export const UPSTREAM_ENV: Record<string, ServiceName> = {
  MEMORY_ENGINE_URL: 'memory-engine',
  MODEL_ROUTER_URL: 'model-router',
  PIPECAT_URL: 'pipecat',
  OPENCLAW_URL: 'openclaw',
  EVA_OS_URL: 'eva-os',
};

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Milliseconds from the call that asked it to stop (or from spawn) to its exit. */
  at: number;
}

export interface RunningService {
  name: ServiceName;
  port: number;
  url: string;
  pid: number;
  child: ChildProcess;
  /** performance.now() when it was spawned. */
  spawnedAt: number;
  exited: Promise<Exit>;
  /** Everything it wrote to stdout and stderr so far. */
  output(): string;
}

export interface Boot {
  /** Spawn to first 200 on /healthz. */
  ms: number;
  /** A 503 {status:"starting"} was seen before the 200. */
  sawStarting: boolean;
}

/** A port nobody listens on right now (the OS picks it, so never one of the contract's 7000–7050). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port from the OS');
  return address.port;
}

export interface FleetScope {
  stateDir: string;
  /** A port that was free when the scope began: upstream URLs point here unless told otherwise. */
  deadPort: number;
  start(
    name: ServiceName,
    options?: {
      env?: Record<string, string>;
      upstreams?: Partial<Record<ServiceName, RunningService>>;
      port?: number;
      /** Its own process group (POSIX), so a test can signal the whole group as a supervisor would. */
      detached?: boolean;
    },
  ): Promise<RunningService>;
  /** Starts and waits for /healthz 200. */
  startHealthy(name: ServiceName, options?: Parameters<FleetScope['start']>[1]): Promise<RunningService & { boot: Boot }>;
  /** Kills every process started in this scope that is still alive, and removes the temp folder. */
  cleanup(): Promise<void>;
  /** Also kill this pid in cleanup (e.g. openclaw's worker), if it still looks like ours. */
  track(pid: number, commandMustContain: string): void;
}

export async function createFleetScope(): Promise<FleetScope> {
  const stateDir = mkdtempSync(join(tmpdir(), 'evident-fleet-test-'));
  const deadPort = await freePort();
  const started: RunningService[] = [];
  const tracked: { pid: number; mark: string }[] = [];

  const scope: FleetScope = {
    stateDir,
    deadPort,
    async start(name, options = {}) {
      const port = options.port ?? (await freePort());
      const env: Record<string, string> = {};
      for (const [key, value] of Object.entries(process.env)) {
        // The runner's own fleet settings must not leak into a test's services.
        if (value === undefined || key.startsWith('EVIDENT_') || key in UPSTREAM_ENV) continue;
        if (key === 'PORT' || key === 'MEMORY_DB' || key === 'GATEWAY_UPSTREAM_TIMEOUT_MS') continue;
        env[key] = value;
      }
      for (const [key, upstream] of Object.entries(UPSTREAM_ENV)) {
        env[key] = options.upstreams?.[upstream]?.url ?? `http://127.0.0.1:${deadPort}`;
      }
      Object.assign(env, { PORT: String(port), EVIDENT_SERVICE: name, EVIDENT_STATE_DIR: stateDir }, options.env);
      const spawnedAt = performance.now();
      const child = spawn(process.execPath, [`${name}.ts`], { cwd: FLEET_DIR, env, stdio: ['ignore', 'pipe', 'pipe'], detached: options.detached ?? false });
      if (child.pid === undefined) throw new Error(`could not spawn ${name}`);
      let output = '';
      child.stdout?.on('data', (d: Buffer) => (output += d.toString('utf8')));
      child.stderr?.on('data', (d: Buffer) => (output += d.toString('utf8')));
      const exited = new Promise<Exit>((resolve) =>
        child.once('exit', (code, signal) => resolve({ code, signal, at: performance.now() })),
      );
      const service: RunningService = { name, port, url: `http://127.0.0.1:${port}`, pid: child.pid, child, spawnedAt, exited, output: () => output };
      started.push(service);
      return service;
    },
    async startHealthy(name, options) {
      const service = await scope.start(name, options);
      const boot = await waitHealthy(service);
      return { ...service, boot };
    },
    track(pid, mark) {
      tracked.push({ pid, mark });
    },
    async cleanup() {
      for (const service of started) {
        if (service.child.exitCode === null && service.child.signalCode === null) service.child.kill('SIGKILL');
      }
      await Promise.all(started.map((s) => s.exited));
      for (const { pid, mark } of tracked) {
        // Only a pid whose command line still names what we started (pids are reused).
        if (commandLine(pid)?.includes(mark) === true) process.kill(pid, 'SIGKILL');
      }
      rmSync(stateDir, { recursive: true, force: true });
    },
  };
  return scope;
}

/**
 * Polls /healthz every 10 ms until 200; throws (with the service's output) after
 * `timeoutMs`, which only bounds a service that never gets there (a busy machine can
 * take seconds to start Node).
 */
export async function waitHealthy(service: RunningService, timeoutMs = 30_000): Promise<Boot> {
  let sawStarting = false;
  const deadline = service.spawnedAt + timeoutMs;
  let exitedEarly = false;
  void service.exited.then(() => (exitedEarly = true));
  while (performance.now() < deadline && !exitedEarly) {
    try {
      const response = await fetch(`${service.url}/healthz`, { signal: AbortSignal.timeout(1000) });
      const body = (await response.json()) as { status?: string };
      if (response.status === 200) return { ms: Math.round(performance.now() - service.spawnedAt), sawStarting };
      if (response.status === 503 && body.status === 'starting') sawStarting = true;
    } catch {
      // not listening yet
    }
    await delay(10);
  }
  throw new Error(`${service.name} was not healthy within ${timeoutMs} ms${exitedEarly ? ' (it exited)' : ''}:\n${service.output()}`);
}

/** Sends `signal` and waits for the exit; `at` becomes the time the exit took. */
export async function stop(service: RunningService, signal: NodeJS.Signals = 'SIGTERM', timeoutMs = 5000): Promise<Exit> {
  const asked = performance.now();
  service.child.kill(signal);
  const exit = await Promise.race([service.exited, delay(timeoutMs, null)]);
  if (exit === null) throw new Error(`${service.name} did not exit within ${timeoutMs} ms of ${signal}:\n${service.output()}`);
  return { ...exit, at: Math.round(exit.at - asked) };
}

export async function getJson(url: string, init?: RequestInit): Promise<{ status: number; body: any }> {
  const response = await fetch(url, { ...init, signal: AbortSignal.timeout(10_000) });
  const text = await response.text();
  return { status: response.status, body: text === '' ? null : JSON.parse(text) };
}

export function postJson(url: string, body: unknown): Promise<{ status: number; body: any }> {
  return getJson(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

/** Linux: the process's parent pid and state letter from /proc/<pid>/stat, or null when it is gone. */
export function procStat(pid: number): { ppid: number; state: string } | null {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  // The command name (field 2) may hold spaces and parentheses: parse after the last ')'.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return { state: fields[0] ?? '?', ppid: Number(fields[1]) };
}

/** Linux: pids whose parent is `pid`. */
export function childPids(pid: number): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .map(Number)
    .filter((candidate) => procStat(candidate)?.ppid === pid);
}

/** Linux: gone, or a zombie waiting for its (new) parent to reap it; either way it runs no more. */
export function hasExited(pid: number): boolean {
  const stat = procStat(pid);
  return stat === null || stat.state === 'Z';
}

export function commandLine(pid: number): string | null {
  const path = `/proc/${pid}/cmdline`;
  if (!existsSync(path)) return null;
  try {
    return readFileSync(path, 'utf8').split('\0').join(' ').trim();
  } catch {
    return null;
  }
}

/** Polls `check` every 10 ms until it is true or `timeoutMs` passes; returns the last answer. */
export async function eventually(check: () => boolean | Promise<boolean>, timeoutMs = 2000): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    if (await check()) return true;
    await delay(10);
  }
  return check();
}
