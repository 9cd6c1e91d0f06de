// The traffic generator (src/traffic/load-generator.ts) at 1,000 req/s against a minimal
// node:http server in a child process, so this process's CPU is the generator's alone.
// N = 3 runs of 10 s (--quick: 3 s) after a 1 s warm-up, with a keep-alive agent (the
// generator's default), then the same with a fresh connection per request for comparison.
// Per run: responses per second over the run (schedule start to last response) ÷ target, the
// worst whole second of sends, p50/p99 latency from the scheduled time, p99 send lag, the
// generator's CPU (process.cpuUsage delta ÷ wall, % of one core), the server's CPU, errors.
// Target (issue 5): holds 1,000 req/s within 1 %.
//
//   node bench/load-generator.ts [--quick]
//
// The same file is the child server: `node bench/load-generator.ts --serve` listens on an
// ephemeral port of 127.0.0.1, prints it, answers every request `200 ok`, and exits when
// its stdin closes (so it cannot outlive the benchmark).
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:http';
import { once } from 'node:events';
import { LoadGenerator } from '../src/traffic/load-generator.ts';
import { isMain, quickFlag } from './lib/demo-fleet.ts';
import { killQuietly, onInterrupt, readCpuTicks, TICKS_PER_SECOND } from './lib/processes.ts';
import { markdownTable, measuredRow, note, section, type Row } from './lib/report.ts';
import { fmt, summarize } from './lib/stats.ts';

const BENCH = 'load-generator';
const RATE = 1000;

interface RunFigures {
  /** OK responses ÷ (schedule start → last response, s) ÷ target. */
  completedRatio: number;
  /** Requests sent ÷ elapsed ÷ target, as the generator reports it. */
  sentRatio: number;
  /** The fewest requests sent in any whole second of the run ÷ target. */
  worstSecondRatio: number;
  p50: number;
  p99: number;
  sendLagP99: number;
  generatorCpuPct: number;
  serverCpuPct: number;
  errors: number;
  maxOpenConnections: number;
}

export async function run(options: { quick: boolean }): Promise<Row[]> {
  const runs = 3;
  const durationMs = options.quick ? 3000 : 10_000;
  section(`${BENCH}: ${RATE} req/s for ${durationMs / 1000} s against a node:http server in a child process, ${runs} runs (after a 1 s warm-up), keep-alive then a connection per request`);
  const server = await startServer();
  const removeCleanup = onInterrupt(async () => server.stop());
  const rows: Row[] = [];
  try {
    note(`server pid ${server.child.pid} on 127.0.0.1:${server.port}; generator pid ${process.pid}`);
    for (const keepAlive of [true, false]) {
      await measure(server, keepAlive, 1000);
      const figures: RunFigures[] = [];
      for (let i = 0; i < runs; i++) {
        const f = await measure(server, keepAlive, durationMs);
        figures.push(f);
        note(
          `${keepAlive ? 'keep-alive' : 'no keep-alive'} run ${i + 1}: completed ${fmt(f.completedRatio * RATE)}/s (×${f.completedRatio.toFixed(4)}), sent ×${f.sentRatio.toFixed(4)}, worst second ×${f.worstSecondRatio.toFixed(3)}, ` +
            `p50 ${fmt(f.p50)} ms, p99 ${fmt(f.p99)} ms, send lag p99 ${fmt(f.sendLagP99)} ms, generator CPU ${fmt(f.generatorCpuPct)} %, server CPU ${fmt(f.serverCpuPct)} %, errors ${f.errors}, max open connections ${f.maxOpenConnections}`,
        );
      }
      rows.push(...figureRows(keepAlive, figures));
    }
  } finally {
    removeCleanup();
    await server.stop();
  }
  console.log(`\n${markdownTable(rows)}`);
  return rows;
}

