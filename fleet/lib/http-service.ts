// The plumbing every fleet service shares: an HTTP server on 127.0.0.1, GET /healthz
// (503 while warming up or stopping), one log line per request (a health check only when
// its answer changed), the fault-injection
// route, and a graceful, bounded shutdown on SIGTERM / SIGINT / SIGBREAK.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import type { ServiceEnv } from './env.ts';
import { CRASH_EXIT_CODE, createFaults, type Faults } from './faults.ts';
import { HttpError } from './http-error.ts';
import { describeError, logError, logInfo, setLogName } from './log.ts';
import { readJsonObject } from './request-body.ts';
import { sendJson } from './respond.ts';
import { matchRoute, type Route } from './routes.ts';
import { onShutdownSignal } from './shutdown-signals.ts';
import { ulid } from './ulid.ts';

/** In-flight requests get this long to finish after a stop signal before they are cut. */
const DRAIN_MS = 3000;
/** Closing the service's own resources (DB, worker) gets this long. */
const CLOSE_MS = 2000;
/**
 * No service reports ready sooner than this after its process started, nor (when it
 * listens during warm-up) sooner than this after its port opened, so a supervisor always
 * sees (and its tests exercise) the "starting" state: on a slow machine Node's own start
 * can take longer than this, and a window counted from the process start alone would
 * close before anyone could look. Warm-up work usually covers it; only the remainder, if
 * any, is waited out.
 */
const MIN_BOOT_MS = 300;

export interface HealthReport {
  ok: boolean;
  /** Why the service is not ok, one short token such as "upstream_down". */
  reason?: string;
  /** Extra fields merged into the /healthz body. */
  detail?: Record<string, unknown>;
}

export interface ServiceOptions {
  routes: Route[];
  /** Real work that must finish before the service is ready; a throw fails the boot (exit 1). */
  warmUp?: () => Promise<void>;
  /** Called for GET /healthz once warm; keep it cheap. */
  health?: () => Promise<HealthReport> | HealthReport;
  /**
   * 'at-once' listens during warm-up and answers /healthz with 503; 'after-warm-up' opens
   * the port only when ready, so a tcp probe (which cannot read a 503) means "ready".
   */
  listen?: 'at-once' | 'after-warm-up';
  /** Releases the service's own resources; runs once, during shutdown. */
  close?: () => Promise<void> | void;
}

export interface RunningService {
  server: Server;
  isStopping(): boolean;
}

