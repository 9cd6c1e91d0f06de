// The three probe kinds against real sockets and real processes on 127.0.0.1.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createServer as createTcpServer, type Server as TcpServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { healthProbeSchema, type ExecProbe, type HttpProbe, type TcpProbe } from '../../src/contract/schema.ts';
import { probeExec, probeHttp, probeTcp } from '../../src/probes/health-probe.ts';
import { isAlive, until } from '../helpers/wait.ts';

const HTTP_PORT = 17160;
const TCP_PORT = 17161;
const CLOSED_PORT = 17162;
const STREAMING_PORT = 28201;
const SILENT_PORT = 28202;
const V6_HTTP_PORT = 28204;
const V6_TCP_PORT = 28205;
const NODE = process.execPath;

/** What the plain server answers on each path besides /healthz (200, empty). */
const BODIES: Record<string, string> = {
  '/text': 'all good\n',
  '/json': JSON.stringify({ status: 'ok', checks: { db: { status: 'degraded' } }, replicas: [{ state: 'up' }], ready: true }),
  '/big': `${'x'.repeat(100 * 1024)} ok`,
};

let http: Server;
let tcp: TcpServer;
/** Answers 200 and then streams its body forever, as some health endpoints do. */
let streaming: Server;
/** Accepts a request and never answers it. */
let silent: Server;
/** On ::1 only; answers 200 when the Host header names it as a URL must, in brackets. */
let v6Http: Server;
let v6Tcp: TcpServer;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'evident-probe-'));
  http = createServer((req, res) => {
    const body = BODIES[req.url ?? ''];
    res.statusCode = req.url === '/healthz' || body !== undefined ? 200 : 503;
    res.end(body);
  });
  tcp = createTcpServer((socket) => socket.end());
  streaming = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    const ticker = setInterval(() => res.write('status: ok\n'), 20);
    res.on('close', () => clearInterval(ticker));
  });
  silent = createServer(() => {});
  v6Http = createServer((req, res) => {
    res.statusCode = req.headers.host === `[::1]:${V6_HTTP_PORT}` ? 200 : 400;
    res.end();
  });
  v6Tcp = createTcpServer((socket) => socket.end());
  await new Promise<void>((r) => http.listen(HTTP_PORT, '127.0.0.1', r));
  await new Promise<void>((r) => tcp.listen(TCP_PORT, '127.0.0.1', r));
  await new Promise<void>((r) => streaming.listen(STREAMING_PORT, '127.0.0.1', r));
  await new Promise<void>((r) => silent.listen(SILENT_PORT, '127.0.0.1', r));
  await new Promise<void>((r) => v6Http.listen(V6_HTTP_PORT, '::1', r));
  await new Promise<void>((r) => v6Tcp.listen(V6_TCP_PORT, '::1', r));
});

afterAll(async () => {
  for (const server of [streaming, silent]) server.closeAllConnections();
  await new Promise((r) => http.close(r));
  await new Promise((r) => tcp.close(r));
  await new Promise((r) => streaming.close(r));
  await new Promise((r) => silent.close(r));
  await new Promise((r) => v6Http.close(r));
  await new Promise((r) => v6Tcp.close(r));
  rmSync(dir, { recursive: true, force: true });
});

/** A probe as the contract loader makes it: the schema's defaults filled in. */
function httpProbe(fields: Record<string, unknown> = {}): HttpProbe {
  return healthProbeSchema.parse({ kind: 'http', ...fields }) as HttpProbe;
}

function tcpProbe(fields: Record<string, unknown> = {}): TcpProbe {
  return healthProbeSchema.parse({ kind: 'tcp', ...fields }) as TcpProbe;
}

function execProbe(command: string, args: string[], timeoutMs: number, fields: Record<string, unknown> = {}): ExecProbe {
  return healthProbeSchema.parse({ kind: 'exec', command, args, timeout_ms: timeoutMs, ...fields }) as ExecProbe;
}