function figureRows(keepAlive: boolean, figures: readonly RunFigures[]): Row[] {
  const mode = keepAlive ? 'keep-alive' : 'connection per request';
  const of = (pick: (f: RunFigures) => number) => summarize(figures.map(pick));
  const rows = [
    measuredRow(BENCH, `${mode}: responses/s ÷ target (${RATE}/s)`, of((f) => f.completedRatio), '×'),
    measuredRow(BENCH, `${mode}: deviation from target rate (%)`, of((f) => Math.abs(1 - f.completedRatio) * 100), ' %', keepAlive ? { max: 1, label: '≤ 1 %' } : undefined),
    measuredRow(BENCH, `${mode}: worst whole second of sends ÷ target`, of((f) => f.worstSecondRatio), '×'),
    measuredRow(BENCH, `${mode}: p50 latency from schedule (ms)`, of((f) => f.p50), ' ms'),
    measuredRow(BENCH, `${mode}: p99 latency from schedule (ms)`, of((f) => f.p99), ' ms'),
    measuredRow(BENCH, `${mode}: p99 send lag (ms)`, of((f) => f.sendLagP99), ' ms'),
    measuredRow(BENCH, `${mode}: generator CPU (% of one core)`, of((f) => f.generatorCpuPct), ' %'),
    measuredRow(BENCH, `${mode}: server CPU (% of one core)`, of((f) => f.serverCpuPct), ' %'),
    measuredRow(BENCH, `${mode}: errors`, of((f) => f.errors), '', { max: 0, label: '0' }),
  ];
  return rows;
}

async function measure(server: ChildServer, keepAlive: boolean, durationMs: number): Promise<RunFigures> {
  let lastEnd = 0;
  const sendsPerSecond = new Array<number>(Math.ceil(durationMs / 1000) + 1).fill(0);
  const generator = new LoadGenerator({
    baseUrl: `http://127.0.0.1:${server.port}`,
    endpoints: [{ name: 'bench', method: 'GET', path: '/', rate_per_s: RATE, timeout_ms: 2000 }],
    durationMs,
    keepAlive,
    onRequest: (r) => {
      if (r.ended_ms > lastEnd) lastEnd = r.ended_ms;
      const second = Math.floor(r.sent_ms / 1000);
      if (second < sendsPerSecond.length) sendsPerSecond[second] = (sendsPerSecond[second] ?? 0) + 1;
    },
  });
  let maxOpen = 0;
  const watch = setInterval(() => {
    maxOpen = Math.max(maxOpen, generator.stats().open_connections);
  }, 100);
  const serverBefore = readCpuTicks(server.child.pid ?? -1);
  const cpuBefore = process.cpuUsage();
  const wallBefore = performance.now();
  const stats = await generator.run();
  const wall = performance.now() - wallBefore;
  const cpu = process.cpuUsage(cpuBefore);
  const serverAfter = readCpuTicks(server.child.pid ?? -1);
  clearInterval(watch);
  const endpoint = stats.endpoints[0];
  if (endpoint === undefined) throw new Error('the generator reported no endpoint');
  const errors = Object.values(endpoint.errors).reduce((a, b) => a + b, 0);
  const wholeSeconds = sendsPerSecond.slice(0, Math.floor(durationMs / 1000));
  const serverTicks = serverBefore && serverAfter ? serverAfter.self - serverBefore.self : Number.NaN;
  return {
    completedRatio: endpoint.ok / (lastEnd / 1000) / RATE,
    sentRatio: endpoint.achieved_rate_per_s / RATE,
    worstSecondRatio: Math.min(...wholeSeconds) / RATE,
    p50: endpoint.latency.p50_ms,
    p99: endpoint.latency.p99_ms,
    sendLagP99: endpoint.send_lag.p99_ms,
    generatorCpuPct: ((cpu.user + cpu.system) / 1000 / wall) * 100,
    serverCpuPct: ((serverTicks / TICKS_PER_SECOND) * 1000 / wall) * 100,
    errors,
    maxOpenConnections: maxOpen,
  };
}

interface ChildServer {
  child: ChildProcess;
  port: number;
  stop(): Promise<void>;
}

async function startServer(): Promise<ChildServer> {
  const child = spawn(process.execPath, [import.meta.filename, '--serve'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    let text = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      const match = /^listening (\d+)$/m.exec(text);
      if (match) resolve(Number(match[1]));
    });
    child.once('exit', (code) => reject(new Error(`the bench server exited (${code}) before listening`)));
    child.once('error', reject);
  });
  return {
    child,
    port,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.stdin?.end();
      const timer = setTimeout(() => killQuietly(child.pid ?? -1), 2000);
      await exited;
      clearTimeout(timer);
    },
  };
}

function serve(): void {
  const server = createServer((_req, res) => res.end('ok'));
  server.listen(0, '127.0.0.1', () => {
    const address = server.address();
    process.stdout.write(`listening ${typeof address === 'object' && address !== null ? address.port : 0}\n`);
  });
  process.stdin.resume();
  process.stdin.once('end', () => process.exit(0));
}

if (process.argv.includes('--serve')) serve();
else if (isMain(import.meta)) await run({ quick: quickFlag() });
