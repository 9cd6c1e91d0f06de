// `evident verify` on a full 48-hour Gate 2 run: 2,880 minutes, each written as the soak
// runner writes it (a `soak.minute` record with four endpoints' encoded HDR histograms and
// 12 CPU/RSS samples per service of six, and the same document as its minute file), then
// signed by RunWriter. Wall time of the whole command (spawned as a user runs it) and its
// peak RSS (`/usr/bin/time -f %M`), against `sha256sum -c SHA256SUMS` in the same folder.
// verify decodes every stored histogram twice (the judge's recompute, and the evidence
// check of the percentiles written beside them) and holds the journal in memory.
//
//   node bench/verify-soak.ts [--quick]      (--quick: 6 hours, 360 minutes)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, isMain, NODE, quickFlag, runTimed } from './lib/demo-fleet.ts';
import { onInterrupt } from './lib/processes.ts';
import { markdownTable, measuredRow, missingRow, note, section, type Row } from './lib/report.ts';
import { fmt, summarize } from './lib/stats.ts';

const BENCH = 'verify-soak';
const MB = 2 ** 20;
const SERVICES = ['memory-engine', 'model-router', 'openclaw', 'pipecat', 'eva-os', 'api-gateway'];
/** The demo profile per minute: requests and a latency (ms) around which they fall. */
const ENDPOINTS = [
  { name: 'chat', rate: 1, ms: 110 },
  { name: 'action', rate: 0.5, ms: 60 },
  { name: 'tool', rate: 0.25, ms: 30 },
  { name: 'session', rate: 2 / 300, ms: 5 },
];

export async function run(options: { quick: boolean }): Promise<Row[]> {
  const minutes = options.quick ? 360 : 2880;
  const n = options.quick ? 2 : 3;
  section(`verify-soak: evident verify on a ${minutes / 60}-hour Gate 2 run (${minutes} minutes), N=${n}`);
  const root = mkdtempSync(join(tmpdir(), 'evident-bench-verify-soak-'));
  const removeInterrupt = onInterrupt(async () => rmSync(root, { recursive: true, force: true }));
  try {
    const started = performance.now();
    const dir = await buildSoakRun(root, minutes);
    const journalBytes = statSync(join(dir, 'journal.jsonl')).size;
    const filesBytes = readdirSync(dir).reduce((sum, name) => sum + statSync(join(dir, name)).size, 0);
    note(`built in ${fmt((performance.now() - started) / 1000)} s: journal ${fmt(journalBytes / MB)} MB, folder ${fmt(filesBytes / MB)} MB, ${readdirSync(dir).length} files`);
    const hasTime = spawnSync('/usr/bin/time', ['-f', '%M', 'true']).status === 0;
    const hasSha256sum = spawnSync('sha256sum', ['--version']).status === 0;
    const trustedKeyFile = join(root, 'keys', 'evident-ed25519.pub');
    const walls: number[] = [];
    const peaks: number[] = [];
    const sums: number[] = [];
    for (let i = -1; i < n; i++) {
      const verified = hasTime
        ? await runTimed('/usr/bin/time', ['-f', 'peak-kb %M', NODE, BIN, 'verify', dir, '--trusted-key', trustedKeyFile], { timeoutMs: 600_000 })
        : await runTimed(NODE, [BIN, 'verify', dir, '--trusted-key', trustedKeyFile], { timeoutMs: 600_000 });
      if (verified.exitCode !== 0) throw new Error(`evident verify exited ${verified.exitCode}:\n${verified.stdout}${verified.stderr}`);
      if (i === -1) for (const line of verified.stdout.trimEnd().split('\n')) note(`| ${line}`);
      if (hasSha256sum) {
        const sum = await runTimed('sha256sum', ['--quiet', '-c', 'SHA256SUMS'], { cwd: dir, timeoutMs: 600_000 });
        if (sum.exitCode !== 0) throw new Error(`sha256sum -c exited ${sum.exitCode}`);
        if (i >= 0) sums.push(sum.wallMs);
      }
      if (i < 0) continue;
      walls.push(verified.wallMs);
      const peak = /peak-kb (\d+)/.exec(verified.stderr)?.[1];
      if (peak !== undefined) peaks.push((Number(peak) * 1024) / MB);
    }
    const rows: Row[] = [measuredRow(BENCH, `\`evident verify\`, ${minutes}-minute soak (journal ${fmt(journalBytes / MB)} MB), wall`, summarize(walls), ' ms')];
    rows.push(peaks.length > 0 ? measuredRow(BENCH, '`evident verify` peak RSS', summarize(peaks), ' MB') : missingRow(BENCH, '`evident verify` peak RSS', '/usr/bin/time missing'));
    if (hasSha256sum) {
      rows.push(measuredRow(BENCH, '`sha256sum -c SHA256SUMS`, same folder, wall', summarize(sums), ' ms'));
      rows.push(measuredRow(BENCH, '`evident verify` ÷ `sha256sum -c`', summarize(walls.map((t, i) => t / (sums[i] as number))), '×'));
    }
    console.log(`\n${markdownTable(rows)}`);
    return rows;
  } finally {
    removeInterrupt();
    rmSync(root, { recursive: true, force: true });
  }
}

