// The client of the Windows sampler: one long-lived process (windows-sampler-script.ts)
// that answers one JSON line per request and pushes event lines (a watched process
// exited). Every request has a timeout: a sampler stuck in a Windows call would otherwise
// freeze every tick and every stop, and a soak would pass on empty minutes. A sampler that
// timed out is killed; one that exited (or could not be started) is started again after a
// backoff that doubles up to a ceiling, and until then every request fails at once,
// saying why and when it will be tried again: a failure is never an empty answer.
//
// The sampler is spawned detached: on Windows that is DETACHED_PROCESS, so it shares no
// console with evident (a Ctrl+C in the operator's terminal does not end it) and can
// attach to a service's console to send it CTRL_BREAK. Its output is read as UTF-8.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { PlannedCommand } from './platform.ts';

/** The sampler could not answer: it timed out, exited, could not be started, or is waiting to be started again. */
export class SamplerUnavailable extends Error {}

export interface SamplerEvent {
  event: string;
  [field: string]: unknown;
}

export interface SamplerClientOptions {
  /** How long one request may take, in ms (default 5000). */
  timeoutMs?: number;
  /** The first wait before starting a failed sampler again, in ms (default 250); it doubles each failure. */
  firstBackoffMs?: number;
  /** The longest wait, in ms (default 30 s). */
  maxBackoffMs?: number;
  /** After answering well this long, in ms, a sampler's next failure starts from the first wait again (default 10 s). */
  healthyAfterMs?: number;
  /** How long a request may take before the sampler's first answer, in ms (default 30 s): it starts and compiles its native code first. */
  startupTimeoutMs?: number;
  /** Lines written to a sampler as soon as it is started, before any request (its native code). */
  preamble?: readonly string[];
}

interface Pending {
  op: string;
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

/** How many of its stderr lines are kept for the message when it fails. */
const STDERR_LINES = 5;

export class SamplerClient {
  private readonly command: PlannedCommand;
  private readonly timeoutMs: number;
  private readonly firstBackoffMs: number;
  private readonly maxBackoffMs: number;
  private readonly healthyAfterMs: number;
  private readonly startupTimeoutMs: number;
  private readonly preamble: readonly string[];
  /** False until the running sampler has answered once. */
  private answered = false;
  private child: ChildProcessWithoutNullStreams | null = null;
  private startedAt = 0;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly listeners = new Set<(event: SamplerEvent) => void>();
  private stderr: string[] = [];
  private backoffMs: number;
  /** While set, no sampler runs: requests fail at once until `retryAt`. */
  private down: { reason: string; retryAt: number } | null = null;
  private closed = false;
  /** Lines that were neither a reply nor an event: a garbled sampler is visible. */
  garbledLines = 0;

  constructor(command: PlannedCommand, options: SamplerClientOptions = {}) {
    this.command = command;
    this.timeoutMs = options.timeoutMs ?? 5000;
    this.firstBackoffMs = options.firstBackoffMs ?? 250;
    this.maxBackoffMs = options.maxBackoffMs ?? 30_000;
    this.healthyAfterMs = options.healthyAfterMs ?? 10_000;
    this.startupTimeoutMs = options.startupTimeoutMs ?? 30_000;
    this.preamble = options.preamble ?? [];
    this.backoffMs = this.firstBackoffMs;
  }

  /** The pid of the running sampler, or null. */
  get pid(): number | null {
    return this.child?.pid ?? null;
  }

