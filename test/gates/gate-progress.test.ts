// A running gate's progress, folded from its journal as a console follows it: written by
// a real Journal, followed with JournalFollower (only the lines appended since the last
// poll, never a torn one), and folded into cycle, checks, failures, zombies, ETA.
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { foldProgress, gateProgress, progressAt, type ProgressState } from '../../gates/gate-progress.ts';
import { Journal } from '../../src/evidence/journal.ts';
import type { RecordInput } from '../../src/evidence/journal-record.ts';
import { JournalFollower } from '../../src/state/journal-follower.ts';

let dir = '';
let journal: Journal;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'evident-progress-'));
  journal = await Journal.open(join(dir, 'journal.jsonl'), { contract: { version: '1.0.0', hash: 'c'.repeat(64) }, actor: 'evident' });
});
afterEach(async () => {
  await journal.close();
  rmSync(dir, { recursive: true, force: true });
});

const T0 = Date.UTC(2026, 0, 1, 0, 0, 0);
const at = (s: number) => new Date(T0 + s * 1000).toISOString();
const start: RecordInput = {
  type: 'run.start',
  event_time: at(0),
  payload: { run_id: 'RUN1', kind: 'start-stop-cycles', gate: 'gate1', trial: true, services: ['web', 'api'], parameters: { cycles: 3, duration_s: 4, interval_s: 1 } },
};
const probe = (s: number, cycle: number, service: string, ok = true): RecordInput => ({ type: 'probe.health', event_time: at(s), payload: { cycle, round: 1, service, ok, detail: ok ? '200 OK' : 'timed out after 800 ms' } });