function openConnections(server: Server): Promise<number> {
  return new Promise((resolve, reject) => server.getConnections((error, count) => (error ? reject(error) : resolve(count))));
}

describe('probeHttp', () => {
  it('passes on the expected status and says what it saw otherwise', async () => {
    const ok = await probeHttp(httpProbe({ path: '/healthz', timeout_ms: 2000 }), HTTP_PORT);
    expect(ok).toMatchObject({ ok: true, code: 200, detail: '200 OK' });
    const wrong = await probeHttp(httpProbe({ path: '/other', timeout_ms: 2000 }), HTTP_PORT);
    expect(wrong).toMatchObject({ ok: false, code: 503, detail: '503 Service Unavailable, expected 200' });
  });

  it('reports a closed port as refused', async () => {
    expect(await probeHttp(httpProbe({ path: '/healthz', timeout_ms: 2000 }), CLOSED_PORT)).toMatchObject({ ok: false, code: null, detail: 'connection refused' });
  });

  it('targets the host the contract names: ::1 (Host header in brackets) or a host name', async () => {
    expect(await probeHttp(httpProbe({ host: '::1' }), V6_HTTP_PORT)).toMatchObject({ ok: true, code: 200 });
    expect(await probeHttp(httpProbe(), V6_HTTP_PORT)).toMatchObject({ ok: false, detail: 'connection refused' });
    expect(await probeHttp(httpProbe({ host: 'localhost' }), HTTP_PORT)).toMatchObject({ ok: true, code: 200 });
  });

  it('closes its socket on an endpoint whose body never ends, probe after probe', async () => {
    for (let i = 0; i < 50; i++) {
      expect(await probeHttp(httpProbe({ path: '/healthz', timeout_ms: 2000 }), STREAMING_PORT)).toMatchObject({ ok: true, code: 200 });
    }
    // A substring can be found in a body that never ends; a JSON field cannot, and times out.
    for (let i = 0; i < 20; i++) {
      expect(await probeHttp(httpProbe({ expect_body: 'status: ok' }), STREAMING_PORT)).toMatchObject({ ok: true, code: 200, detail: '200 OK' });
    }
    for (let i = 0; i < 5; i++) {
      expect(await probeHttp(httpProbe({ expect_json: { path: 'status', equals: 'ok' }, timeout_ms: 300 }), STREAMING_PORT)).toMatchObject({
        ok: false,
        code: null,
        detail: '200 OK, then timed out after 300 ms reading the body',
      });
    }
    await until(async () => (await openConnections(streaming)) === 0, 'the streaming server to have no open connection');
  });

  it('checks the body for a substring when the contract asks, and says what it lacks', async () => {
    expect(await probeHttp(httpProbe({ path: '/text', expect_body: 'good' }), HTTP_PORT)).toEqual(expect.objectContaining({ ok: true, code: 200, detail: '200 OK' }));
    const lacking = await probeHttp(httpProbe({ path: '/text', expect_body: 'ok' }), HTTP_PORT);
    expect(lacking).toMatchObject({ ok: false, code: 200, mismatch: 'body', detail: '200 OK, body lacks "ok"' });
    const big = await probeHttp(httpProbe({ path: '/big', expect_body: 'ok' }), HTTP_PORT);
    expect(big).toMatchObject({ ok: false, code: 200, mismatch: 'body', detail: '200 OK, body lacks "ok" in its first 64 KB' });
    // A wrong status is reported as before: the body is not read.
    expect(await probeHttp(httpProbe({ path: '/other', expect_body: 'ok' }), HTTP_PORT)).toEqual(
      expect.objectContaining({ ok: false, code: 503, detail: '503 Service Unavailable, expected 200' }),
    );
  });

  it('checks one JSON field when the contract asks, and says what it found instead', async () => {
    const json = (path: string, equals: unknown, url = '/json') => probeHttp(httpProbe({ path: url, expect_json: { path, equals } }), HTTP_PORT);
    expect(await json('status', 'ok')).toMatchObject({ ok: true, code: 200, detail: '200 OK' });
    expect(await json('replicas.0.state', 'up')).toMatchObject({ ok: true });
    expect(await json('ready', true)).toMatchObject({ ok: true });
    expect(await json('checks.db.status', 'ok')).toMatchObject({ ok: false, code: 200, mismatch: 'body', detail: '200 OK, checks.db.status field is "degraded", expected "ok"' });
    expect(await json('ready', 'true')).toMatchObject({ ok: false, detail: '200 OK, ready field is true, expected "true"' });
    expect(await json('checks', 'ok')).toMatchObject({ ok: false, detail: '200 OK, checks field is an object, expected "ok"' });
    expect(await json('uptime', 1)).toMatchObject({ ok: false, mismatch: 'body', detail: '200 OK, body has no uptime field' });
    expect(await json('status', 'ok', '/text')).toMatchObject({ ok: false, mismatch: 'body', detail: '200 OK, body is not JSON' });
    expect(await json('status', 'ok', '/big')).toMatchObject({ ok: false, mismatch: 'body', detail: '200 OK, body is over 64 KB: not read as JSON' });
  });

  it('closes its socket when an endpoint never answers', async () => {
    for (let i = 0; i < 5; i++) {
      expect(await probeHttp(httpProbe({ path: '/healthz', timeout_ms: 150 }), SILENT_PORT)).toMatchObject({ ok: false, code: null, detail: 'timed out after 150 ms' });
    }
    await until(async () => (await openConnections(silent)) === 0, 'the silent server to have no open connection');
  });
});

