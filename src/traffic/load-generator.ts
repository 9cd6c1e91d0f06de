// The open-model traffic generator: sends every endpoint's requests on its fixed arrival
// schedule (src/traffic/arrival-schedule.ts) whether or not earlier requests have come
// back, and measures each request's latency from the time it was SCHEDULED, not from when
// it was sent. A stalled service therefore cannot hide behind coordinated omission: the
// requests that fell due during a stall are still sent (or, if this process itself was
// late, sent at once when it wakes), and each carries the wait since its scheduled time.
//
// It counts, per endpoint, requests scheduled, sent and completed, outcomes by kind,
// requests in flight, and keeps two HDR histograms: latency (scheduled → complete
// response, for every request that got a complete response, 2xx–5xx alike; failures are
// counted by kind instead, since their "latency" is only a bound) and send lag (scheduled →
// actually sent: this generator's own lateness, to tell it apart from the service's).
//
// Connections: one keep-alive agent with no socket limit, chosen by measurement
// (bench/load-generator.ts, 1,000 req/s for 10 s × 3 against a node:http server in a child
// process, this 2-core machine, medians): keep-alive cost the generator 10.6 % of a core and
// the server 3.7 %, p99 1.5 ms; a fresh connection per request cost 21 % and 9 %, p99
// 2.2 ms (5.6 ms in one run). Both held the rate; a connection per request also leaves
// one TIME_WAIT socket per request behind (2,000 requests → 2,010 in TIME_WAIT for 60 s:
// at 1,000 req/s that is ~60,000, beyond the 28,232 ephemeral ports of a default Linux).
// No socket limit (maxSockets: Infinity) because a bounded pool would queue requests
// inside the agent, the coordinated omission this generator exists to avoid. Node's agent
// (≥ 24.7, agentKeepAliveTimeoutBuffer) retires an idle socket 1 s before the server's
// advertised `Keep-Alive: timeout=…`, so a slow endpoint (one request every 4 s) does not
// race the server closing its idle connection; a server that advertises nothing can still
// close one under a request, which shows as a connection_error.
// node:http rather than undici: it holds the rate at the cost above with no dependency
// (undici was not measured).
// `keepAlive: false` remains for the comparison.
import type { Agent as HttpAgent } from 'node:http';
import type { Socket } from 'node:net';
import type { Histogram } from 'hdr-histogram-js';
import { arrivalSchedule, dueCount, scheduledAt, totalCount, type ArrivalSchedule } from './arrival-schedule.ts';
import type { EndpointSpec } from './endpoint-spec.ts';
import { newLatencyHistogram, percentileMs, recordMs } from './latency-histogram.ts';
import { emptyErrorCounts, type ErrorKind, type OutcomeKind } from './request-outcome.ts';
import { prepareEndpoint, sendRequest, type PreparedEndpoint, type RequestEnd, type Target } from './send-request.ts';

const { Agent } = process.getBuiltinModule('node:http');

export interface LoadGeneratorOptions {
  /** `http://127.0.0.1:PORT`: the service every endpoint path is sent to. */
  baseUrl: string;
  endpoints: readonly EndpointSpec[];
  /** Only requests scheduled before this many ms after the start are sent; open-ended when absent. */
  durationMs?: number;
  /** One keep-alive agent (default) or a fresh connection per request. */
  keepAlive?: boolean;
  /**
   * The shortest sleep between two wake-ups (ms, default 1). The timer sleeps until the
   * next request is due (so a 1 req/s profile wakes once a second, not 1,000 times), but
   * never less than this; whatever fell due meanwhile is sent at once on waking.
   */
  minWakeMs?: number;
  /** Called once per request when its outcome is known (for the journal). */
  onRequest?: (record: RequestRecord) => void;
}

/** One request, as the soak will journal it. Times are ms after the generator's start. */
export interface RequestRecord {
  endpoint: string;
  /** The request's index in its endpoint's schedule. */
  k: number;
  scheduled_ms: number;
  sent_ms: number;
  ended_ms: number;
  /** ended_ms − scheduled_ms. */
  latency_ms: number;
  kind: OutcomeKind;
  status: number | null;
}

export interface LatencySummary {
  count: number;
  p50_ms: number;
  p95_ms: number;
  p99_ms: number;
  max_ms: number;
}

export interface EndpointStats {
  name: string;
  target_rate_per_s: number;
  /** sent ÷ elapsed seconds. */
  achieved_rate_per_s: number;
  /** Requests due by now on the schedule. */
  scheduled: number;
  sent: number;
  completed: number;
  ok: number;
  errors: Record<ErrorKind, number>;
  in_flight: number;
  latency: LatencySummary;
  /** How late this generator sent the requests (scheduled → sent). */
  send_lag: LatencySummary;
}

export interface TrafficStats {
  /** Wall time of the start (Date.now()). */
  started_at: number;
  /** ms from the start to now, or to the end of sending once it has ended. */
  elapsed_ms: number;
  sending: boolean;
  in_flight: number;
  /** TCP connections open to the target now. */
  open_connections: number;
  endpoints: EndpointStats[];
}

