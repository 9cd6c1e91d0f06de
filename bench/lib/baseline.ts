// The services' own boot and exit time: a plain spawn-and-poll launcher with no
// supervisor in it. It spawns each service as soon as everything it depends on is healthy
// (independent ones in parallel, the same schedule evident uses), with the environment
// evident gives services, and polls every probe every 5 ms. Stopping is SIGTERM to each
// service's process group in reverse dependency order, waiting for every process of the
// group to end and the port to close.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { request } from 'node:http';
import { connect } from 'node:net';
import { join } from 'node:path';
import type { Contract, ResolvedService } from '../../src/contract/contract.ts';
import { resolveStatePaths } from '../../src/paths/state-paths.ts';
import { serviceEnvironment } from '../../src/supervisor/spawn-service.ts';
import { benchEnv } from './demo-fleet.ts';
import { groupAlive, killQuietly, portOpen, sleep } from './processes.ts';

export const POLL_MS = 5;

export interface BaselineService {
  name: string;
  child: ChildProcess;
  pid: number;
  port: number;
  exited: Promise<void>;
  /** From spawn to the first passing probe. */
  bootMs: number;
}

export interface BaselineFleet {
  services: BaselineService[];
  /** From the first spawn to the last service healthy. */
  totalMs: number;
}

export async function bootBaseline(contract: Contract, stateDir: string, timeoutMs = 90_000): Promise<BaselineFleet> {
  const paths = resolveStatePaths(stateDir);
  mkdirSync(paths.logs, { recursive: true });
  const base = benchEnv();
  const started = new Map<string, Promise<BaselineService>>();
  const all: BaselineService[] = [];
  const t0 = performance.now();
  const deadline = t0 + timeoutMs;
  const startOne = (spec: ResolvedService): Promise<BaselineService> => {
    const existing = started.get(spec.name);
    if (existing) return existing;
    const promise = (async () => {
      await Promise.all(spec.depends_on.map((d) => startOne(serviceNamed(contract, d))));
      const spawnedAt = performance.now();
      const log = openSync(join(paths.logs, `${spec.name}.log`), 'a');
      let child: ChildProcess;
      try {
        child = spawn(spec.command, spec.args, {
          cwd: spec.cwd,
          env: serviceEnvironment(spec, paths, base),
          stdio: ['ignore', log, log],
          detached: true,
        });
      } finally {
        closeSync(log);
      }
      const exited = new Promise<void>((r) => child.once('exit', () => r()));
      await new Promise<void>((r, reject) => {
        child.once('spawn', () => r());
        child.once('error', reject);
      });
      const service: BaselineService = { name: spec.name, child, pid: child.pid as number, port: spec.port, exited, bootMs: 0 };
      all.push(service);
      while (!(await probeOnce(spec))) {
        if (performance.now() > deadline) throw new Error(`baseline: ${spec.name} not healthy within ${timeoutMs} ms`);
        await sleep(POLL_MS);
      }
      service.bootMs = performance.now() - spawnedAt;
      return service;
    })();
    started.set(spec.name, promise);
    return promise;
  };
  try {
    await Promise.all(contract.services.map(startOne));
  } catch (error) {
    await stopBaseline(contract, all).catch(() => {});
    throw error;
  }
  return { services: all, totalMs: performance.now() - t0 };
}

/** SIGTERM each service's group once its dependents are gone; resolves when all processes and ports are. */
export async function stopBaseline(contract: Contract, services: readonly BaselineService[], timeoutMs = 30_000): Promise<number> {
  const byName = new Map(services.map((s) => [s.name, s]));
  const done = new Map<string, Promise<void>>();
  const t0 = performance.now();
  const stopOne = (spec: ResolvedService): Promise<void> => {
    const existing = done.get(spec.name);
    if (existing) return existing;
    const promise = (async () => {
      const dependents = contract.services.filter((s) => s.depends_on.includes(spec.name));
      await Promise.all(dependents.map(stopOne));
      const service = byName.get(spec.name);
      if (!service) return;
      killQuietly(-service.pid, 'SIGTERM');
      const deadline = performance.now() + timeoutMs;
      while (groupAlive(service.pid) || (await portOpen(service.port))) {
        if (performance.now() > deadline) {
          killQuietly(-service.pid, 'SIGKILL');
          throw new Error(`baseline: ${spec.name} did not exit within ${timeoutMs} ms (killed)`);
        }
        await sleep(POLL_MS);
      }
      await service.exited;
    })();
    done.set(spec.name, promise);
    return promise;
  };
  await Promise.all(contract.services.map(stopOne));
  return performance.now() - t0;
}

/** Kills whatever a failed baseline run left (SIGKILL to each group). */
export function killBaseline(services: readonly BaselineService[]): void {
  for (const s of services) killQuietly(-s.pid, 'SIGKILL');
}

function serviceNamed(contract: Contract, name: string): ResolvedService {
  const spec = contract.services.find((s) => s.name === name);
  if (!spec) throw new Error(`no service ${name}`);
  return spec;
}

/**
 * One probe, as cheap as it can be: http and tcp as declared. An exec probe whose
 * arguments name an http URL (the demo's `node healthcheck.mjs <url>`) is observed by GETting
 * that URL directly, which is what the command itself checks (2xx), without paying a
 * process start per poll.
 */
export function probeOnce(spec: ResolvedService): Promise<boolean> {
  const health = spec.health;
  switch (health.kind) {
    case 'http':
      return httpOk(`http://127.0.0.1:${health.port ?? spec.port}${health.path}`, (code) => code === health.expect_status, health.timeout_ms);
    case 'tcp':
      return tcpOk(health.port ?? spec.port, health.timeout_ms);
    case 'exec': {
      const url = health.args.find((a) => /^https?:\/\//.test(a));
      if (!url) throw new Error(`baseline: exec probe of ${spec.name} names no URL; cannot observe it directly`);
      return httpOk(url, (code) => code >= 200 && code < 300, health.timeout_ms);
    }
    default:
      throw new Error('unknown probe kind');
  }
}

function httpOk(url: string, accept: (code: number) => boolean, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request(url, { agent: false, headers: { connection: 'close' }, timeout: timeoutMs }, (res) => {
      res.resume();
      resolve(accept(res.statusCode ?? 0));
    });
    req.once('timeout', () => req.destroy());
    req.once('error', () => resolve(false));
    req.end();
  });
}

function tcpOk(port: number, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    const finish = (ok: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(ok);
    };
    const timer = setTimeout(() => finish(false), timeoutMs);
    socket.once('connect', () => finish(true));
    socket.once('error', () => finish(false));
  });
}
