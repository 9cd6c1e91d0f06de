// The shutdown check's judge (`evident down --record`) over hand-built journals: it passes
// only a stop with nothing left, nobody outside its group and a complete leftover check;
// a kill at the stop timeout is allowed and said; an exit it could not see is reported.
import { describe, expect, it } from 'vitest';
import { DEFAULT_SHUTDOWN_CRITERIA, judgeShutdown } from '../../gates/shutdown/judge.ts';
import type { JournalRecord } from '../../src/evidence/journal-record.ts';
import type { LeftoverEvidenceJson } from '../../src/supervisor/leftover-evidence-json.ts';
import { processInfo } from '../unit/process-info.ts';

const CONSOLE = 100;
let n = 0;

function record(type: string, payload: Record<string, unknown>): JournalRecord {
  n++;
  const at = new Date(Date.UTC(2026, 0, 1, 0, 0, n)).toISOString();
  return { id: `R${n}`, type, event_time: at, process_time: at, actor: 'evident', correlation_id: 'RUN', contract: { version: '1.0.0', hash: 'c'.repeat(64) }, payload, prev_hash: '0'.repeat(64), hash: '1'.repeat(64) };
}

function evidence(extra: Partial<LeftoverEvidenceJson> = {}): LeftoverEvidenceJson {
  return { table: [processInfo(CONSOLE, 1)], others_count: 40, table_total: 41, tagged: [], known: [], listeners: [], ports: [[7001, 'web']], running_roots: [], running_services: [], console_pid: CONSOLE, ...extra };
}

function run(options: { stopped?: Record<string, unknown>; kill?: Record<string, unknown>; evidence?: LeftoverEvidenceJson | null; end?: boolean } = {}): JournalRecord[] {
  const records = [
    record('run.start', { kind: 'shutdown', criteria: DEFAULT_SHUTDOWN_CRITERIA }),
    record('operator.stop', { services: ['web'] }),
    record('supervisor.stop', { service: 'web', pid: 700, signalled: [700] }),
  ];
  if (options.kill) records.push(record('supervisor.kill', { service: 'web', afterMs: 10_000, ...options.kill }));
  records.push(
    record('supervisor.stopped', { service: 'web', graceful: true, durationMs: 30, exit_code: null, exit_signal: null, exit_observed: false, group: { pgid: 700, sid: 700 }, escaped: [], ...options.stopped }),
  );
  if (options.evidence !== null) records.push(record('supervisor.leftover-check', { found: 0, evidence: options.evidence ?? evidence() }));
  if (options.end !== false) records.push(record('run.end', {}));
  return records;
}

const judge = (records: JournalRecord[]) => judgeShutdown(records, { ...DEFAULT_SHUTDOWN_CRITERIA });

describe('judgeShutdown', () => {
  it('passes a clean stop, reporting that the exit was not seen (down is not the parent) without counting it', () => {
    const verdict = judge(run());
    expect(verdict).toMatchObject({ status: 'PASSED', services_stopped: 1, exits_not_observed: ['web'], unclean_exits: [], escaped_processes: [], zombie_pids_detected: 0, zombie_pids: [], processes_seen_after_stop: 41, reasons: [] });
    expect(verdict.leftover_check).toMatchObject({ status: 'clean', processes_total: 41, processes_recorded: 1, others_count: 40 });
  });

  it('fails a stop in which a process had left its service session, though it obeyed the stop', () => {
    const escaped = [{ pid: 4242, ppid: 710, pgid: 4242, sid: 4242, left: 'session', command: 'python3 escapee.py', port: null }];
    const verdict = judge(run({ stopped: { escaped } }));
    expect(verdict.status).toBe('FAILED');
    expect(verdict.escaped_processes).toEqual([expect.objectContaining({ pid: 4242, service: 'web', killed: false })]);
    expect(verdict.reasons).toEqual(["pid 4242 of web left the service's session (pgid 4242 sid 4242; the service's pgid 700 sid 700): python3 escapee.py; it ended with the stop"]);
  });

  it('allows a kill at the stop timeout by default, and says so', () => {
    const verdict = judge(run({ kill: { pids: [700], root: 700, processes: [{ pid: 700, ppid: 1, command: 'node web.js' }] }, stopped: { graceful: false } }));
    expect(verdict).toMatchObject({ status: 'PASSED', forced_kills: 1, reasons: [] });
    expect(verdict.allowed).toEqual(['web did not stop within its stop timeout: killed 700 (node web.js) after 10000 ms (max_forced_kills any)']);
  });

  it('fails a stop whose leftover check recorded an empty table, or one without evident itself: incomplete, not clean', () => {
    const empty = judge(run({ evidence: evidence({ table: [], others_count: 0, table_total: 0 }) }));
    expect(empty.status).toBe('FAILED');
    expect(empty.leftover_check).toMatchObject({ status: 'incomplete' });
    expect(empty.reasons).toEqual(['the leftover check is incomplete: its process table is empty: a check that saw no process at all (not even evident) cannot be real']);
    const headless = judge(run({ evidence: evidence({ table: [processInfo(1, 0)] }) }));
    expect(headless.status).toBe('FAILED');
    expect(headless.reasons).toEqual([`the leftover check is incomplete: its process table does not hold evident's own process (pid ${CONSOLE}) that ran the check, so it cannot be the whole table`]);
  });

  it('fails a stop with no leftover check, and calls a run without its end INTERRUPTED', () => {
    expect(judge(run({ evidence: null }))).toMatchObject({ status: 'FAILED', reasons: ['the leftover check never ran'] });
    expect(judge(run({ end: false }))).toMatchObject({ status: 'INTERRUPTED', reasons: ['the run has no end record: it was interrupted'] });
  });
});
