// The soak view's lines at 80 columns, from real run folders read by the follower: warm-up
// until the baseline minute, the criterion nearest to its breach, a breach highlighted,
// the verdict once the run ended, a runner gone without an end record, and no run at all.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fitPaneLines, type PaneLine } from '../../components/gates-pane-lines.ts';
import { downsampleMax } from '../../components/series-downsample.ts';
import { bar, breachRatio, describeCriterion, nearestToBreach, soakViewLines, type SoakView } from '../../components/soak-view-lines.ts';
import type { RunnerLiveness } from '../../components/soak-run-choice.ts';
import { SoakRunFollower, type SoakRunSnapshot } from '../../gates/soak/soak-run-follower.ts';
import { startSoakRun, type SoakRunFolder } from '../helpers/soak-run-folder.ts';

const root = mkdtempSync(join(tmpdir(), 'evident-soak-view-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const folders = { artifactsDir: join(root, 'artifacts'), keysDir: join(root, 'keys') };

function read(soak: SoakRunFolder): SoakRunSnapshot {
  const follower = new SoakRunFollower(soak.dir);
  follower.poll();
  return follower.snapshot;
}

function view(snapshot: SoakRunSnapshot, runner: RunnerLiveness = 'live'): SoakView {
  return { kind: 'run', gate: 'gate2', runId: snapshot.run?.runId ?? '', snapshot, runner };
}

/** `now` that many ms after the run's start. */
function after(snapshot: SoakRunSnapshot, ms: number): number {
  return Date.parse(snapshot.run?.startedAt ?? '') + ms;
}

function expectFits(lines: readonly PaneLine[], width: number): void {
  for (const line of lines) expect(line.text.length, line.text).toBeLessThanOrEqual(width);
}

const line = (lines: readonly PaneLine[], start: string) => lines.find((l) => l.text.startsWith(start));

describe('the soak view at 80 columns', () => {
  it('shows the warm-up until the baseline minute, with nothing yet judged', async () => {
    const soak = await startSoakRun({ ...folders, durationS: 172_800, warmupS: 600 });
    for (let n = 1; n <= 3; n++) await soak.minute(n, { errors: n === 2 ? 1 : 0 });
    const snapshot = read(soak);
    const lines = soakViewLines(view(snapshot), 80, after(snapshot, 185_000));
    expectFits(lines, 80);
    expect(lines[0]?.text).toBe(`── gate2 soak · run ${snapshot.run?.runId} · trial `.padEnd(80, '─'));
    expect(lines[1]).toEqual({ text: 'WARM-UP · baseline is minute 11 · 3/2880 min · elapsed 3m05s · left 1d23h', color: 'yellow', keep: 0 });
    expect(lines[2]?.text).toBe('no breach · nothing measured against a limit yet (baseline: minute 11)');
    // One error in 180 requests is 0.56 %, over the limit: not a breach before the baseline minute.
    expect(line(lines, 'errors')?.text).toBe('errors    0.56% ████████████████ limit 0.50% · 1 of 180 · judged from minute 11');
    expect(line(lines, 'memory growth')?.text).toBe('memory growth from minute 11 (after warm-up) · limit 5.0% each');
    expect(line(lines, 'eva-os')?.text).toMatch(/^eva-os +— ░{9} +47\.7 MB  api-gateway/);
    await soak.finish();
  });

  it('highlights the criterion nearest to its breach while there is none', async () => {
    const soak = await startSoakRun({ ...folders, durationS: 600 });
    for (let n = 1; n <= 4; n++) await soak.minute(n, { rss: { 'eva-os': 50e6 * (1 + 0.014 * (n - 1)) } });
    const snapshot = read(soak);
    const lines = soakViewLines(view(snapshot), 80, after(snapshot, 242_000));
    expectFits(lines, 80);
    expect(lines[1]?.text).toBe('RUNNING · 4/10 min · elapsed 4m02s · left 5m58s');
    // eva-os grew 4.2 % of its 5 % limit: 84 % of the way to a breach.
    expect(lines[2]).toEqual({ text: 'no breach · nearest: memory growth eva-os +4.2%, limit 5.0% (84% of the limit)', color: 'yellow', keep: 0 });
    const eva = line(lines, 'eva-os');
    expect(eva?.color).toBe('yellow');
    expect(eva?.text).toMatch(/eva-os +\+4\.2% █{7,8}░{1,2} +49\.7 MB/);
    expect(line(lines, 'requests')?.text).toBe('requests 240 to api-gateway · last minute 1.00/s of 1/s target');
    expect(line(lines, 'restarts')?.text).toBe('restarts 0 (limit 0) · stuck requests 0 · p95_ms>2000 for 3 min: longest 0');
    // Rows to spare list the latest minutes, newest first, as many as fit.
    const tall = soakViewLines(view(snapshot), 80, after(snapshot, 242_000), lines.length + 4);
    expect(tall).toHaveLength(lines.length + 4);
    expect(tall.slice(lines.length).map((l) => l.text.trimEnd())).toEqual([
      `── latest minutes `.padEnd(80, '─'),
      ' minute  requests  errors       p50       p95       p99  memory',
      expect.stringMatching(/^ {6}4 {8}60 {7}0 +\d+\.\d ms +\d+\.\d ms +\d+\.\d ms  \+4\.2% eva-os$/),
      expect.stringMatching(/^ {6}3 {8}60 {7}0 .* \+2\.8% eva-os$/),
    ]);
    await soak.finish();
  });

  it('highlights the breach in red, and the verdict once the run has ended', async () => {
    const soak = await startSoakRun({ ...folders, durationS: 300 });
    await soak.minute(1);
    await soak.minute(2);
    await soak.minute(3, { errors: 2 });
    const running = read(soak);
    const live = soakViewLines(view(running), 80, after(running, 181_000));
    expect(live[1]?.text).toBe('RUNNING · 3/5 min · elapsed 3m01s · left 1m59s');
    expect(live[2]).toEqual({ text: 'BREACH in minute 3: error rate 1.11%, limit 0.50%', color: 'red', keep: 0 });
    expect(line(live, 'errors')).toMatchObject({ text: 'errors    1.11% ████████████████ limit 0.50% · 2 of 180', color: 'red' });

    const finished = await soak.finish();
    const ended = read(soak);
    const lines = soakViewLines(view(ended), 80, after(ended, 3_600_000));
    expectFits(lines, 80);
    expect(lines[1]?.text).toMatch(/^FAILED · 3\/5 min · took \d+s$/);
    expect(lines[1]?.color).toBe('red');
    expect(lines[2]?.text).toBe('BREACH in minute 3: error rate 1.11%, limit 0.50%');
    expect(line(lines, 'verdict:')).toMatchObject({ text: 'verdict: minute 3: max_error_rate measured 0.0111111, limit 0.005', color: 'red' });
    expect(line(lines, 'summary:')?.text).toBe(`summary: ${finished.summaryFile} (evident verify checks it)`);
  });

  it('highlights a stalled traffic generator as a breach of the traffic achieved, naming the endpoint', async () => {
    const soak = await startSoakRun({ ...folders, durationS: 300 });
    await soak.minute(1);
    await soak.minute(2, { requests: 0 });
    const snapshot = read(soak);
    const lines = soakViewLines(view(snapshot), 80, after(snapshot, 121_000));
    expect(lines[2]).toEqual({ text: 'BREACH in minute 2: traffic chat 0% of its schedule, limit 90%', color: 'red', keep: 0 });
    await soak.finish();
  });

  it('says when a run has no end record and its runner is gone', async () => {
    const soak = await startSoakRun({ ...folders, durationS: 600 });
    await soak.minute(1);
    const snapshot = read(soak);
    const lines = soakViewLines(view(snapshot, 'gone'), 80, after(snapshot, 900_000));
    expect(lines[1]).toEqual({ text: 'NO END RECORD · 1/10 min · elapsed 15m00s · due to end · its runner is gone', color: 'red', keep: 0 });
    await soak.finish();
  });

  it('draws the latency over the whole run in the width, a spike kept', async () => {
    const soak = await startSoakRun({ ...folders, durationS: 120 * 60 });
    for (let n = 1; n <= 120; n++) await soak.minute(n, n === 77 ? { slow: 10, slowMs: 900 } : {});
    const snapshot = read(soak);
    const lines = soakViewLines(view(snapshot), 80, after(snapshot, 7_200_000));
    expectFits(lines, 80);
    const p95 = line(lines, 'p95')?.text ?? '';
    const spark = p95.slice(4, 4 + 42);
    expect(spark).toMatch(/^[▁-█]{42}$/);
    // 120 minutes in 42 columns: the spike at minute 77 is the one full bar.
    expect([...spark].filter((c) => c === '█')).toHaveLength(1);
    expect(p95).toMatch(/ worst ×\d+\.\d\d \(limit ×2\)$/);
    // The whole view fits the 18 rows the console gives it at 80×24 while following a runner.
    const fitted = fitPaneLines(lines, 18, 80);
    expect(fitted).toHaveLength(lines.length);
    await soak.finish();
  });

  it('says how to start a run when there is none', () => {
    const lines = soakViewLines({ kind: 'none', gate: 'gate2', message: 'no gate2 run yet under this contract: `evident gate gate2 --duration 3m` starts a trial' }, 80, 0);
    expect(lines.map((l) => l.text)).toEqual([`── gate2 soak `.padEnd(80, '─'), 'no gate2 run yet under this contract: `evident gate gate2 --duration 3m` starts…']);
  });
});

describe('the soak view helpers', () => {
  it('measures the nearness to a breach as measured ÷ limit, and the p95 factor from ×1', () => {
    const c = (name: string, measured: number | null, limit: number, ok = true) => ({ name, measured, limit, ok });
    expect(breachRatio(c('max_error_rate', 0.001, 0.005))).toBeCloseTo(0.2);
    expect(breachRatio(c('max_restarts', 0, 0))).toBe(0);
    expect(breachRatio(c('max_restarts', 1, 0))).toBe(Number.POSITIVE_INFINITY);
    expect(breachRatio(c('max_memory_growth', null, 0.05))).toBeNull();
    // A steady p95 (×1 the baseline) is no nearer its ×2 limit than a clean error rate.
    expect(breachRatio(c('p95_stability_factor', 1, 2))).toBe(0);
    expect(breachRatio(c('p95_stability_factor', 1.5, 2))).toBeCloseTo(0.5);
    expect(nearestToBreach([c('max_error_rate', 0.001, 0.005), c('p95_stability_factor', 1.5, 2), c('max_memory_growth', 0.049, 0.05, false)])?.criterion.name).toBe('p95_stability_factor');
    expect(nearestToBreach([c('max_error_rate', 0.001, 0.005), c('p95_stability_factor', 1.1, 2)])?.criterion.name).toBe('max_error_rate');
    expect(nearestToBreach([c('max_restarts', 0, 0), c('max_memory_growth', -0.01, 0.05)])).toBeNull();
  });

  it('never calls a per-minute floor nearest to a breach, and names its service or endpoint', () => {
    const observations = { name: 'complete_observations', measured: 11 / 12, limit: 11 / 12, ok: true };
    const traffic = { name: 'traffic_achieved', measured: 0.95, limit: 0.9, ok: true };
    expect(breachRatio(observations)).toBeNull();
    expect(breachRatio(traffic)).toBeNull();
    expect(nearestToBreach([observations, traffic, { name: 'max_error_rate', measured: 0.001, limit: 0.005, ok: true }])?.criterion.name).toBe('max_error_rate');
    expect(describeCriterion({ ...observations, ok: false, measured: 0, service: 'eva-os', minute: 2 })).toBe('observations eva-os 0% of the samples due, limit 92%');
    expect(describeCriterion({ ...traffic, ok: false, measured: 0.5, endpoint: 'chat', minute: 2 })).toBe('traffic chat 50% of its schedule, limit 90%');
  });

  it('draws a limit bar and shrinks a series by the maximum of each span', () => {
    expect(bar(0.5, 10)).toBe('█████░░░░░');
    expect(bar(3, 4)).toBe('████');
    expect(bar(-1, 4)).toBe('░░░░');
    expect(downsampleMax([1, 5, 2, 2, 9, 1], 3)).toEqual([5, 2, 9]);
    expect(downsampleMax([1, null, 3], 5)).toEqual([1, 0, 3]);
    expect(downsampleMax(Array.from({ length: 2880 }, (_, i) => i), 45)).toHaveLength(45);
  });
});