interface EndpointState {
  prepared: PreparedEndpoint;
  schedule: ArrivalSchedule;
  total: number;
  sent: number;
  completed: number;
  ok: number;
  errors: Record<ErrorKind, number>;
  inFlight: number;
  latency: Histogram;
  sendLag: Histogram;
}

export class LoadGenerator {
  private readonly target: Target;
  private readonly agent: HttpAgent | false;
  private readonly endpoints: EndpointState[];
  private readonly minWakeMs: number;
  private readonly onRequest: ((record: RequestRecord) => void) | undefined;
  private readonly sockets = new WeakSet<Socket>();
  /** The cancel of every request in flight. */
  private readonly inFlightCancels = new Set<() => void>();
  private openConnections = 0;
  private inFlight = 0;
  private t0 = Number.NaN;
  private startedAt = Number.NaN;
  /** performance.now() when sending ended (schedule exhausted or stop()); NaN while sending. */
  private sendingEndedAt = Number.NaN;
  private timer: NodeJS.Timeout | null = null;
  private settledWaiters: (() => void)[] = [];
  private stopped = false;

  constructor(options: LoadGeneratorOptions) {
    const url = new URL(options.baseUrl);
    if (url.protocol !== 'http:') throw new Error(`traffic target must be an http:// URL, got ${options.baseUrl}`);
    this.target = { host: url.hostname, port: Number(url.port || 80) };
    this.agent = options.keepAlive === false ? false : new Agent({ keepAlive: true, maxSockets: Number.POSITIVE_INFINITY });
    this.minWakeMs = Math.max(1, options.minWakeMs ?? 1);
    this.onRequest = options.onRequest;
    const names = new Set<string>();
    this.endpoints = options.endpoints.map((spec) => {
      if (names.has(spec.name)) throw new Error(`traffic endpoint name ${spec.name} is used twice`);
      names.add(spec.name);
      const schedule = arrivalSchedule(spec.rate_per_s, options.durationMs);
      return {
        prepared: prepareEndpoint(spec),
        schedule,
        total: totalCount(schedule),
        sent: 0,
        completed: 0,
        ok: 0,
        errors: emptyErrorCounts(),
        inFlight: 0,
        latency: newLatencyHistogram(),
        sendLag: newLatencyHistogram(),
      };
    });
  }

  /** Starts the schedule now: every endpoint's request 0 is sent at once. */
  start(): void {
    if (!Number.isNaN(this.t0)) throw new Error('the load generator was already started');
    this.t0 = performance.now();
    this.startedAt = Date.now();
    this.tick();
  }

  /** For a finite schedule: resolves once every request has been sent and has settled. */
  finished(): Promise<void> {
    return this.whenSettled();
  }

  /** start(), then finished(), then stop(): a finite run, with its figures. */
  async run(): Promise<TrafficStats> {
    if (this.endpoints.some((e) => !Number.isFinite(e.total))) throw new Error('run() needs a durationMs; use start() and stop() for an open-ended schedule');
    this.start();
    await this.finished();
    await this.stop();
    return this.stats();
  }

  /**
   * Stops sending, waits for the requests in flight to settle, then closes the agent's
   * connections. Safe to call twice. A request is bounded by its timeout, but a stream
   * that keeps sending never ends by itself: after `graceMs` (default: the longest
   * endpoint timeout) whatever is still in flight is cut and counted as a `timeout`.
   */
  async stop(graceMs = this.longestTimeoutMs): Promise<void> {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    if (Number.isNaN(this.sendingEndedAt) && !Number.isNaN(this.t0)) {
      // What fell due before the stop is sent, however late the timer is: the schedule up
      // to now is the open model's promise, and `scheduled` is counted to the same instant.
      const now = performance.now();
      for (const endpoint of this.endpoints) {
        const due = dueCount(endpoint.schedule, now - this.t0);
        while (endpoint.sent < due) this.send(endpoint, endpoint.sent);
      }
      this.sendingEndedAt = now;
    }
    if (Number.isNaN(this.sendingEndedAt)) this.sendingEndedAt = performance.now();
    this.notifyIfSettled();
    let grace: NodeJS.Timeout | null = null;
    const cut = new Promise<void>((resolve) => {
      grace = setTimeout(() => {
        for (const cancel of [...this.inFlightCancels]) cancel();
        resolve();
      }, graceMs);
    });
    await Promise.race([this.whenSettled(), cut]);
    if (grace !== null) clearTimeout(grace);
    await this.whenSettled();
    if (!this.stopped && this.agent !== false) this.agent.destroy();
    this.stopped = true;
  }

