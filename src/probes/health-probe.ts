// Health probes: is a service answering? http (GET a path, expect a status), tcp
// (accepts a connection) and exec (a command that must exit 0). Each resolves with a
// one-line description of what was seen; none throws.
import { spawn } from 'node:child_process';
import { connect } from 'node:net';
import { commandTreeSpawnOptions, killCommandTree } from '../platform/command-tree.ts';
import type { ResolvedService } from '../contract/contract.ts';
import { DEFAULT_PROBE_HOST } from '../contract/probe-host.ts';
import type { ExecProbe, HttpProbe, TcpProbe } from '../contract/schema.ts';
import type { ProbeResult } from '../telemetry/fleet-snapshot.ts';

// node:http through getBuiltinModule rather than `import`: an ESM import of node:http
// evaluates every named export, and its WebSocket getters load undici (~20 ms of
// start-up for every `evident status`).
const { request } = process.getBuiltinModule('node:http');

/** Enough of a failing probe's output for its first line. */
const OUTPUT_LIMIT = 64 * 1024;

export function probeService(service: ResolvedService): Promise<ProbeResult> {
  const probe = service.health;
  switch (probe.kind) {
    case 'http':
      return probeHttp(probe, probe.port ?? service.port);
    case 'tcp':
      return probeTcp(probe, probe.port ?? service.port);
    case 'exec':
      return probeExec(probe, service.cwd);
    default:
      throw new Error(`unknown probe kind ${(probe as { kind: string }).kind}`);
  }
}

export function probeHttp(probe: HttpProbe, port: number): Promise<ProbeResult> {
  const { path, expect_status: expectStatus, timeout_ms: timeoutMs } = probe;
  const host = probe.host ?? DEFAULT_PROBE_HOST;
  const started = performance.now();
  return new Promise((resolve) => {
    let settled = false;
    const finish = (ok: boolean, code: number | null, detail: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ ok, code, latencyMs: Math.round(performance.now() - started), detail, at: Date.now() });
    };
    const req = request({ host, port, path, method: 'GET', agent: false, headers: { connection: 'close' } }, (res) => {
      const code = res.statusCode ?? 0;
      const ok = code === expectStatus;
      finish(ok, code, ok ? `${code} ${res.statusMessage ?? ''}`.trim() : `${code} ${res.statusMessage ?? ''}, expected ${expectStatus}`.trim());
      // The status is all this probe reads: a health endpoint that streams its body
      // would otherwise hold the socket open, one more every probe.
      req.destroy();
    });
    const timer = setTimeout(() => {
      finish(false, null, `timed out after ${timeoutMs} ms`);
      req.destroy();
    }, timeoutMs);
    req.on('error', (error: NodeJS.ErrnoException) => finish(false, null, describeSocketError(error, host)));
    req.end();
  });
}

export function probeTcp(probe: TcpProbe, port: number): Promise<ProbeResult> {
  const timeoutMs = probe.timeout_ms;
  const host = probe.host ?? DEFAULT_PROBE_HOST;
  // The default host is left unsaid, as it always was; another is named.
  const where = host === DEFAULT_PROBE_HOST ? `port ${port}` : `port ${port} on ${host}`;
  const started = performance.now();
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const finish = (ok: boolean, detail: string) => {
      clearTimeout(timer);
      socket.destroy();
      resolve({ ok, code: null, latencyMs: Math.round(performance.now() - started), detail, at: Date.now() });
    };
    const timer = setTimeout(() => finish(false, `timed out after ${timeoutMs} ms`), timeoutMs);
    socket.once('connect', () => finish(true, `${where} accepts connections`));
    socket.once('error', (error: NodeJS.ErrnoException) => finish(false, describeSocketError(error, host)));
  });
}

/**
 * Runs the probe command (no shell) and waits for it to exit. It resolves the command
 * exactly as services are spawned (node:child_process, the platform's own PATH search),
 * and loads nothing: execa's ~60 modules were most of `evident status`'s wall time.
 * A probe that outlives its timeout is killed with every process it started.
 */
export function probeExec(probe: ExecProbe, cwd: string): Promise<ProbeResult> {
  const { command, args, timeout_ms: timeoutMs } = probe;
  const started = performance.now();
  return new Promise((resolve) => {
    let settled = false;
    const output = { stdout: '', stderr: '' };
    const finish = (ok: boolean, code: number | null, detail: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ ok, code, latencyMs: Math.round(performance.now() - started), detail, at: Date.now() });
    };
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], ...commandTreeSpawnOptions() });
    const keep = (stream: 'stdout' | 'stderr') => (chunk: Buffer) => {
      if (output[stream].length < OUTPUT_LIMIT) output[stream] += chunk.toString('utf8');
    };
    child.stdout.on('data', keep('stdout'));
    child.stderr.on('data', keep('stderr'));
    const timer = setTimeout(() => {
      // Until it is reaped its pid and group are still ours, so the whole group can go.
      // Reaped but not closed, a process it started holds its output: that one has no
      // proof left that it is ours, so it is named, not signalled.
      const reaped = child.exitCode !== null || child.signalCode !== null;
      if (!reaped && child.pid !== undefined) killCommandTree(child.pid);
      child.stdout.destroy();
      child.stderr.destroy();
      finish(false, null, reaped ? `timed out after ${timeoutMs} ms: it exited, but a process it started kept its output open` : `timed out after ${timeoutMs} ms`);
    }, timeoutMs);
    child.once('error', (error: NodeJS.ErrnoException) => finish(false, null, `could not run ${command}: ${error.code === 'ENOENT' ? 'not found' : error.message}`));
    child.once('close', (code, signal) => {
      if (code === 0) return finish(true, 0, 'exit 0');
      const said = firstLine(output.stderr) || firstLine(output.stdout);
      const how = code === null ? `killed by ${signal}` : `exit ${code}`;
      finish(false, code, `${how}${said ? `: ${said}` : ''}`);
    });
  });
}

function describeSocketError(error: NodeJS.ErrnoException, host: string): string {
  switch (error.code) {
    case 'ECONNREFUSED':
      return 'connection refused';
    case 'ECONNRESET':
      return 'connection reset';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `host ${host} not found`;
    default:
      return error.code ? `${error.code.toLowerCase()}: ${error.message}` : error.message;
  }
}

function firstLine(text: string): string {
  return (text.split('\n').find((l) => l.trim() !== '') ?? '').trim().slice(0, 200);
}