export async function runService(env: ServiceEnv, options: ServiceOptions): Promise<RunningService> {
  setLogName(env.name);
  const faults = env.faultsEnabled ? createFaults() : null;
  let ready = false;
  let stopping = false;
  let bootMs: number | null = null;
  let inFlight = 0;
  let drained: (() => void) | null = null;
  /** The status the last health check answered: one is logged only when it differs. */
  let lastHealthStatus: number | null = null;

  const server = createServer((req, res) => {
    inFlight++;
    const started = performance.now();
    const requestId = incomingRequestId(req) ?? ulid();
    res.setHeader('x-request-id', requestId);
    if (stopping) res.setHeader('connection', 'close');
    res.on('close', () => {
      inFlight--;
      const status = res.writableFinished ? String(res.statusCode) : `${res.headersSent ? res.statusCode : '-'} aborted`;
      const path = (req.url ?? '/').split('?')[0];
      if (!repeatedHealthCheck(req, res)) {
        logInfo(`${req.method ?? '?'} ${path} ${status} ${(performance.now() - started).toFixed(1)}ms rid=${requestId}`);
      }
      if (stopping) {
        server.closeIdleConnections();
        if (inFlight === 0) drained?.();
      }
    });
    handle(req, res, requestId).catch((error: unknown) => answerError(res, error));
  });

  /**
   * A supervisor probes once a second and an upstream's health check as often: logging each
   * would bury every other line (a log pane of nothing else, a 2 MiB log rotated within
   * hours). A health check is logged when its answer differs from the last one's.
   */
  function repeatedHealthCheck(req: IncomingMessage, res: ServerResponse): boolean {
    if (req.method !== 'GET' || (req.url ?? '/').split('?')[0] !== '/healthz' || !res.writableFinished) return false;
    const repeated = res.statusCode === lastHealthStatus;
    lastHealthStatus = res.statusCode;
    return repeated;
  }

  async function handle(req: IncomingMessage, res: ServerResponse, requestId: string): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = req.method ?? 'GET';
    if (url.pathname === '/__faults' && faults !== null) return handleFaults(faults, method, req, res);
    const stall = faults?.stallMs() ?? 0;
    if (stall > 0) await delay(stall);
    if (url.pathname === '/healthz' && method === 'GET') return answerHealth(res);
    if (faults?.shouldFail() === true) throw new HttpError(500, 'injected_fault', 'fault injected by error_rate');
    const match = matchRoute(options.routes, method, url.pathname);
    if (match === null) throw new HttpError(404, 'not_found', `no route for ${method} ${url.pathname}`);
    if (match === 'method') throw new HttpError(405, 'method_not_allowed', `${method} is not allowed on ${url.pathname}`);
    if (!ready) throw new HttpError(503, 'warming_up', `${env.name} is still warming up`);
    await match.handler({ req, res, url, params: match.params, requestId });
  }

  async function answerHealth(res: ServerResponse): Promise<void> {
    const base = {
      service: env.name,
      pid: process.pid,
      uptime_s: Math.round(process.uptime() * 1000) / 1000,
      boot_ms: bootMs,
    };
    if (stopping) return sendJson(res, 503, { status: 'stopping', ...base });
    if (!ready) return sendJson(res, 503, { status: 'starting', ...base });
    const report = options.health === undefined ? { ok: true } : await options.health();
    const body = { status: report.ok ? 'ok' : 'unavailable', ...base, ...report.detail };
    sendJson(res, report.ok ? 200 : 503, report.reason === undefined ? body : { ...body, reason: report.reason });
  }

  async function handleFaults(f: Faults, method: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (method === 'GET') return sendJson(res, 200, f.snapshot());
    if (method !== 'POST') throw new HttpError(405, 'method_not_allowed', `${method} is not allowed on /__faults`);
    const crash = f.apply(await readJsonObject(req));
    logInfo(`faults set: ${JSON.stringify(f.snapshot())}`);
    if (!crash) return sendJson(res, 200, f.snapshot());
    logError(`crashing on request to /__faults (exit ${CRASH_EXIT_CODE})`);
    // Answer first so the caller knows the crash was deliberate, then die without cleanup.
    res.on('finish', () => process.exit(CRASH_EXIT_CODE));
    sendJson(res, 202, { crashing: true, exit_code: CRASH_EXIT_CODE });
  }

  function answerError(res: ServerResponse, error: unknown): void {
    if (res.headersSent) {
      // A stream already under way cannot change its status: cut it so the client sees it end badly.
      logError('request failed after the response started', error);
      res.destroy();
      return;
    }
    if (error instanceof HttpError) {
      if (error.status >= 500) logError(`${error.status} ${error.code}: ${error.message}`);
      return sendJson(res, error.status, { error: error.code, message: error.message, ...error.detail });
    }
    logError('unhandled error', error);
    sendJson(res, 500, { error: 'internal', message: describeError(error) });
  }

  async function shutdown(signal: NodeJS.Signals): Promise<void> {
    stopping = true;
    const started = performance.now();
    logInfo(`${signal} received: stopping (${inFlight} request(s) in flight)`);
    faults?.stop();
    server.close();
    server.closeIdleConnections();
    if (inFlight > 0) {
      const finished = new Promise<void>((resolve) => (drained = resolve));
      const cut = await Promise.race([finished.then(() => false), delay(DRAIN_MS, true, { ref: false })]);
      if (cut) {
        logError(`drain took over ${DRAIN_MS} ms: cutting ${inFlight} request(s)`);
        server.closeAllConnections();
      }
    }
    try {
      if (options.close !== undefined) {
        await Promise.race([Promise.resolve(options.close()), delay(CLOSE_MS, undefined, { ref: false })]);
      }
    } catch (error) {
      logError('error while closing', error);
    }
    logInfo(`stopped in ${(performance.now() - started).toFixed(1)}ms`);
    process.exit(0);
  }

  onShutdownSignal((signal) => void shutdown(signal));

  const listen = (): Promise<void> =>
    new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(env.port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });

  try {
    // Process uptime (ms) before which the service does not report ready.
    let readyNotBefore = MIN_BOOT_MS;
    if (options.listen !== 'after-warm-up') {
      await listen();
      readyNotBefore = Math.max(MIN_BOOT_MS, process.uptime() * 1000 + MIN_BOOT_MS);
      logInfo(`listening on http://127.0.0.1:${env.port} (warming up)`);
    }
    await options.warmUp?.();
    // Timers may fire a fraction of a millisecond early against uptime(): loop until past it.
    for (let left = readyNotBefore - process.uptime() * 1000; left > 0; left = readyNotBefore - process.uptime() * 1000) {
      await delay(Math.ceil(left));
    }
    if (options.listen === 'after-warm-up' && !stopping) {
      await listen();
      logInfo(`listening on http://127.0.0.1:${env.port}`);
    }
  } catch (error) {
    if (stopping) return { server, isStopping: () => stopping };
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') logError(`port ${env.port} on 127.0.0.1 is already in use by another process`);
    else logError('boot failed', error);
    process.exit(1);
  }
  // A stop that came during warm-up owns the process now: never announce ready after it.
  if (stopping) return { server, isStopping: () => stopping };
  ready = true;
  bootMs = Math.round(process.uptime() * 1000);
  logInfo(`ready after ${bootMs} ms (pid ${process.pid})`);
  return { server, isStopping: () => stopping };
}

function incomingRequestId(req: IncomingMessage): string | null {
  const value = req.headers['x-request-id'];
  return typeof value === 'string' && /^[A-Za-z0-9_-]{1,64}$/.test(value) ? value : null;
}
