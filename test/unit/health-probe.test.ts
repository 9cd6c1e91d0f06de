// The three probe kinds against real sockets and real processes on 127.0.0.1.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createServer as createTcpServer, type Server as TcpServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeExec, probeHttp, probeTcp } from '../../src/probes/health-probe.ts';
import { isAlive, until } from '../helpers/wait.ts';

const HTTP_PORT = 17160;
const TCP_PORT = 17161;
const CLOSED_PORT = 17162;
const STREAMING_PORT = 28201;
const SILENT_PORT = 28202;
const NODE = process.execPath;

let http: Server;
let tcp: TcpServer;
/** Answers 200 and then streams its body forever, as some health endpoints do. */
let streaming: Server;
/** Accepts a request and never answers it. */
let silent: Server;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'evident-probe-'));
  http = createServer((req, res) => {
    res.statusCode = req.url === '/healthz' ? 200 : 503;
    res.end();
  });
  tcp = createTcpServer((socket) => socket.end());
  streaming = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    const ticker = setInterval(() => res.write('status: ok\n'), 20);
    res.on('close', () => clearInterval(ticker));
  });
  silent = createServer(() => {});
  await new Promise<void>((r) => http.listen(HTTP_PORT, '127.0.0.1', r));
  await new Promise<void>((r) => tcp.listen(TCP_PORT, '127.0.0.1', r));
  await new Promise<void>((r) => streaming.listen(STREAMING_PORT, '127.0.0.1', r));
  await new Promise<void>((r) => silent.listen(SILENT_PORT, '127.0.0.1', r));
});

afterAll(async () => {
  for (const server of [streaming, silent]) server.closeAllConnections();
  await new Promise((r) => http.close(r));
  await new Promise((r) => tcp.close(r));
  await new Promise((r) => streaming.close(r));
  await new Promise((r) => silent.close(r));
  rmSync(dir, { recursive: true, force: true });
});

function openConnections(server: Server): Promise<number> {
  return new Promise((resolve, reject) => server.getConnections((error, count) => (error ? reject(error) : resolve(count))));
}

describe('probeHttp', () => {
  it('passes on the expected status and says what it saw otherwise', async () => {
    const ok = await probeHttp(HTTP_PORT, '/healthz', 200, 2000);
    expect(ok).toMatchObject({ ok: true, code: 200, detail: '200 OK' });
    const wrong = await probeHttp(HTTP_PORT, '/other', 200, 2000);
    expect(wrong).toMatchObject({ ok: false, code: 503, detail: '503 Service Unavailable, expected 200' });
  });

  it('reports a closed port as refused', async () => {
    expect(await probeHttp(CLOSED_PORT, '/healthz', 200, 2000)).toMatchObject({ ok: false, code: null, detail: 'connection refused' });
  });

  it('closes its socket on an endpoint whose body never ends, probe after probe', async () => {
    for (let i = 0; i < 50; i++) {
      expect(await probeHttp(STREAMING_PORT, '/healthz', 200, 2000)).toMatchObject({ ok: true, code: 200 });
    }
    await until(async () => (await openConnections(streaming)) === 0, 'the streaming server to have no open connection');
  });

  it('closes its socket when an endpoint never answers', async () => {
    for (let i = 0; i < 5; i++) {
      expect(await probeHttp(SILENT_PORT, '/healthz', 200, 150)).toMatchObject({ ok: false, code: null, detail: 'timed out after 150 ms' });
    }
    await until(async () => (await openConnections(silent)) === 0, 'the silent server to have no open connection');
  });
});

describe('probeTcp', () => {
  it('passes when the port accepts and fails when it refuses', async () => {
    expect(await probeTcp(TCP_PORT, 2000)).toMatchObject({ ok: true, detail: `port ${TCP_PORT} accepts connections` });
    expect(await probeTcp(CLOSED_PORT, 2000)).toMatchObject({ ok: false, detail: 'connection refused' });
  });
});

describe('probeExec', () => {
  it('passes on exit 0', async () => {
    expect(await probeExec(NODE, ['-e', 'process.exit(0)'], dir, 5000)).toMatchObject({ ok: true, code: 0, detail: 'exit 0' });
  });

  it('fails on another exit code with the first line of stderr, else stdout', async () => {
    const loud = await probeExec(NODE, ['-e', 'console.log("out"); console.error("\\n  disk full\\nmore"); process.exit(3)'], dir, 5000);
    expect(loud).toMatchObject({ ok: false, code: 3, detail: 'exit 3: disk full' });
    const quiet = await probeExec(NODE, ['-e', 'console.log("not ready"); process.exit(1)'], dir, 5000);
    expect(quiet).toMatchObject({ ok: false, code: 1, detail: 'exit 1: not ready' });
  });

  it('runs in the given folder', async () => {
    const result = await probeExec(NODE, ['-e', 'process.exit(process.cwd() === process.argv[1] ? 0 : 1)', dir], dir, 5000);
    expect(result.ok).toBe(true);
  });

  it('kills a probe that outlives its timeout', async () => {
    const pidFile = join(dir, 'hung.pid');
    const script = `require('fs').writeFileSync(${JSON.stringify(pidFile)}, String(process.pid)); setInterval(() => {}, 1000)`;
    const started = Date.now();
    const result = await probeExec(NODE, ['-e', script], dir, 700);
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
    const result = await probeExec(NODE, ['-e', script], dir, 4000);
    expect(result).toMatchObject({ ok: false, code: null, detail: 'timed out after 4000 ms' });
    const grandchild = Number(readFileSync(pidFile, 'utf8'));
    expect(grandchild).toBeGreaterThan(0);
    try {
      await until(() => !isAlive(grandchild), `the probe's grandchild (pid ${grandchild}) to be gone`, 10_000);
    } finally {
      if (isAlive(grandchild)) process.kill(grandchild, 'SIGKILL');
    }
  });

  it('says so when the command does not exist', async () => {
    const result = await probeExec('evident-no-such-probe', [], dir, 5000);
    expect(result).toMatchObject({ ok: false, code: null, detail: 'could not run evident-no-such-probe: not found' });
  });
});
