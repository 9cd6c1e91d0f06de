// The open-model generator against real node:http servers on 127.0.0.1: it holds its rate,
// a stall shows in the latency of every request scheduled during it (coordinated omission
// is not hidden), and each kind of failure is counted as what it is. Counts are asserted,
// not timings, but for the stall's imprint on latency, which is the point of two tests
// (a 300 ms stall against a 250 ms bar). Every wait is on a condition; no bound here
// assumes a fast or a quiet machine, where the generator's own lateness could break it.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import type { EndpointSpec } from '../../src/traffic/endpoint-spec.ts';
import { LoadGenerator, type RequestRecord } from '../../src/traffic/load-generator.ts';

const PORT = 17400;
const STALL_PORT = 17401;
const CLOSED_PORT = 17402;
const BASE = `http://127.0.0.1:${PORT}`;

const servers: Server[] = [];
const generators: LoadGenerator[] = [];

afterEach(async () => {
  await Promise.all(generators.splice(0).map((g) => g.stop()));
  await Promise.all(
    servers.splice(0).map(
      (server) =>
        new Promise<void>((resolve) => {
          server.closeAllConnections();
          server.close(() => resolve());
        }),
    ),
  );
});

async function listen(port: number, handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<Server> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return server;
}

function generator(options: ConstructorParameters<typeof LoadGenerator>[0]): LoadGenerator {
  const g = new LoadGenerator(options);
  generators.push(g);
  return g;
}

function endpoint(name: string, path: string, extra: Partial<EndpointSpec> = {}): EndpointSpec {
  return { name, method: 'GET', path, rate_per_s: 20, timeout_ms: 1000, ...extra };
}

/** The demo fleet's shapes of trouble, one path each. */
function troubleServer(req: IncomingMessage, res: ServerResponse): void {
  switch (req.url) {
    case '/ok':
      res.end('ok');
      return;
    case '/echo': {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => res.end(Buffer.concat(chunks)));
      return;
    }
    case '/fail':
      res.statusCode = 500;
      res.end('no');
      return;
    case '/hang':
      return; // never answers
    case '/reset':
      req.socket.destroy();
      return;
    case '/stream': {
      // Twelve chunks 100 ms apart: 1.2 s in all, longer than its 800 ms timeout, but never
      // a gap near it (server and client share this process: a stall delays both).
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      let sent = 0;
      const timer = setInterval(() => {
        res.write(`data: ${sent}\n\n`);
        if (++sent === 12) {
          clearInterval(timer);
          res.end();
        }
      }, 100);
      res.on('close', () => clearInterval(timer));
      return;
    }
    case '/stream-forever': {
      // A chunk every 20 ms, never an end: no gap ever reaches the timeout.
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      const timer = setInterval(() => res.write('data: more\n\n'), 20);
      res.on('close', () => clearInterval(timer));
      return;
    }
    case '/stream-stall':
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('data: first\n\n');
      return; // and nothing more
    case '/stream-cut':
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('data: first\n\n');
      setTimeout(() => req.socket.destroy(), 30);
      return;
    default:
      res.statusCode = 404;
      res.end();
  }
}

