// Health probes: is a service answering? http (GET a path, expect a status, and where the
// contract says so a body), tcp (accepts a connection) and exec (a command that must exit
// 0, and where the contract says so print some text). Each resolves with a one-line
// description of what was seen; none throws, and none leaves a socket or a process behind.
import { spawn } from 'node:child_process';
import { connect } from 'node:net';
import type { ResolvedService } from '../contract/contract.ts';
import { DEFAULT_PROBE_HOST } from '../contract/probe-host.ts';
import type { ExecProbe, HttpProbe, TcpProbe } from '../contract/schema.ts';
import { commandTreeSpawnOptions, killCommandTree } from '../platform/command-tree.ts';
import type { ProbeResult } from '../telemetry/fleet-snapshot.ts';
import { BoundedBuffer } from './bounded-buffer.ts';
import { bodyProblem, checksBody, outputProblem, PROBE_READ_LIMIT } from './response-checks.ts';

// node:http through getBuiltinModule rather than `import`: an ESM import of node:http
// evaluates every named export, and its WebSocket getters load undici (~20 ms of
// start-up for every `evident status`).
const { request } = process.getBuiltinModule('node:http');

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

/**
 * GETs the probe's path and judges the status; where the contract asks about the body, it
 * reads at most PROBE_READ_LIMIT bytes of it. Either way the socket is destroyed as soon as
 * the verdict is known: a health endpoint that streams would otherwise hold it open, one
 * more every probe.
 */
export function probeHttp(probe: HttpProbe, port: number): Promise<ProbeResult> {
  const { path, expect_status: expectStatus, timeout_ms: timeoutMs } = probe;
  const host = probe.host ?? DEFAULT_PROBE_HOST;
  const started = performance.now();
  return new Promise((resolve) => {
    let settled = false;
    /** `200 OK` once the status line arrived and matched, while the body is read. */
    let readingBodyAfter: string | null = null;
    const finish = (ok: boolean, code: number | null, detail: string, mismatch?: 'body') => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.destroy();
      const result: ProbeResult = { ok, code, latencyMs: Math.round(performance.now() - started), detail, at: Date.now() };
      resolve(mismatch === undefined ? result : { ...result, mismatch });
    };
    const req = request({ host, port, path, method: 'GET', agent: false, headers: { connection: 'close' } }, (res) => {
      const code = res.statusCode ?? 0;
      const status = `${code} ${res.statusMessage ?? ''}`.trim();
      if (code !== expectStatus) return finish(false, code, `${status}, expected ${expectStatus}`);
      if (!checksBody(probe)) return finish(true, code, status);
      readingBodyAfter = status;
      const body = new BoundedBuffer(PROBE_READ_LIMIT);
      const judge = () => {
        const problem = bodyProblem(probe, body);
        finish(problem === null, code, problem === null ? status : `${status}, ${problem}`, problem === null ? undefined : 'body');
      };
      const needle = probe.expect_json === undefined ? probe.expect_body : undefined;
      const needleBytes = needle === undefined ? 0 : Buffer.byteLength(needle);
      res.on('data', (chunk: Buffer) => {
        const before = body.length;
        body.append(chunk);
        // A substring is enough to decide before the body ends (it may never end).
        if (needle !== undefined && body.includes(needle, before - needleBytes + 1)) judge();
        else if (body.full) judge();
      });
      res.on('end', judge);
      res.on('error', () => {});
    });
    const timer = setTimeout(() => {
      const what = readingBodyAfter === null ? '' : `${readingBodyAfter}, then `;
      finish(false, null, `${what}timed out after ${timeoutMs} ms${readingBodyAfter === null ? '' : ' reading the body'}`);
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
    // Only the start is kept; the rest is still drained, or a chatty probe would block on a full pipe.
    const stdout = new BoundedBuffer(PROBE_READ_LIMIT);
    const stderr = new BoundedBuffer(PROBE_READ_LIMIT);
    const finish = (ok: boolean, code: number | null, detail: string, mismatch?: 'output') => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      const result: ProbeResult = { ok, code, latencyMs: Math.round(performance.now() - started), detail, at: Date.now() };
      resolve(mismatch === undefined ? result : { ...result, mismatch });
    };
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], ...commandTreeSpawnOptions() });
    child.stdout.on('data', (chunk: Buffer) => stdout.append(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.append(chunk));
    const timer = setTimeout(() => {
      // Until it is reaped its pid and group are still ours, so the whole group can go.
      // Reaped but not closed, a process it started holds its output: nothing proves that
      // one ours any more (the group may be gone), so it is reported, not signalled.
      const reaped = child.exitCode !== null || child.signalCode !== null;
      if (!reaped && child.pid !== undefined) killCommandTree(child.pid);
      child.stdout.destroy();
      child.stderr.destroy();
      finish(false, null, reaped ? `timed out after ${timeoutMs} ms: it exited, but a process it started kept its output open` : `timed out after ${timeoutMs} ms`);
    }, timeoutMs);
    child.once('error', (error: NodeJS.ErrnoException) => finish(false, null, `could not run ${command}: ${error.code === 'ENOENT' ? 'not found' : error.message}`));
    child.once('close', (code, signal) => {
      const said = firstLine(stderr.text()) || firstLine(stdout.text());
      if (code === 0) {
        const problem = outputProblem(probe, stdout);
        if (problem === null) return finish(true, 0, 'exit 0');
        // What it printed instead is the answer the operator needs (`NOAUTH …`).
        const printed = firstLine(stdout.text()) || said;
        return finish(false, 0, `exit 0, ${problem}${printed ? `: ${printed}` : ''}`, 'output');
      }
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
