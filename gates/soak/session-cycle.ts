// The soak's session cycle: on its own fixed schedule (every `every_s` from the start), the
// session created last time is destroyed and a new one is created, as a client that logs
// in and out would. Each request's outcome is reported like any traffic (endpoint
// `session`), its latency measured from the time the cycle was due, so a service that
// stalls session handling cannot hide it. The last session is destroyed when the cycle
// stops; that clean-up is not counted.
import { statusKind, type OutcomeKind } from '../../src/traffic/request-outcome.ts';

// node:http through getBuiltinModule, as in src/traffic/send-request.ts.
const { request } = process.getBuiltinModule('node:http');

export const SESSION_ENDPOINT = 'session';

export interface SessionCycleSpec {
  every_s: number;
  create: { method: string; path: string; body?: unknown };
  destroy: { method: string; path: string };
  timeout_ms: number;
}

export type SessionOutcome = (kind: OutcomeKind, latencyMs: number) => void;

interface Answer {
  kind: OutcomeKind;
  status: number | null;
  body: string;
}

const MAX_BODY = 64 * 1024;

export class SessionCycle {
  private timer: NodeJS.Timeout | null = null;
  private sessionId: string | null = null;
  private running: Promise<void> = Promise.resolve();
  private stopped = false;
  private t0 = 0;
  /** Counted requests sent so far (the uncounted clean-up is not one). */
  sent = 0;

  private readonly target: { host: string; port: number };
  private readonly spec: SessionCycleSpec;
  private readonly durationMs: number;
  private readonly onOutcome: SessionOutcome;

  constructor(target: { host: string; port: number }, spec: SessionCycleSpec, durationMs: number, onOutcome: SessionOutcome) {
    this.target = target;
    this.spec = spec;
    this.durationMs = durationMs;
    this.onOutcome = onOutcome;
  }

  /** Requests per second this cycle sends: a destroy and a create each period. */
  get ratePerS(): number {
    return 2 / this.spec.every_s;
  }

  /** Cycle k is due at t0 + k × every_s (performance.now() time), while within the duration. */
  start(t0: number): void {
    this.t0 = t0;
    this.schedule(0);
  }

  /** Stops the schedule, waits for the cycle in flight, then destroys the last session (uncounted). */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
    if (this.sessionId !== null) await this.send(this.destroyPath(this.sessionId), this.spec.destroy.method, undefined).catch(() => {});
    this.sessionId = null;
  }

  private schedule(k: number): void {
    const due = this.t0 + k * this.spec.every_s * 1000;
    if (this.stopped || due - this.t0 >= this.durationMs) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.running = this.cycle(due).finally(() => this.schedule(k + 1));
    }, Math.max(0, due - performance.now()));
  }

  private async cycle(due: number): Promise<void> {
    if (this.sessionId !== null) {
      this.sent += 1;
      const answer = await this.send(this.destroyPath(this.sessionId), this.spec.destroy.method, undefined);
      this.onOutcome(answer.kind, performance.now() - due);
      // Gone either way from our side: a failed destroy is counted, not retried forever.
      this.sessionId = null;
    }
    if (this.stopped) return;
    this.sent += 1;
    const created = await this.send(this.spec.create.path, this.spec.create.method, this.spec.create.body ?? {});
    const id = created.kind === 'ok' ? sessionIdOf(created.body) : null;
    // A 2xx without an id cannot be destroyed later: the service broke its own contract.
    this.onOutcome(created.kind === 'ok' && id === null ? 'http_status' : created.kind, performance.now() - due);
    this.sessionId = id;
  }

  private destroyPath(id: string): string {
    return this.spec.destroy.path.replace(':id', encodeURIComponent(id));
  }

  private send(path: string, method: string, body: unknown): Promise<Answer> {
    const payload = body === undefined ? null : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body), 'utf8');
    return new Promise((resolve) => {
      let settled = false;
      const finish = (answer: Answer) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(answer);
      };
      const headers: Record<string, string | number> = payload === null ? {} : { 'content-type': 'application/json', 'content-length': payload.length };
      const req = request({ ...this.target, path, method, agent: false, headers }, (res) => {
        const status = res.statusCode ?? 0;
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          if (text.length < MAX_BODY) text += chunk;
        });
        res.on('end', () => finish({ kind: statusKind(status), status, body: text }));
        res.on('error', () => finish({ kind: 'connection_error', status, body: '' }));
      });
      const timer = setTimeout(() => {
        finish({ kind: 'timeout', status: null, body: '' });
        req.destroy();
      }, this.spec.timeout_ms);
      req.on('error', () => finish({ kind: 'connection_error', status: null, body: '' }));
      req.end(payload ?? undefined);
    });
  }
}

function sessionIdOf(body: string): string | null {
  try {
    const parsed = JSON.parse(body) as { id?: unknown };
    return typeof parsed.id === 'string' && parsed.id !== '' ? parsed.id : typeof parsed.id === 'number' ? String(parsed.id) : null;
  } catch {
    return null;
  }
}
