// The soak follower on real run folders written by the RunWriter with real minute
// documents: it catches up from minute 1, folds later minutes one poll at a time without
// re-reading, tells the end from the journal's tail and the summary, agrees with the
// judge's verdict, and says clearly what it cannot follow.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { minuteMetricsFileName } from '../../gates/soak/minute-document.ts';
import { writeArtifact } from '../../src/evidence/write-artifact.ts';
import { SoakRunFollower } from '../../gates/soak/soak-run-follower.ts';
import { minuteDocument, SOAK_SERVICES, startSoakRun, startGate1Run } from '../helpers/soak-run-folder.ts';

const root = mkdtempSync(join(tmpdir(), 'evident-soak-follower-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const folders = { artifactsDir: join(root, 'artifacts'), keysDir: join(root, 'keys') };

describe('following a soak run from its folder', () => {
  it('says what runs as soon as the run has started, before its first minute closes', async () => {
    const soak = await startSoakRun({ ...folders, durationS: 300 });
    const follower = new SoakRunFollower(soak.dir);
    expect(follower.poll()).toBe(true);
    expect(follower.snapshot.run).toMatchObject({ gate: 'gate2', expected: 5 });
    expect(follower.snapshot.points).toEqual([]);
    expect(follower.poll()).toBe(false);
    await soak.finish();
  });

  it('catches up from minute 1 when attached late, then folds each new minute once', async () => {
    const soak = await startSoakRun({ ...folders, durationS: 600, warmupS: 120 });
    for (let n = 1; n <= 5; n++) await soak.minute(n, { latencyMs: 20 + n });
    const follower = new SoakRunFollower(soak.dir);
    expect(follower.poll()).toBe(true);
    const first = follower.snapshot;
    expect(first.error).toBeNull();
    expect(first.run).toMatchObject({ gate: 'gate2', trial: true, durationS: 600, warmupS: 120, minuteS: 60, baseline: 3, expected: 10, target: 'api-gateway', services: [...SOAK_SERVICES] });
    expect(first.points.map((p) => p.minute)).toEqual([1, 2, 3, 4, 5]);
    expect(first.points[0]).toMatchObject({ requests: 60, errors: 0, achievedRate: 1, targetRate: 1, restarts: 0 });
    // Latencies are the histogram's, as the judge reads them: 60 requests at 21–25 ms.
    expect(first.points[0]?.p50).toBeGreaterThanOrEqual(21);
    expect(first.points[0]?.p99).toBeLessThanOrEqual(25.1);
    expect(first.end).toBeNull();

    // Nothing new: no new snapshot.
    expect(follower.poll()).toBe(false);
    expect(follower.snapshot).toBe(first);

    await soak.minute(6, { rss: { openclaw: 51e6 } });
    expect(follower.poll()).toBe(true);
    const second = follower.snapshot;
    expect(second.points.map((p) => p.minute)).toEqual([1, 2, 3, 4, 5, 6]);
    // The earlier points are the same objects: folded once, never re-read.
    expect(second.points[0]).toBe(first.points[0]);
    expect(second.version).toBeGreaterThan(first.version);
    // The snapshot given out before is left as it was.
    expect(first.points).toHaveLength(5);
    const growth = second.criteria.find((c) => c.name === 'max_memory_growth' && c.service === 'openclaw');
    expect(growth?.measured).toBeCloseTo(0.02, 6);
    expect(second.points.at(-1)?.worstGrowth).toEqual({ service: 'openclaw', growth: expect.closeTo(0.02, 6) });
    await soak.finish();
  });

  it('tells the end from the journal and the summary, and says what the judge says', async () => {
    const soak = await startSoakRun({ ...folders, durationS: 240, warmupS: 60 });
    const follower = new SoakRunFollower(soak.dir);
    follower.poll();
    await soak.minute(1);
    await soak.minute(2);
    await soak.minute(3, { rss: { 'eva-os': 53e6 } });
    await soak.minute(4);
    follower.poll();
    expect(follower.snapshot.end).toBeNull();
    expect(follower.snapshot.firstBreach).toMatchObject({ criterion: 'max_memory_growth', service: 'eva-os', minute: 3 });
    expect(follower.snapshot.points[2]?.breaches).toEqual([expect.objectContaining({ criterion: 'max_memory_growth', service: 'eva-os', minute: 3 })]);
    const finished = await soak.finish();
    expect(follower.poll()).toBe(true);
    const { end, criteria, firstBreach } = follower.snapshot;
    expect(end).toMatchObject({ status: 'FAILED', summaryFile: finished.summaryFile });
    expect(end?.endedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(end?.reasons[0]).toMatch(/^minute 3: max_memory_growth \(eva-os\)/);
    // The view's criteria are the verdict's, value for value.
    expect(criteria).toEqual(finished.verdict.criteria_results);
    expect(firstBreach).toEqual(finished.verdict.first_breach);
    // Ended and read: nothing more to poll.
    expect(follower.poll()).toBe(false);
  });

  it('reads an ended run attached after the fact, and a passing one', async () => {
    const soak = await startSoakRun({ ...folders, durationS: 180 });
    for (let n = 1; n <= 3; n++) await soak.minute(n);
    const finished = await soak.finish();
    expect(finished.verdict.status).toBe('PASSED');
    const follower = new SoakRunFollower(finished.dir);
    follower.poll();
    expect(follower.snapshot.points).toHaveLength(3);
    expect(follower.snapshot.end).toMatchObject({ status: 'PASSED', reasons: [], summaryFile: finished.summaryFile });
    expect(follower.snapshot.criteria).toEqual(finished.verdict.criteria_results);
  });

  it('catches up a long run in batches, keeping only compact points', async () => {
    const soak = await startSoakRun({ ...folders, durationS: 120 * 60 });
    let documents = 0;
    for (let n = 1; n <= 50; n++) documents += JSON.stringify(await soak.minute(n)).length;
    const follower = new SoakRunFollower(soak.dir, { maxMinutesPerPoll: 20 });
    follower.poll();
    expect(follower.snapshot.points).toHaveLength(20);
    expect(follower.snapshot.behind).toBe(true);
    follower.poll();
    follower.poll();
    expect(follower.snapshot.points).toHaveLength(50);
    expect(follower.snapshot.behind).toBe(false);
    // What stays per minute is a small fraction of the document read.
    expect(JSON.stringify(follower.snapshot.points).length).toBeLessThan(documents / 5);
    await soak.finish();
  });

  it('retries a minute file that does not parse yet, and counts a skipped minute as missing', async () => {
    const soak = await startSoakRun({ ...folders, durationS: 300 });
    await soak.minute(1);
    // Minute 2 as a torn file: not a document yet.
    const two = join(soak.dir, minuteMetricsFileName(2));
    writeFileSync(two, '{"format": "evident.soak.min');
    const follower = new SoakRunFollower(soak.dir);
    follower.poll();
    expect(follower.snapshot.points.map((p) => p.minute)).toEqual([1]);
    expect(follower.snapshot.problem).toMatch(/gate2-metrics-minute-0002\.json: .*read again at the next poll/);
    rmSync(two);
    await soak.minute(2);
    follower.poll();
    expect(follower.snapshot.points.map((p) => p.minute)).toEqual([1, 2]);
    expect(follower.snapshot.problem).toBeNull();
    // Minute 3 never written, minute 4 is: 3 will not come.
    writeArtifact(soak.dir, minuteMetricsFileName(4), JSON.stringify(minuteDocument(4, Date.now(), 60, SOAK_SERVICES, {})));
    follower.poll();
    expect(follower.snapshot.points.map((p) => p.minute)).toEqual([1, 2, 4]);
    expect(follower.snapshot.missing).toEqual([3]);
    await soak.finish();
  });

  it('says clearly when a folder is not a soak run, or not there', async () => {
    const gate1 = await startGate1Run(folders);
    const notSoak = new SoakRunFollower(gate1.dir);
    expect(notSoak.poll()).toBe(true);
    expect(notSoak.snapshot.error).toBe(`${gate1.dir} holds a start-stop-cycles run, not a soak run (Gate 2)`);
    expect(notSoak.poll()).toBe(false);
    await gate1.journal.close();

    const nowhere = new SoakRunFollower(join(root, 'no-such-run'));
    nowhere.poll();
    expect(nowhere.snapshot.error).toBe(`no run folder at ${join(root, 'no-such-run')}`);

    // A folder made before its journal's first line: waited for, not an error.
    const early = join(root, 'starting');
    mkdirSync(early);
    const starting = new SoakRunFollower(early);
    expect(starting.poll()).toBe(false);
    expect(starting.snapshot).toMatchObject({ error: null, run: null });
  });
});