/** A finished, signed soak run of `minutes` minutes, as the runner leaves it. */
async function buildSoakRun(root: string, minutes: number): Promise<string> {
  await import('../gates/registered-judges.ts');
  const { RunWriter } = await import('../src/evidence/run-writer.ts');
  const { buildMinuteMetrics } = await import('../gates/soak/minute-metrics.ts');
  const { minuteMetricsFileName } = await import('../gates/soak/minute-document.ts');
  const { newLatencyHistogram, recordMs } = await import('../src/traffic/latency-histogram.ts');
  const t0 = Date.now() - minutes * 60_000;
  const run = await RunWriter.create({
    artifactsDir: join(root, 'artifacts'),
    keysDir: join(root, 'keys'),
    kind: 'soak',
    label: 'gate2',
    contract: { name: 'evident demo fleet', version: '1.0.0', hash: 'c'.repeat(64), path: '/bench/contract.json' },
    actor: 'bench',
    criteria: { max_error_rate: 0.005, max_memory_growth: 0.05, max_restarts: 0, p95_stability_factor: 2, sustained: [{ metric: 'p95_ms', above: 2000, minutes: 3 }] },
    parameters: { duration_s: minutes * 60, warmup_s: 600, minute_s: 60, sample_interval_s: 5, target: 'api-gateway', traffic: { endpoints: [] } },
    start: { gate: 'gate2', services: SERVICES },
    snapshot: { config: {}, flags: {}, env: {}, serviceEnvNames: [], evidentVersion: 'bench', platform: { os: 'linux', arch: 'x64', release: 'bench' }, runtime: process.version },
  });
  for (let m = 1; m <= minutes; m++) {
    const endpoints = ENDPOINTS.map((e) => {
      const histogram = newLatencyHistogram();
      const count = Math.round(e.rate * 60);
      // A deterministic spread around the endpoint's latency: ±20 %.
      for (let i = 0; i < count; i++) recordMs(histogram, e.ms * (0.8 + (0.4 * ((i * 7 + m) % 13)) / 12));
      return { name: e.name, target_rate_per_s: e.rate, sent: count, requests: count, errors: {}, histogram };
    });
    const doc = buildMinuteMetrics({
      minute: m,
      start: new Date(t0 + (m - 1) * 60_000).toISOString(),
      end: new Date(t0 + m * 60_000).toISOString(),
      endpoints,
      active_connections: 3,
      services: SERVICES.map((name, s) => ({
        name,
        cpu_percent_samples: Array.from({ length: 12 }, (_, k) => 0.5 + ((k + s + m) % 7) / 10),
        rss_bytes_samples: Array.from({ length: 12 }, (_, k) => 100 * MB + ((k * 4096 + s * 65536 + m) % 1_000_000)),
        restarts: 0,
        probes: { checks: 12, failures: 0, timeouts: 0 },
      })),
    });
    await run.record({ type: 'soak.minute', event_time: doc.end, payload: doc as unknown as Record<string, unknown> });
    run.attachNamed(minuteMetricsFileName(m), `${JSON.stringify(doc, null, 2)}\n`);
  }
  const finished = await run.finish();
  if (finished.verdict.status !== 'PASSED') throw new Error(`the bench's soak run judged ${finished.verdict.status}: ${JSON.stringify(finished.verdict.reasons)}`);
  return finished.dir;
}

if (isMain(import.meta)) await run({ quick: quickFlag() });