describe('probeTcp', () => {
  it('passes when the port accepts and fails when it refuses', async () => {
    expect(await probeTcp(tcpProbe(), TCP_PORT)).toMatchObject({ ok: true, detail: `port ${TCP_PORT} accepts connections` });
    expect(await probeTcp(tcpProbe(), CLOSED_PORT)).toMatchObject({ ok: false, detail: 'connection refused' });
  });

  it('targets the host the contract names, and says which', async () => {
    expect(await probeTcp(tcpProbe({ host: '::1' }), V6_TCP_PORT)).toMatchObject({ ok: true, detail: `port ${V6_TCP_PORT} on ::1 accepts connections` });
    expect(await probeTcp(tcpProbe(), V6_TCP_PORT)).toMatchObject({ ok: false, detail: 'connection refused' });
  });
});

describe('probeExec', () => {
  it('passes on exit 0', async () => {
    expect(await probeExec(execProbe(NODE, ['-e', 'process.exit(0)'], 5000), dir)).toMatchObject({ ok: true, code: 0, detail: 'exit 0' });
  });

  it('fails on another exit code with the first line of stderr, else stdout', async () => {
    const loud = await probeExec(execProbe(NODE, ['-e', 'console.log("out"); console.error("\\n  disk full\\nmore"); process.exit(3)'], 5000), dir);
    expect(loud).toMatchObject({ ok: false, code: 3, detail: 'exit 3: disk full' });
    const quiet = await probeExec(execProbe(NODE, ['-e', 'console.log("not ready"); process.exit(1)'], 5000), dir);
    expect(quiet).toMatchObject({ ok: false, code: 1, detail: 'exit 1: not ready' });
  });

  it('requires its standard output to hold expect_output when the contract asks', async () => {
    const pong = await probeExec(execProbe(NODE, ['-e', 'console.log("PONG")'], 5000, { expect_output: 'PONG' }), dir);
    expect(pong).toEqual(expect.objectContaining({ ok: true, code: 0, detail: 'exit 0' }));
    expect(pong.mismatch).toBeUndefined();
    // redis-cli ping exits 0 on a server that wants a password: the output tells.
    const noauth = await probeExec(execProbe(NODE, ['-e', 'console.log("NOAUTH Authentication required.")'], 5000, { expect_output: 'PONG' }), dir);
    expect(noauth).toMatchObject({ ok: false, code: 0, mismatch: 'output', detail: 'exit 0, output lacks "PONG": NOAUTH Authentication required.' });
    const onStderr = await probeExec(execProbe(NODE, ['-e', 'console.error("PONG")'], 5000, { expect_output: 'PONG' }), dir);
    expect(onStderr).toMatchObject({ ok: false, code: 0, detail: 'exit 0, output lacks "PONG": PONG' });
  });

  it('reads only the first 64 KB of a large output, and still lets the command finish', async () => {
    const script = 'process.stdout.write("x".repeat(1024 * 1024) + " PONG\\n")';
    const result = await probeExec(execProbe(NODE, ['-e', script], 10_000, { expect_output: 'PONG' }), dir);
    expect(result).toMatchObject({ ok: false, code: 0, mismatch: 'output' });
    expect(result.detail).toMatch(/^exit 0, output lacks "PONG" in its first 64 KB: x+$/);
    expect(result.detail.length).toBeLessThan(300);
  });

  it('runs in the given folder', async () => {
    const result = await probeExec(execProbe(NODE, ['-e', 'process.exit(process.cwd() === process.argv[1] ? 0 : 1)', dir], 5000), dir);
    expect(result.ok).toBe(true);
  });

  it('kills a probe that outlives its timeout', async () => {
    const pidFile = join(dir, 'hung.pid');
    const script = `require('fs').writeFileSync(${JSON.stringify(pidFile)}, String(process.pid)); setInterval(() => {}, 1000)`;
    const started = Date.now();
    const result = await probeExec(execProbe(NODE, ['-e', script], 700), dir);
    expect(result).toMatchObject({ ok: false, code: null, detail: 'timed out after 700 ms' });
    expect(Date.now() - started).toBeLessThan(5000);
    const pid = Number(readFileSync(pidFile, 'utf8'));
    const deadline = Date.now() + 5000;
    while (isAlive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(isAlive(pid)).toBe(false);
  });

  it('kills every process a timed-out probe started, not only the probe', async () => {
    const pidFile = join(dir, 'grandchild.pid');
    const script = [
      "const { spawn } = require('child_process');",
      `const sleeper = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });`,
      `require('fs').writeFileSync(${JSON.stringify(pidFile)}, String(sleeper.pid));`,
      'setInterval(() => {}, 1000);',
    ].join('\n');
    const result = await probeExec(execProbe(NODE, ['-e', script], 4000), dir);
    expect(result).toMatchObject({ ok: false, code: null, detail: 'timed out after 4000 ms' });
    const grandchild = Number(readFileSync(pidFile, 'utf8'));
    expect(grandchild).toBeGreaterThan(0);
    try {
      await until(() => !isAlive(grandchild), `the probe's grandchild (pid ${grandchild}) to be gone`, 10_000);
    } finally {
      if (isAlive(grandchild)) process.kill(grandchild, 'SIGKILL');
    }
  });

  it('stops waiting for a probe that exited but left a process holding its output, and says so', async () => {
    const pidFile = join(dir, 'holder.pid');
    const script = [
      "const { spawn } = require('child_process');",
      // The holder inherits the probe's stdout; the probe exits at once, leaving it behind.
      `const holder = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: ['ignore', 'inherit', 'ignore'] });`,
      `require('fs').writeFileSync(${JSON.stringify(pidFile)}, String(holder.pid));`,
      'holder.unref();',
    ].join('\n');
    const result = await probeExec(execProbe(NODE, ['-e', script], 2000), dir);
    const holder = Number(readFileSync(pidFile, 'utf8'));
    try {
      expect(result).toMatchObject({ ok: false, code: null, detail: 'timed out after 2000 ms: it exited, but a process it started kept its output open' });
    } finally {
      if (isAlive(holder)) process.kill(holder, 'SIGKILL');
    }
  });

  it('says so when the command does not exist', async () => {
    const result = await probeExec(execProbe('evident-no-such-probe', [], 5000), dir);
    expect(result).toMatchObject({ ok: false, code: null, detail: 'could not run evident-no-such-probe: not found' });
  });
});
