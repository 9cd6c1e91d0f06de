// Health probes: is a service answering? http (GET a path, expect a status), tcp
// (accepts a connection) and exec (a command that must exit 0). Each resolves with a
// one-line description of what was seen; none throws.
import { request } from 'node:http';
import { connect } from 'node:net';
import type { ResolvedService } from '../contract/contract.ts';
import type { ProbeResult } from '../telemetry/fleet-snapshot.ts';

const HOST = '127.0.0.1';

export function probeService(service: ResolvedService): Promise<ProbeResult> {
  const probe = service.health;
  switch (probe.kind) {
    case 'http':
      return probeHttp(probe.port ?? service.port, probe.path, probe.expect_status, probe.timeout_ms);
    case 'tcp':
      return probeTcp(probe.port ?? service.port, probe.timeout_ms);
    case 'exec':
      return probeExec(probe.command, probe.args, service.cwd, probe.timeout_ms);
    default:
      throw new Error(`unknown probe kind ${(probe as { kind: string }).kind}`);
  }
}

export function probeHttp(port: number, path: string, expectStatus: number, timeoutMs: number): Promise<ProbeResult> {
  const started = performance.now();
  return new Promise((resolve) => {
    let settled = false;
    const finish = (ok: boolean, code: number | null, detail: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ ok, code, latencyMs: Math.round(performance.now() - started), detail, at: Date.now() });
    };
    const req = request({ host: HOST, port, path, method: 'GET', agent: false, headers: { connection: 'close' } }, (res) => {
      res.resume();
      const code = res.statusCode ?? 0;
      const ok = code === expectStatus;
      finish(ok, code, ok ? `${code} ${res.statusMessage ?? ''}`.trim() : `${code} ${res.statusMessage ?? ''}, expected ${expectStatus}`.trim());
    });
    const timer = setTimeout(() => {
      finish(false, null, `timed out after ${timeoutMs} ms`);
      req.destroy();
    }, timeoutMs);
    req.on('error', (error: NodeJS.ErrnoException) => finish(false, null, describeSocketError(error)));
    req.end();
  });
}

export function probeTcp(port: number, timeoutMs: number): Promise<ProbeResult> {
  const started = performance.now();
  return new Promise((resolve) => {
    const socket = connect({ host: HOST, port });
    const finish = (ok: boolean, detail: string) => {
      clearTimeout(timer);
      socket.destroy();
      resolve({ ok, code: null, latencyMs: Math.round(performance.now() - started), detail, at: Date.now() });
    };
    const timer = setTimeout(() => finish(false, `timed out after ${timeoutMs} ms`), timeoutMs);
    socket.once('connect', () => finish(true, `port ${port} accepts connections`));
    socket.once('error', (error: NodeJS.ErrnoException) => finish(false, describeSocketError(error)));
  });
}

export async function probeExec(command: string, args: string[], cwd: string, timeoutMs: number): Promise<ProbeResult> {
  // execa is loaded on first use: most fleets have no exec probe, and it is ~10 MB of RSS.
  const { execa } = await import('execa');
  const started = performance.now();
  const result = await execa(command, args, {
    cwd,
    timeout: timeoutMs,
    reject: false,
    stdin: 'ignore',
    windowsHide: true,
    maxBuffer: 64 * 1024,
  });
  const latencyMs = Math.round(performance.now() - started);
  const at = Date.now();
  if (result.timedOut) return { ok: false, code: null, latencyMs, detail: `timed out after ${timeoutMs} ms`, at };
  if (result.failed && result.exitCode === undefined) {
    return { ok: false, code: null, latencyMs, detail: firstLine(result.shortMessage ?? 'could not run'), at };
  }
  const code = result.exitCode ?? null;
  const output = firstLine(String(result.stderr || result.stdout || ''));
  if (code === 0) return { ok: true, code, latencyMs, detail: 'exit 0', at };
  return { ok: false, code, latencyMs, detail: `exit ${code}${output ? `: ${output}` : ''}`, at };
}

function describeSocketError(error: NodeJS.ErrnoException): string {
  switch (error.code) {
    case 'ECONNREFUSED':
      return 'connection refused';
    case 'ECONNRESET':
      return 'connection reset';
    default:
      return error.code ? `${error.code.toLowerCase()}: ${error.message}` : error.message;
  }
}

function firstLine(text: string): string {
  return (text.split('\n').find((l) => l.trim() !== '') ?? '').trim().slice(0, 200);
}
