// openclaw's side of its worker: forks it, sends it tool runs, restarts it (with backoff)
// when it dies unexpectedly, and stops it when openclaw stops.
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { HttpError } from '../lib/http-error.ts';
import { logError, logInfo } from '../lib/log.ts';
import type { ReadyMessage, ResultMessage, WorkerMessage } from './protocol.ts';

const WORKER_PATH = fileURLToPath(new URL('../openclaw-worker.ts', import.meta.url));
const READY_TIMEOUT_MS = 5000;
/** After a disconnect the worker exits by itself; past this it is killed. */
const STOP_GRACE_MS = 1000;
const FIRST_BACKOFF_MS = 100;
const MAX_BACKOFF_MS = 2000;
/** A worker that lived this long resets the backoff: it was not crash-looping. */
const STABLE_AFTER_MS = 10_000;

export interface WorkerStatus {
  worker_pid: number | null;
  worker_ready: boolean;
  worker_restarts: number;
  worker_last_exit: string | null;
  tools: string[];
}

export interface ToolRun {
  output: unknown;
  ms: number;
  worker_pid: number;
}

export interface WorkerLink {
  /** Forks the worker and waits for its self-test; rejects if it does not come up. */
  start(): Promise<void>;
  run(tool: string, input: unknown, timeoutMs: number): Promise<ToolRun>;
  stop(): Promise<void>;
  status(): WorkerStatus;
}

interface Pending {
  resolve: (message: ResultMessage) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

export function createWorkerLink(): WorkerLink {
  let child: ChildProcess | null = null;
  let ready = false;
  let stopping = false;
  let restarts = 0;
  let lastExit: string | null = null;
  let tools: string[] = [];
  let backoff = FIRST_BACKOFF_MS;
  let restartTimer: NodeJS.Timeout | null = null;
  let nextId = 1;
  const pending = new Map<number, Pending>();

  function failPending(reason: string): void {
    for (const [id, p] of pending) {
      clearTimeout(p.timer);
      p.reject(new HttpError(500, 'worker_crashed', reason));
      pending.delete(id);
    }
  }

  function spawnWorker(): Promise<void> {
    const startedAt = Date.now();
    const worker = fork(WORKER_PATH, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], serialization: 'json' });
    child = worker;
    return new Promise<void>((resolve, reject) => {
      const readyTimer = setTimeout(() => {
        reject(new Error(`worker did not pass its self-test within ${READY_TIMEOUT_MS} ms`));
        worker.kill('SIGKILL');
      }, READY_TIMEOUT_MS);

      worker.on('message', (raw: unknown) => {
        const message = raw as WorkerMessage;
        if (message.type === 'ready') {
          clearTimeout(readyTimer);
          tools = (message as ReadyMessage).tools;
          ready = true;
          resolve();
        } else if (message.type === 'result') {
          const p = pending.get(message.id);
          if (p === undefined) return;
          clearTimeout(p.timer);
          pending.delete(message.id);
          p.resolve(message);
        }
      });

      worker.on('error', (error) => logError(`worker ${worker.pid ?? '?'} error`, error));

      worker.on('exit', (code, signal) => {
        clearTimeout(readyTimer);
        if (child === worker) {
          child = null;
          ready = false;
        }
        lastExit = signal === null ? `exit code ${code ?? '?'}` : `signal ${signal}`;
        failPending(`the tool worker died (${lastExit})`);
        reject(new Error(`worker exited before it was ready (${lastExit})`));
        if (stopping) return;
        if (Date.now() - startedAt > STABLE_AFTER_MS) backoff = FIRST_BACKOFF_MS;
        logError(`worker ${worker.pid ?? '?'} died (${lastExit}); restarting in ${backoff} ms`);
        scheduleRestart();
      });
    });
  }

  function scheduleRestart(): void {
    if (restartTimer !== null || stopping) return;
    const wait = backoff;
    backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
    restartTimer = setTimeout(() => {
      restartTimer = null;
      if (stopping) return;
      restarts++;
      spawnWorker().then(
        () => logInfo(`worker restarted (pid ${child?.pid ?? '?'}, restart ${restarts})`),
        // Its exit handler has already scheduled the next attempt.
        (error: unknown) => logError('worker restart failed', error),
      );
    }, wait);
  }

  return {
    start: () => spawnWorker(),

    run(tool, input, timeoutMs) {
      const worker = child;
      if (!ready || worker === null || worker.pid === undefined) {
        return Promise.reject(new HttpError(503, 'worker_unavailable', 'the tool worker is restarting; try again shortly'));
      }
      const pid = worker.pid;
      const id = nextId++;
      return new Promise<ToolRun>((resolve, reject) => {
        const timer = setTimeout(() => {
          pending.delete(id);
          // A tool past its deadline means a stuck worker: replace it rather than queue behind it.
          logError(`tool ${tool} took over ${timeoutMs} ms: killing worker ${pid}`);
          worker.kill('SIGKILL');
          reject(new HttpError(504, 'tool_timeout', `tool ${tool} did not finish within ${timeoutMs} ms`));
        }, timeoutMs);
        pending.set(id, {
          timer,
          reject,
          resolve: (message) => {
            if (message.ok) return resolve({ output: message.output, ms: message.ms, worker_pid: pid });
            const status = message.error === 'tool_failed' ? 500 : 400;
            reject(new HttpError(status, message.error, message.message, message.error === 'unknown_tool' ? { tools } : {}));
          },
        });
        worker.send({ type: 'run', id, tool, input });
      });
    },

    async stop() {
      stopping = true;
      if (restartTimer !== null) clearTimeout(restartTimer);
      const worker = child;
      if (worker === null || worker.exitCode !== null || worker.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
      // Closing the channel is the stop request: the worker exits on 'disconnect'.
      if (worker.connected) worker.disconnect();
      // One still loading has no listener yet and would only notice once loaded: end it now.
      if (!ready) worker.kill('SIGTERM');
      const timer = setTimeout(() => worker.kill('SIGKILL'), STOP_GRACE_MS);
      await exited;
      clearTimeout(timer);
    },

    status: () => ({
      worker_pid: child?.pid ?? null,
      worker_ready: ready,
      worker_restarts: restarts,
      worker_last_exit: lastExit,
      tools,
    }),
  };
}