  /** Sends one request; resolves with its data, rejects with the sampler's error or SamplerUnavailable. */
  request(op: string, payload: Record<string, unknown> = {}, timeoutMs = this.timeoutMs): Promise<unknown> {
    let child: ChildProcessWithoutNullStreams;
    try {
      child = this.ensure();
    } catch (error) {
      return Promise.reject(error);
    }
    const id = this.nextId++;
    const limitMs = this.answered ? timeoutMs : Math.max(timeoutMs, this.startupTimeoutMs);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => this.fail(`did not answer "${op}" within ${limitMs} ms${this.answered ? '' : ' of starting'}`), limitMs);
      this.pending.set(id, { op, resolve, reject, timer });
      child.stdin.write(`${JSON.stringify({ ...payload, id, op })}\n`);
    });
  }

  /** Calls `listener` with every event line; returns the unsubscribe. */
  onEvent(listener: (event: SamplerEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Ends the sampler; later requests fail. */
  close(): void {
    this.closed = true;
    this.stop('was closed');
  }

  private ensure(): ChildProcessWithoutNullStreams {
    if (this.closed) throw new SamplerUnavailable('the Windows sampler was closed');
    if (this.child) return this.child;
    if (this.down && Date.now() < this.down.retryAt) {
      throw new SamplerUnavailable(`the Windows sampler ${this.down.reason}; it is started again in ${this.down.retryAt - Date.now()} ms`);
    }
    const child = spawn(this.command.command, this.command.args, { detached: true, windowsHide: true, stdio: 'pipe' });
    this.child = child;
    this.startedAt = Date.now();
    this.answered = false;
    this.stderr = [];
    // A write to a sampler that has just exited fails (EPIPE); its exit says why.
    child.stdin.on('error', () => {});
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    createInterface({ input: child.stdout }).on('line', (line) => this.take(line));
    createInterface({ input: child.stderr }).on('line', (line) => {
      this.stderr.push(line);
      if (this.stderr.length > STDERR_LINES) this.stderr.shift();
    });
    child.once('error', (error) => {
      if (this.child === child) this.fail(`could not be started: ${error.message}`);
    });
    child.once('exit', (code, signal) => {
      if (this.child === child) this.fail(`exited (${signal ?? `code ${code}`})`);
    });
    // A request in flight keeps this process alive (its timer does); the sampler alone does not.
    child.unref();
    for (const stream of [child.stdin, child.stdout, child.stderr]) (stream as unknown as { unref?: () => void }).unref?.();
    for (const line of this.preamble) child.stdin.write(`${line}\n`);
    return child;
  }

  private take(line: string): void {
    let message: unknown;
    try {
      message = JSON.parse(line);
    } catch {
      this.garbledLines++;
      return;
    }
    const reply = message as { id?: unknown; ok?: unknown; data?: unknown; error?: unknown; event?: unknown };
    if (reply === null || typeof reply !== 'object') {
      this.garbledLines++;
    } else if (typeof reply.id === 'number' && typeof reply.ok === 'boolean') {
      const waiter = this.pending.get(reply.id);
      this.answered = true;
      if (!waiter) return;
      this.pending.delete(reply.id);
      clearTimeout(waiter.timer);
      if (reply.ok) {
        if (Date.now() - this.startedAt >= this.healthyAfterMs) this.backoffMs = this.firstBackoffMs;
        waiter.resolve(reply.data);
      } else {
        waiter.reject(new Error(`the Windows sampler could not answer "${waiter.op}": ${typeof reply.error === 'string' ? reply.error : 'no reason given'}`));
      }
    } else if (typeof reply.event === 'string') {
      for (const listener of this.listeners) listener(reply as SamplerEvent);
    } else {
      this.garbledLines++;
    }
  }

  /** The sampler failed: every request in flight fails with why, and the next start waits. */
  private fail(reason: string): void {
    const stderr = this.stderr.length > 0 ? ` (it wrote: ${this.stderr.join(' | ')})` : '';
    this.stop(`${reason}${stderr}`);
    this.down = { reason: `${reason}${stderr}`, retryAt: Date.now() + this.backoffMs };
    this.backoffMs = Math.min(this.backoffMs * 2, this.maxBackoffMs);
  }

  private stop(reason: string): void {
    const child = this.child;
    this.child = null;
    if (child) {
      child.stdin.end();
      if (child.exitCode === null && child.signalCode === null) child.kill();
    }
    for (const waiter of this.pending.values()) {
      clearTimeout(waiter.timer);
      waiter.reject(new SamplerUnavailable(`the Windows sampler ${reason}`));
    }
    this.pending.clear();
  }
}
