// A Gate 2 run folder as the soak runner leaves it, for the on-call view's tests: written
// by the real RunWriter (journal with run.start, soak.minute records, run.end, run.verdict,
// summary, manifest) with real per-minute documents (encoded HDR histograms) beside the
// journal as `gate2-metrics-minute-NNNN.json`, one minute at a time, so a test can read
// the folder between minutes.
import '../../gates/registered-judges.ts';
import { buildMinuteMetrics } from '../../gates/soak/minute-metrics.ts';
import { minuteMetricsFileName, type MinuteMetrics } from '../../gates/soak/minute-document.ts';
import type { SoakCriteria } from '../../gates/soak/soak-tally.ts';
import { RunWriter, type FinishedRun } from '../../src/evidence/run-writer.ts';
import { writeArtifact } from '../../src/evidence/write-artifact.ts';
import { newLatencyHistogram, recordMs } from '../../src/traffic/latency-histogram.ts';

export const SOAK_SERVICES = ['memory-engine', 'model-router', 'openclaw', 'pipecat', 'eva-os', 'api-gateway'] as const;
/** The runner's default: a minute of 60 s holds 12 rounds of probes and RSS samples. */
export const SOAK_SAMPLE_INTERVAL_S = 5;
export const SOAK_CRITERIA: SoakCriteria = { max_error_rate: 0.005, max_memory_growth: 0.05, max_restarts: 0, p95_stability_factor: 2, sustained: [{ metric: 'p95_ms', above: 2000, minutes: 3 }] };

export interface SoakRunSetup {
  artifactsDir: string;
  keysDir: string;
  durationS: number;
  warmupS?: number;
  /** Seconds in a metrics minute (the runner's tests shorten it). */
  minuteS?: number;
  services?: readonly string[];
  criteria?: SoakCriteria;
  trial?: boolean;
  /** The contract the run is made under (a test one unless given). */
  contract?: { name: string; version: string; hash: string; path: string };
  /** The pipeline it is made under (none unless given: such a run counts for no gate state). */
  pipeline?: { name: string; version: string; hash: string };
}

export interface MinuteSpec {
  requests?: number;
  errors?: number;
  /** Every request takes about this long, but `slow` of them take `slowMs`. */
  latencyMs?: number;
  slow?: number;
  slowMs?: number;
  /** RSS per service (bytes): 50 MB unless named. */
  rss?: Record<string, number>;
  restarts?: Record<string, number>;
  /** The schedule's rate (requests per second); 1 unless given. */
  targetRate?: number;
}

export interface SoakRunFolder {
  run: RunWriter;
  dir: string;
  /** Journals minute n and writes its file, as the runner does. */
  minute(n: number, spec?: MinuteSpec): Promise<MinuteMetrics>;
  finish(): Promise<FinishedRun>;
}

export async function startSoakRun(setup: SoakRunSetup): Promise<SoakRunFolder> {
  const minuteS = setup.minuteS ?? 60;
  const services = setup.services ?? SOAK_SERVICES;
  const criteria = setup.criteria ?? SOAK_CRITERIA;
  const run = await RunWriter.create({
    artifactsDir: setup.artifactsDir,
    keysDir: setup.keysDir,
    kind: 'soak',
    label: 'gate2',
    contract: setup.contract ?? { name: 'test', version: '1.0.0', hash: 'c'.repeat(64), path: '/x/contract.json' },
    actor: 'tester',
    criteria: criteria as unknown as Record<string, unknown>,
    parameters: { duration_s: setup.durationS, warmup_s: setup.warmupS ?? 0, minute_s: minuteS, sample_interval_s: SOAK_SAMPLE_INTERVAL_S, target: 'api-gateway', traffic: { endpoints: [] } },
    trial: setup.trial ?? true,
    start: { gate: 'gate2', title: 'Gate 2: 48-hour soak under synthetic traffic', services: [...services], ...(setup.pipeline === undefined ? {} : { pipeline: setup.pipeline }) },
    snapshot: { config: {}, flags: {}, env: {}, serviceEnvNames: [], evidentVersion: 'test', platform: { os: 'linux', arch: 'x64', release: 'test' }, runtime: process.version },
  });
  const t0 = Date.now();
  return {
    run,
    dir: run.dir,
    async minute(n, spec = {}) {
      const doc = minuteDocument(n, t0, minuteS, services, spec);
      await run.record({ type: 'soak.minute', payload: doc as unknown as Record<string, unknown> });
      writeArtifact(run.dir, minuteMetricsFileName(n), `${JSON.stringify(doc, null, 2)}\n`);
      return doc;
    },
    finish: () => run.finish(),
  };
}

/** A run of another kind (a Gate 1 run, not yet ended), for what a soak view must refuse. */
export function startGate1Run(folders: { artifactsDir: string; keysDir: string }): Promise<RunWriter> {
  return RunWriter.create({
    ...folders,
    kind: 'start-stop-cycles',
    label: 'gate1',
    contract: { name: 'test', version: '1.0.0', hash: 'c'.repeat(64), path: '/x/contract.json' },
    actor: 'tester',
    criteria: {},
    parameters: { cycles: 1 },
    start: { gate: 'gate1', services: [] },
    snapshot: { config: {}, flags: {}, env: {}, serviceEnvNames: [], evidentVersion: 'test', platform: { os: 'linux', arch: 'x64', release: 'test' }, runtime: process.version },
  });
}

/**
 * An honest minute unless the spec says otherwise: every request of the schedule sent (60
 * at 1 req/s), and every service probed and sampled once a sample interval, as the runner
 * does (the judge fails a minute short of either).
 */
export function minuteDocument(n: number, t0: number, minuteS: number, services: readonly string[], spec: MinuteSpec): MinuteMetrics {
  const requests = spec.requests ?? 60;
  const rounds = Math.max(1, Math.floor(minuteS / SOAK_SAMPLE_INTERVAL_S));
  const slow = Math.min(requests, spec.slow ?? 0);
  const histogram = newLatencyHistogram();
  for (let i = 0; i < requests - slow; i++) recordMs(histogram, (spec.latencyMs ?? 20) + (i % 5));
  for (let i = 0; i < slow; i++) recordMs(histogram, spec.slowMs ?? 20);
  return buildMinuteMetrics({
    minute: n,
    start: new Date(t0 + (n - 1) * minuteS * 1000).toISOString(),
    end: new Date(t0 + n * minuteS * 1000).toISOString(),
    endpoints: [{ name: 'chat', target_rate_per_s: spec.targetRate ?? 1, sent: requests, requests, errors: { http_status: spec.errors ?? 0 }, histogram }],
    active_connections: 2,
    services: services.map((name) => {
      const rss = spec.rss?.[name] ?? 50e6;
      return {
        name,
        cpu_percent_samples: Array.from({ length: rounds }, (_, i) => (i % 3 === 1 ? 2 : 1)),
        rss_bytes_samples: Array.from({ length: rounds }, () => rss),
        restarts: spec.restarts?.[name] ?? 0,
        probes: { checks: rounds },
      };
    }),
  });
}