  stats(): TrafficStats {
    const now = performance.now();
    const end = Number.isNaN(this.sendingEndedAt) ? now : this.sendingEndedAt;
    const elapsed = Number.isNaN(this.t0) ? 0 : end - this.t0;
    return {
      started_at: this.startedAt,
      elapsed_ms: elapsed,
      sending: !Number.isNaN(this.t0) && Number.isNaN(this.sendingEndedAt),
      in_flight: this.inFlight,
      open_connections: this.openConnections,
      endpoints: this.endpoints.map((e) => ({
        name: e.prepared.spec.name,
        target_rate_per_s: e.schedule.ratePerS,
        achieved_rate_per_s: elapsed > 0 ? e.sent / (elapsed / 1000) : 0,
        scheduled: Number.isNaN(this.t0) ? 0 : dueCount(e.schedule, elapsed),
        sent: e.sent,
        completed: e.completed,
        ok: e.ok,
        errors: { ...e.errors },
        in_flight: e.inFlight,
        latency: summarize(e.latency),
        send_lag: summarize(e.sendLag),
      })),
    };
  }

  /** The endpoint's latency histogram (µs): live, not a copy; encode or add it, do not reset it. */
  latencyHistogram(name: string): Histogram {
    const endpoint = this.endpoints.find((e) => e.prepared.spec.name === name);
    if (endpoint === undefined) throw new Error(`no traffic endpoint named ${name}`);
    return endpoint.latency;
  }

  private readonly tick = (): void => {
    this.timer = null;
    if (!Number.isNaN(this.sendingEndedAt)) return;
    const elapsed = performance.now() - this.t0;
    let next = Number.POSITIVE_INFINITY;
    for (const endpoint of this.endpoints) {
      const due = dueCount(endpoint.schedule, elapsed);
      // Everything due is sent now, however far behind: a late wake-up is the generator's
      // delay, and it shows in these requests' latency (measured from their schedule).
      while (endpoint.sent < due) this.send(endpoint, endpoint.sent);
      if (endpoint.sent < endpoint.total) next = Math.min(next, scheduledAt(endpoint.schedule, endpoint.sent));
    }
    if (next === Number.POSITIVE_INFINITY) {
      const last = performance.now();
      const end = Math.min(...this.endpoints.map((e) => e.schedule.endMs));
      this.sendingEndedAt = Math.max(last, this.t0 + end);
      this.notifyIfSettled();
      return;
    }
    const delay = Math.max(this.minWakeMs, Math.ceil(next - (performance.now() - this.t0)));
    this.timer = setTimeout(this.tick, delay);
  };

  private send(endpoint: EndpointState, k: number): void {
    const scheduled = this.t0 + scheduledAt(endpoint.schedule, k);
    const sent = performance.now();
    endpoint.sent += 1;
    endpoint.inFlight += 1;
    this.inFlight += 1;
    recordMs(endpoint.sendLag, sent - scheduled);
    let cancel: (() => void) | null = null;
    let settled = false;
    cancel = sendRequest(
      this.target,
      this.agent,
      endpoint.prepared,
      (end) => {
        settled = true;
        if (cancel !== null) this.inFlightCancels.delete(cancel);
        this.settle(endpoint, k, scheduled, sent, end);
      },
      this.countSocket,
    );
    if (!settled) this.inFlightCancels.add(cancel);
  }

  private get longestTimeoutMs(): number {
    return Math.max(0, ...this.endpoints.map((e) => e.prepared.spec.timeout_ms));
  }

  private settle(endpoint: EndpointState, k: number, scheduled: number, sent: number, end: RequestEnd): void {
    endpoint.inFlight -= 1;
    this.inFlight -= 1;
    endpoint.completed += 1;
    const latency = end.endedAt - scheduled;
    if (end.kind === 'ok') endpoint.ok += 1;
    else endpoint.errors[end.kind] += 1;
    if (end.kind === 'ok' || end.kind === 'http_status') recordMs(endpoint.latency, latency);
    this.onRequest?.({
      endpoint: endpoint.prepared.spec.name,
      k,
      scheduled_ms: scheduled - this.t0,
      sent_ms: sent - this.t0,
      ended_ms: end.endedAt - this.t0,
      latency_ms: latency,
      kind: end.kind,
      status: end.status,
    });
    this.notifyIfSettled();
  }

  private readonly countSocket = (socket: Socket): void => {
    if (this.sockets.has(socket)) return;
    this.sockets.add(socket);
    this.openConnections += 1;
    socket.once('close', () => {
      this.openConnections -= 1;
    });
  };

  private whenSettled(): Promise<void> {
    return new Promise((resolve) => {
      this.settledWaiters.push(resolve);
      this.notifyIfSettled();
    });
  }

  private notifyIfSettled(): void {
    if (Number.isNaN(this.sendingEndedAt) || this.inFlight > 0) return;
    const waiters = this.settledWaiters;
    this.settledWaiters = [];
    for (const resolve of waiters) resolve();
  }
}

function summarize(histogram: Histogram): LatencySummary {
  return {
    count: histogram.totalCount,
    p50_ms: percentileMs(histogram, 50),
    p95_ms: percentileMs(histogram, 95),
    p99_ms: percentileMs(histogram, 99),
    max_ms: histogram.totalCount === 0 ? Number.NaN : histogram.maxValue / 1000,
  };
}