describe('gate progress followed from a journal', () => {
  it('reads only what was appended since the last poll and folds it', async () => {
    const follower = new JournalFollower<ProgressState | null>(dir, null, foldProgress);
    expect(follower.poll()).toBe(false);
    await journal.append(start);
    await journal.append({ type: 'gate.cycle.start', event_time: at(1), payload: { cycle: 1 } });
    await journal.append(probe(2, 1, 'web'));
    await journal.append(probe(2, 1, 'api'));
    expect(follower.poll()).toBe(true);
    expect(progressAt(follower.state as ProgressState, T0 + 3000)).toMatchObject({ gate: 'gate1', trial: true, cycle: 1, cycles: 3, checksDone: 2, checksTotal: 24, failures: 0, phase: 'probing', elapsedMs: 3000 });
    expect(follower.poll()).toBe(false);

    // A line half-written by the runner is left until it is whole.
    appendFileSync(join(dir, 'journal.jsonl'), '{"id":"01');
    expect(follower.poll()).toBe(false);
  });

  it('follows a soak by its minutes, with the time left of its duration and the last restart', async () => {
    const soakStart: RecordInput = { type: 'run.start', event_time: at(0), payload: { run_id: 'RUN2', kind: 'soak', gate: 'gate2', trial: true, services: ['web'], parameters: { duration_s: 180, warmup_s: 60, minute_s: 60 } } };
    for (const r of [
      soakStart,
      { type: 'soak.traffic.start', event_time: at(2), payload: {} },
      { type: 'soak.minute', event_time: at(62), payload: { minute: 1 } },
      { type: 'soak.restart', event_time: at(70), payload: { service: 'web', state: 'exited', last_error: 'pid 9 exited with code 70' } },
      { type: 'soak.minute', event_time: at(122), payload: { minute: 2 } },
    ] as RecordInput[]) await journal.append(r);
    const follower = new JournalFollower<ProgressState | null>(dir, null, foldProgress);
    follower.poll();
    expect(progressAt(follower.state as ProgressState, T0 + 125_000)).toMatchObject({
      kind: 'soak',
      minute: 2,
      minutes: 3,
      phase: 'soaking',
      elapsedMs: 125_000,
      etaMs: 55_000,
      lastFailure: 'web was exited and started again (pid 9 exited with code 70)',
    });
  });

  it('counts failures, orphans a service left, leftovers, and ends with the verdict', async () => {
    const records: RecordInput[] = [
      start,
      { type: 'gate.cycle.start', event_time: at(1), payload: { cycle: 1 } },
      probe(2, 1, 'web'),
      { type: 'supervisor.stop', event_time: at(6), payload: { service: 'web', pid: 10 } },
      // web's own process (10) ended on SIGTERM; its child 11 was still there at the timeout.
      { type: 'supervisor.kill', event_time: at(7), payload: { service: 'web', root: 10, pids: [11], processes: [{ pid: 11 }] } },
      { type: 'supervisor.leftover-check', event_time: at(7), payload: { found: 1 } },
      { type: 'gate.cycle.end', event_time: at(7), payload: { cycle: 1 } },
      { type: 'gate.cycle.start', event_time: at(11), payload: { cycle: 2 } },
      probe(12, 2, 'api', false),
      { type: 'gate.stopped-early', event_time: at(12), payload: { cycle: 2, reason: 'cycle 2, round 1: api failed its health check (timed out after 800 ms)' } },
      { type: 'run.end', event_time: at(13), payload: {} },
      { type: 'run.verdict', event_time: at(13), payload: { status: 'FAILED' } },
    ];
    for (const r of records) await journal.append(r);
    const follower = new JournalFollower<ProgressState | null>(dir, null, foldProgress);
    follower.poll();
    expect(progressAt(follower.state as ProgressState, T0 + 20_000)).toMatchObject({
      cycle: 2,
      checksDone: 2,
      failures: 2, // web needed a kill at its stop timeout; api failed its health check
      zombies: 2, // pid 11 outlived web, and the leftover check found one
      lastFailure: 'cycle 2, round 1: api failed its health check (timed out after 800 ms)',
      ended: true,
      status: 'FAILED',
      phase: 'ended',
      etaMs: 0,
      elapsedMs: 13_000, // stops at run.end (13 s), though looked at 20 s after the start
    });
  });

  it('estimates the time left from the cycles already run, or from the schedule before the first ends', () => {
    const made = (input: RecordInput, i: number) => ({
      id: `0000000000000000000000000${i}`,
      type: input.type,
      event_time: input.event_time as string,
      process_time: input.event_time as string,
      actor: 'evident',
      correlation_id: 'RUN1',
      contract: { version: '1.0.0', hash: 'c'.repeat(64) },
      payload: input.payload,
      prev_hash: '0'.repeat(64),
      hash: '0'.repeat(64),
    });
    const first = [start, { type: 'gate.cycle.start', event_time: at(0), payload: { cycle: 1 } }].map(made);
    // Cycle 1 of 3 under way for 1 s, each cycle planned at 4 s: 3 s of it and 2 more cycles left.
    expect(gateProgress(first, T0 + 1000)?.etaMs).toBe(11_000);
    // Cycle 1 took 10 s in fact (start-up and stop included): cycle 2 just began, 2 cycles of 10 s left.
    const second = [...first, made({ type: 'gate.cycle.start', event_time: at(10), payload: { cycle: 2 } }, 3)];
    expect(gateProgress(second, T0 + 10_000)?.etaMs).toBe(20_000);
    expect(gateProgress([], T0)).toBeNull();
  });

  it("counts a cycle's unclean exit and escaped process as the judge does, unless the pipeline allows escapes", () => {
    const made = (input: RecordInput, i: number) => ({
      id: `0000000000000000000000000${i}`,
      type: input.type,
      event_time: input.event_time as string,
      process_time: input.event_time as string,
      actor: 'evident',
      correlation_id: 'RUN1',
      contract: { version: '1.0.0', hash: 'c'.repeat(64) },
      payload: input.payload,
      prev_hash: '0'.repeat(64),
      hash: '0'.repeat(64),
    });
    const escaped = [{ pid: 77, ppid: 1, pgid: 77, sid: 77, left: 'session', command: 'python3 escapee.py', port: null }];
    const stopped = (service: string, extra: Record<string, unknown>): RecordInput => ({
      type: 'supervisor.stopped',
      event_time: at(5),
      payload: { service, graceful: true, durationMs: 20, exit_code: 0, exit_signal: null, exit_observed: true, group: { pgid: 10, sid: 10 }, escaped: [], ...extra },
    });
    const records = (criteria: Record<string, unknown>) =>
      [
        { ...start, payload: { ...start.payload, criteria } },
        { type: 'gate.cycle.start', event_time: at(1), payload: { cycle: 1 } },
        stopped('web', { exit_code: 3 }),
        stopped('api', { escaped }),
      ].map(made);
    expect(gateProgress(records({}), T0 + 6000)).toMatchObject({ failures: 2, lastFailure: "cycle 1: pid 77 of api left the service's session (pgid 77 sid 77; the service's pgid 10 sid 10): python3 escapee.py; it ended with the stop" });
    expect(gateProgress(records({ allow_escaped_processes: true }), T0 + 6000)).toMatchObject({ failures: 1, lastFailure: 'cycle 1: web exited with code 3 on stop, not 0' });
  });
});
