// A Gate 2 run as verify meets it: written by the run writer with real per-minute metrics
// (encoded HDR histograms), judged by the soak judge from those records, and recomputed by
// `verifyRun` — which also catches a summary whose verdict was edited.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import '../../gates/registered-judges.ts';
import { buildMinuteMetrics } from '../../gates/soak/minute-metrics.ts';
import { minuteMetricsFileName } from '../../gates/soak/minute-document.ts';
import { RunWriter } from '../../src/evidence/run-writer.ts';
import { installationTrustedKeys } from '../../src/evidence/trusted-keys.ts';
import { verifyRun } from '../../src/evidence/verify-run.ts';
import { newLatencyHistogram, recordMs } from '../../src/traffic/latency-histogram.ts';

const dir = mkdtempSync(join(tmpdir(), 'evident-soak-verify-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const T0 = Date.UTC(2026, 0, 1, 0, 0, 0);
const CRITERIA = { max_error_rate: 0.005, max_memory_growth: 0.05, max_restarts: 0, p95_stability_factor: 2, sustained: [] };

/** 60 requests of ~20 ms, of which `slow` took `slowMs`. */
function minute(n: number, slowMs: number, slow = 2) {
  const histogram = newLatencyHistogram();
  for (let i = 0; i < 60 - slow; i++) recordMs(histogram, 20 + (i % 7));
  for (let i = 0; i < slow; i++) recordMs(histogram, slowMs);
  return buildMinuteMetrics({
    minute: n,
    start: new Date(T0 + (n - 1) * 60_000).toISOString(),
    end: new Date(T0 + n * 60_000).toISOString(),
    endpoints: [{ name: 'chat', target_rate_per_s: 1, sent: 60, requests: 60, errors: {}, histogram }],
    active_connections: 1,
    // A probe and an RSS sample every 5 s, the runner's default: 12 a minute.
    services: [{ name: 'api', cpu_percent_samples: Array.from({ length: 12 }, () => 1), rss_bytes_samples: Array.from({ length: 12 }, () => 50e6), restarts: 0, probes: { checks: 12 } }],
  });
}

/** A soak run of `durationS` (a trial), started as the runner starts one. */
function startRun(durationS: number): Promise<RunWriter> {
  return RunWriter.create({
    artifactsDir: join(dir, 'artifacts'),
    keysDir: join(dir, 'keys'),
    kind: 'soak',
    label: 'gate2',
    contract: { name: 'test', version: '1.0.0', hash: 'c'.repeat(64), path: '/x/contract.json' },
    actor: 'tester',
    criteria: CRITERIA,
    parameters: { duration_s: durationS, warmup_s: 0 },
    trial: true,
    start: { gate: 'gate2', services: ['api'] },
    snapshot: { config: {}, flags: {}, env: {}, serviceEnvNames: [], evidentVersion: 'test', platform: { os: 'linux', arch: 'x64', release: 'test' }, runtime: process.version },
  });
}

async function soakRun(slowMsInMinute3: number, options: { skipFile?: number; alterFile?: number } = {}) {
  const run = await startRun(180);
  // Minute 3: 6 of 60 requests (10 %) at slowMsInMinute3, enough to move its p95.
  for (const [n, slowMs, slow] of [[1, 30, 2], [2, 30, 2], [3, slowMsInMinute3, 6]] as const) {
    const doc = minute(n, slowMs, slow);
    await run.record({ type: 'soak.minute', payload: doc as unknown as Record<string, unknown> });
    // As the runner does: the same document as the minute's file, unless a case says otherwise.
    if (options.skipFile === n) continue;
    const written = options.alterFile === n ? { ...doc, overall: { ...doc.overall, requests: doc.overall.requests - 1 } } : doc;
    run.attachNamed(minuteMetricsFileName(n), `${JSON.stringify(written, null, 2)}\n`);
  }
  return run.finish();
}

/** The keys this test's runs are signed with, trusted as an installation trusts its own. */
function trusted() {
  return { trustedKeys: installationTrustedKeys(join(dir, 'keys')) };
}

describe('a Gate 2 run through verify', () => {
  it('recomputes every minute verdict from the stored histograms: a passing run verifies', async () => {
    const finished = await soakRun(30);
    expect(finished.verdict.status).toBe('PASSED');
    expect(readdirSync(finished.dir)).toContain(finished.summaryFile);
    expect(finished.summaryFile).toMatch(/^gate2-summary-\d{8}T\d{6}Z\.json$/);
    const checks = await verifyRun(finished.dir, trusted());
    expect(checks.filter((c) => !c.ok)).toEqual([]);
    expect(checks.find((c) => c.check === 'summary')?.detail).toMatch(/PASSED: equals soak judge/);
  });

  it('carries the plan\'s fields in the summary, and verify recomputes them too', async () => {
    const finished = await soakRun(30);
    const path = join(finished.dir, finished.summaryFile);
    const summary = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
    expect(summary).toMatchObject({ duration_hours: 0.05, requests_total: 180, errors_total: 0, error_rate_percent: 0, error_rate_threshold: 0.5, memory_growth_percent: { api: 0 }, service_restarts: 0, deadlocks_detected: 0 });
    expect(summary.latency_p95_ms).toBeCloseTo(30, 0);
    writeFileSync(path, `${JSON.stringify({ ...summary, latency_p99_ms: 25 }, null, 2)}\n`);
    const checks = await verifyRun(finished.dir, trusted());
    expect(checks.find((c) => c.check === 'summary')).toMatchObject({ ok: false, detail: expect.stringContaining('latency_p99_ms: the summary says 25') });
  });

  it('a p95 spike in minute 3 fails the run, and a summary edited to PASSED is caught', async () => {
    const finished = await soakRun(5000);
    expect(finished.verdict.status).toBe('FAILED');
    expect(finished.verdict.first_breach).toMatchObject({ criterion: 'p95_stability_factor', minute: 3 });
    const path = join(finished.dir, finished.summaryFile);
    const summary = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
    writeFileSync(path, `${JSON.stringify({ ...summary, status: 'PASSED' }, null, 2)}\n`);
    const checks = await verifyRun(finished.dir, trusted());
    expect(checks.find((c) => c.check === 'summary')).toMatchObject({ ok: false });
  });

  it('checks each minute file against the journal: a file that differs, or one missing, is named', async () => {
    const altered = await soakRun(30, { alterFile: 2 });
    expect(altered.verdict.status).toBe('PASSED');
    const alteredChecks = await verifyRun(altered.dir, trusted());
    expect(alteredChecks.find((c) => c.check === 'evidence')).toMatchObject({ ok: false, detail: expect.stringContaining("gate2-metrics-minute-0002.json differs from the journal's record of minute 2") });
    // Signed as it stands: only the evidence check can tell.
    expect(alteredChecks.filter((c) => !c.ok).map((c) => c.check)).toEqual(['evidence']);
    const missing = await verifyRun((await soakRun(30, { skipFile: 3 })).dir, trusted());
    expect(missing.find((c) => c.check === 'evidence')).toMatchObject({ ok: false, detail: expect.stringContaining('gate2-metrics-minute-0003.json is missing') });
  });

  it('flags a minute whose written percentiles its own histogram contradicts', async () => {
    const run = await startRun(60);
    const doc = minute(1, 30);
    const lying = { ...doc, overall: { ...doc.overall, p99_ms: 1 } };
    await run.record({ type: 'soak.minute', payload: lying as unknown as Record<string, unknown> });
    run.attachNamed(minuteMetricsFileName(1), JSON.stringify(lying));
    const finished = await run.finish();
    expect(finished.verdict.status).toBe('PASSED');
    const checks = await verifyRun(finished.dir, trusted());
    expect(checks.find((c) => c.check === 'evidence')?.detail).toMatch(/minute 1: overall's written p50\/p95\/p99 \(.*\/1 ms\) are not its histogram's/);
  });
});
