// Sends one request of the traffic profile and reports, exactly once, what became of it:
// its outcome kind, status, and when it ended (performance.now()). It never throws and
// never settles twice; a request past its timeout is destroyed so its socket is not left
// waiting. Time to end is "body read to its end" (or the failure), not "headers arrived":
// a chat stream that takes 4 s to finish has a 4 s latency.
import type { Agent, ClientRequest, IncomingMessage } from 'node:http';
import type { EndpointSpec } from './endpoint-spec.ts';
import { failureKind, statusKind, type FailurePhase, type OutcomeKind } from './request-outcome.ts';

// node:http through getBuiltinModule as in src/probes/health-probe.ts: an ESM import of
// node:http evaluates its WebSocket getters, which load undici.
const { request } = process.getBuiltinModule('node:http');

export interface Target {
  host: string;
  port: number;
}

/** An endpoint with its body encoded once, not per request. */
export interface PreparedEndpoint {
  spec: EndpointSpec;
  body: Buffer | null;
  headers: Record<string, string | number>;
}

export interface RequestEnd {
  kind: OutcomeKind;
  /** The HTTP status, when a response arrived. */
  status: number | null;
  /** performance.now() when the outcome was known. */
  endedAt: number;
}

export function prepareEndpoint(spec: EndpointSpec): PreparedEndpoint {
  if (spec.body === undefined) return { spec, body: null, headers: {} };
  const text = typeof spec.body === 'string' ? spec.body : JSON.stringify(spec.body);
  const body = Buffer.from(text, 'utf8');
  const headers: Record<string, string | number> = { 'content-length': body.length };
  if (typeof spec.body !== 'string') headers['content-type'] = 'application/json';
  return { spec, body, headers };
}

/**
 * Sends `endpoint` to `target` through `agent` (false: a fresh connection, closed after)
 * and calls `done` once. `onSocket` sees every socket the request is given, so the caller
 * can count open connections. Returns a cancel: it ends a request still going (a stream
 * that never ends is bounded by nothing else) as a `timeout`.
 */
export function sendRequest(
  target: Target,
  agent: Agent | false,
  endpoint: PreparedEndpoint,
  done: (end: RequestEnd) => void,
  onSocket?: (socket: NonNullable<ClientRequest['socket']>) => void,
): () => void {
  const { spec } = endpoint;
  const stream = spec.stream === true;
  let settled = false;
  let phase: FailurePhase = 'before_response';
  let req: ClientRequest | null = null;
  let status: number | null = null;

  const finish = (kind: OutcomeKind, status: number | null) => {
    if (settled) return;
    settled = true;
    clearTimeout(timer);
    done({ kind, status, endedAt: performance.now() });
  };
  const fail = (timedOut: boolean) => finish(failureKind(phase, timedOut, stream), status);

  // One timer per request. Without a stream it bounds the whole exchange; with one it is
  // re-armed by every chunk, so it measures the gap since the last sign of life.
  const timer = setTimeout(() => {
    fail(true);
    req?.destroy();
  }, spec.timeout_ms);

  const headers = agent === false ? { ...endpoint.headers, connection: 'close' } : endpoint.headers;
  req = request({ host: target.host, port: target.port, method: spec.method, path: spec.path, agent, headers }, (res: IncomingMessage) => {
    status = res.statusCode ?? 0;
    phase = 'in_body';
    if (stream) {
      timer.refresh();
      res.on('data', () => timer.refresh());
    } else {
      res.resume();
    }
    res.once('end', () => finish(statusKind(status ?? 0), status));
    res.once('error', () => fail(false));
    // A response cut mid-body closes without `end` (and, depending on the node version,
    // without `error`).
    res.once('close', () => {
      if (!res.complete) fail(false);
    });
  });
  if (onSocket !== undefined) req.once('socket', onSocket);
  req.on('error', () => fail(false));
  req.end(endpoint.body ?? undefined);
  return () => {
    finish('timeout', status);
    req?.destroy();
  };
}