describe('LoadGenerator', () => {
  it('holds 50 req/s for 2 s: every scheduled request sent and answered, at the target rate', async () => {
    let received = 0;
    await listen(PORT, (req, res) => {
      received += 1;
      troubleServer(req, res);
    });
    const stats = await generator({ baseUrl: BASE, endpoints: [endpoint('chat', '/ok', { rate_per_s: 50 })], durationMs: 2000 }).run();
    const chat = stats.endpoints[0];
    expect(chat).toBeDefined();
    if (chat === undefined) return;
    // 2 s × 50 req/s, requests 0…99 (the schedule is half-open: request 100 is due at 2 s).
    expect(chat.scheduled).toBe(100);
    expect(chat.sent).toBeGreaterThanOrEqual(99);
    expect(chat.sent).toBeLessThanOrEqual(101);
    expect(chat.ok).toBeGreaterThanOrEqual(99);
    expect(chat.ok).toBeLessThanOrEqual(101);
    expect(received).toBe(chat.sent);
    expect(chat.completed).toBe(chat.sent);
    expect(chat.in_flight).toBe(0);
    expect(chat.errors).toEqual({ http_status: 0, timeout: 0, connection_error: 0, stream_stopped: 0 });
    expect(chat.latency.count).toBe(chat.ok);
    // The rate held: sending took the schedule's 2 s, plus at most this generator's own
    // lateness, which it measures (send lag) rather than hides.
    expect(stats.elapsed_ms).toBeGreaterThanOrEqual(2000 - 1e-6);
    expect(stats.elapsed_ms).toBeLessThanOrEqual(2000 + chat.send_lag.max_ms + 1);
  });

  it('keeps sending on an open-ended schedule until stopped, and then has sent what was due', async () => {
    await listen(PORT, troubleServer);
    const g = generator({ baseUrl: BASE, endpoints: [endpoint('action', '/ok', { rate_per_s: 40 })] });
    g.start();
    await waitFor(() => (g.stats().endpoints[0]?.sent ?? 0) >= 15);
    expect(g.stats().sending).toBe(true);
    await g.stop();
    const [action] = g.stats().endpoints;
    expect(g.stats().sending).toBe(false);
    // Everything due up to the stop was sent, however late the timer was.
    expect(action?.sent).toBe(action?.scheduled);
    expect(action?.sent).toBeGreaterThanOrEqual(15);
    expect(action?.ok).toBe(action?.sent);
  });

  it('sends a body (JSON for an object) and reuses kept-alive connections', async () => {
    const bodies: string[] = [];
    let connections = 0;
    const server = await listen(PORT, (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        bodies.push(`${req.method} ${req.headers['content-type'] ?? '-'} ${Buffer.concat(chunks).toString()}`);
        res.end();
      });
    });
    server.on('connection', () => (connections += 1));
    const g = generator({ baseUrl: BASE, endpoints: [endpoint('action', '/echo', { method: 'POST', body: { op: 'ping' }, rate_per_s: 10 })], durationMs: 1000 });
    const stats = await g.run();
    expect(stats.endpoints[0]?.ok).toBe(10);
    expect(new Set(bodies)).toEqual(new Set(['POST application/json {"op":"ping"}']));
    // Ten requests 100 ms apart, each answered at once: kept-alive connections serve them
    // (one, on a quiet machine); a connection per request would be ten.
    expect(connections).toBeLessThanOrEqual(5);
  });

  it('measures from the scheduled time when the generator itself is late: a blocked event loop shows in latency and send lag', async () => {
    await listen(PORT, troubleServer);
    const records: RequestRecord[] = [];
    const g = generator({ baseUrl: BASE, endpoints: [endpoint('chat', '/ok', { rate_per_s: 50 })], durationMs: 1500, onRequest: (r) => records.push(r) });
    const done = g.run();
    await new Promise((r) => setTimeout(r, 500));
    const until = performance.now() + 300;
    while (performance.now() < until) {
      // This process (and so the generator) is stalled: nothing is sent for 300 ms.
    }
    const stats = await done;
    const chat = stats.endpoints[0];
    expect(chat?.sent).toBe(75);
    expect(chat?.ok).toBe(75);
    // The backlog went out at once on waking, each request timed from its own schedule.
    expect(chat?.send_lag.max_ms).toBeGreaterThanOrEqual(250);
    expect(chat?.latency.p99_ms).toBeGreaterThanOrEqual(250);
    expect(records.filter((r) => r.latency_ms >= 100).length).toBeGreaterThanOrEqual(8);
    // Most requests were not scheduled during the stall and do not carry it.
    expect(chat?.latency.p50_ms).toBeLessThan(250);
  });

  it('does not hide a stall: requests scheduled during a 300 ms stall carry it in their latency (p99 ≥ 250 ms)', async () => {
    // From 500 ms on, the server answers nothing for 300 ms, then everything it holds. A
    // closed-loop client would have sent one request into the stall and recorded one slow
    // response; this one keeps sending on schedule, so ~15 requests wait.
    let first = Number.NaN;
    let stallEnds = Number.NaN;
    await listen(STALL_PORT, (_req, res) => {
      const now = performance.now();
      if (Number.isNaN(first)) first = now;
      if (Number.isNaN(stallEnds) && now - first >= 500) stallEnds = now + 300;
      const wait = Number.isNaN(stallEnds) ? 0 : stallEnds - now;
      if (wait > 0) setTimeout(() => res.end('late'), wait);
      else res.end('ok');
    });
    const records: RequestRecord[] = [];
    const stats = await generator({
      baseUrl: `http://127.0.0.1:${STALL_PORT}`,
      endpoints: [endpoint('chat', '/', { rate_per_s: 50 })],
      durationMs: 2000,
      onRequest: (r) => records.push(r),
    }).run();
    const chat = stats.endpoints[0];
    expect(chat?.sent).toBe(100);
    expect(chat?.ok).toBe(100);
    const slow = records.filter((r) => r.latency_ms >= 100);
    expect(slow.length).toBeGreaterThanOrEqual(8);
    // The generator did not wait for the stalled responses: while the first stalled
    // request was held, it went on sending (a closed loop would have sent nothing).
    const held = slow.toSorted((a, b) => a.scheduled_ms - b.scheduled_ms)[0] as RequestRecord;
    const sentWhileHeld = records.filter((r) => r !== held && r.sent_ms > held.sent_ms && r.sent_ms < held.ended_ms);
    expect(sentWhileHeld.length).toBeGreaterThanOrEqual(5);
    expect(chat?.latency.p99_ms).toBeGreaterThanOrEqual(250);
    expect(chat?.latency.p50_ms).toBeLessThan(250);
    expect(records).toHaveLength(100);
  });

  it('counts HTTP status errors, timeouts, connection resets and stopped streams by kind', async () => {
    await listen(PORT, troubleServer);
    // 250 ms at 20 req/s: 5 requests per endpoint.
    const endpoints: EndpointSpec[] = [
      endpoint('ok', '/ok'),
      endpoint('fail', '/fail'),
      endpoint('hang', '/hang', { timeout_ms: 200 }),
      endpoint('reset', '/reset'),
      endpoint('stream', '/stream', { stream: true, timeout_ms: 800 }),
      endpoint('stream-stall', '/stream-stall', { stream: true, timeout_ms: 150 }),
      endpoint('stream-cut', '/stream-cut', { stream: true, timeout_ms: 1000 }),
      // The same stalled body on an endpoint not declared a stream: a plain timeout.
      endpoint('plain-stall', '/stream-stall', { timeout_ms: 150 }),
    ];
    const stats = await generator({ baseUrl: BASE, endpoints, durationMs: 250 }).run();
    const by = Object.fromEntries(stats.endpoints.map((e) => [e.name, e]));
    const none = { http_status: 0, timeout: 0, connection_error: 0, stream_stopped: 0 };
    for (const e of stats.endpoints) {
      expect(e.sent, e.name).toBe(5);
      expect(e.completed, e.name).toBe(5);
    }
    expect(by.ok?.ok).toBe(5);
    expect(by.ok?.errors).toEqual(none);
    expect(by.fail?.errors).toEqual({ ...none, http_status: 5 });
    expect(by.fail?.latency.count).toBe(5);
    expect(by.hang?.errors).toEqual({ ...none, timeout: 5 });
    expect(by.reset?.errors).toEqual({ ...none, connection_error: 5 });
    // 1.2 s of body, longer than its 800 ms timeout, but never 800 ms between chunks.
    expect(by.stream?.ok).toBe(5);
    expect(by.stream?.latency.p50_ms).toBeGreaterThanOrEqual(1100);
    expect(by['stream-stall']?.errors).toEqual({ ...none, stream_stopped: 5 });
    expect(by['stream-cut']?.errors).toEqual({ ...none, stream_stopped: 5 });
    expect(by['plain-stall']?.errors).toEqual({ ...none, timeout: 5 });
    expect(stats.in_flight).toBe(0);
  });

  it('counts a refused connection as a connection error', async () => {
    const stats = await generator({ baseUrl: `http://127.0.0.1:${CLOSED_PORT}`, endpoints: [endpoint('action', '/ok')], durationMs: 250 }).run();
    expect(stats.endpoints[0]?.sent).toBe(5);
    expect(stats.endpoints[0]?.errors).toEqual({ http_status: 0, timeout: 0, connection_error: 5, stream_stopped: 0 });
    expect(stats.endpoints[0]?.latency.count).toBe(0);
  });

  it('counts open connections, and closes them all when stopped', async () => {
    await listen(PORT, troubleServer);
    // Requests that hang far longer than the test: none ends before the stop cuts it.
    const g = generator({ baseUrl: BASE, endpoints: [endpoint('hang', '/hang', { rate_per_s: 20, timeout_ms: 60_000 })] });
    g.start();
    // Five hanging requests, each on its own connection (none comes back to be reused).
    await waitFor(() => g.stats().in_flight >= 5 && g.stats().open_connections >= g.stats().in_flight);
    const held = g.stats();
    expect(held.in_flight).toBe(held.endpoints[0]?.sent);
    expect(held.open_connections).toBe(held.in_flight);
    await g.stop(100);
    await waitFor(() => g.stats().open_connections === 0);
    expect(g.stats().open_connections).toBe(0);
    expect(g.stats().in_flight).toBe(0);
    expect(g.stats().endpoints[0]?.errors.timeout).toBe(g.stats().endpoints[0]?.sent);
  });

  it('cuts a stream that never ends when stopped, after the grace, counting it as a timeout', async () => {
    await listen(PORT, troubleServer);
    const g = generator({ baseUrl: BASE, endpoints: [endpoint('forever', '/stream-forever', { rate_per_s: 10, timeout_ms: 200, stream: true })], durationMs: 100 });
    g.start();
    await waitFor(() => g.stats().in_flight === 1 && !g.stats().sending);
    expect(g.stats().endpoints[0]?.sent).toBe(1);
    // Bounded by the grace, not by the stream (which would run for ever): stop() returns.
    await g.stop(300);
    expect(g.stats().in_flight).toBe(0);
    expect(g.stats().endpoints[0]?.errors).toEqual({ http_status: 0, timeout: 1, connection_error: 0, stream_stopped: 0 });
  });
});

/** Polls until `check` holds; fails the test (rather than hangs it) after 30 s. */
async function waitFor(check: () => boolean, timeoutMs = 30_000): Promise<void> {
  const until = performance.now() + timeoutMs;
  while (!check()) {
    if (performance.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${check.toString()}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
