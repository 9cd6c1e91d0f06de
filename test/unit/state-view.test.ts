// The state view's reducer: what each record kind does to the view, that folding one
// record at a time gives what folding all at once gives, and that the order in which
// journals are read does not matter.
import { describe, expect, it } from 'vitest';
import type { JournalRecord } from '../../src/evidence/journal-record.ts';
import { newRecordId } from '../../src/evidence/record-id.ts';
import { emptyStateView, foldJournal, foldRecord, reduceState, type JournalContent } from '../../src/state/state-view.ts';

const OPERATOR = '/artifacts/operator';

let previousHash = '0'.repeat(64);
function record(type: string, payload: Record<string, unknown>, extra: Partial<JournalRecord> = {}): JournalRecord {
  const now = new Date().toISOString();
  const hash = newRecordId().toLowerCase().padEnd(64, '0');
  const made: JournalRecord = { id: newRecordId(), type, event_time: now, process_time: now, actor: 'alice', correlation_id: newRecordId(), contract: { version: '1.0.0', hash: 'c'.repeat(64) }, payload, prev_hash: previousHash, hash, ...extra };
  previousHash = made.hash;
  return made;
}

function journal(dir: string, records: JournalRecord[]): JournalContent {
  return { dir, records, bytes: records.length * 100 };
}

/** A finished run's journal: start, one observation, end, verdict. */
function runJournal(status: string | null, kind = 'shutdown'): { id: string; content: JournalContent } {
  const id = newRecordId();
  const ofRun = { correlation_id: id };
  const records = [record('run.start', { run_id: id, kind, trial: false }, ofRun), record('supervisor.stopped', { service: 'a' }, ofRun)];
  if (status !== null) records.push(record('run.end', { total_ms: 5 }, ofRun), record('run.verdict', { status }, ofRun));
  return { id, content: journal(`/artifacts/${id}`, records) };
}

describe('reduceState: runs', () => {
  it('a run is RUNNING from its start record until it ends, then carries its judged status', () => {
    const running = runJournal(null);
    const passed = runJournal('PASSED');
    const view = reduceState([running.content, passed.content]);
    const contractHash = running.content.records[0]?.contract.hash;
    expect(view.runs[running.id]).toEqual({ kind: 'shutdown', dir: running.content.dir, started_at: running.content.records[0]?.event_time, status: 'RUNNING', trial: false, contract_hash: contractHash });
    expect(view.runs[passed.id]).toEqual({
      kind: 'shutdown',
      dir: passed.content.dir,
      started_at: passed.content.records[0]?.event_time,
      ended_at: passed.content.records[2]?.event_time,
      status: 'PASSED',
      trial: false,
      contract_hash: contractHash,
    });
  });

  it("only the run's own journal starts and ends it: records naming a run anywhere else do nothing", () => {
    const running = runJournal(null);
    const ofRun = { correlation_id: running.id };
    // In the operator journal, or in a folder not named after the run: written by hand, most likely.
    const elsewhere = journal(OPERATOR, [record('run.end', {}, ofRun), record('run.verdict', { status: 'PASSED' }, ofRun)]);
    const other = newRecordId();
    const misplaced = journal(`/artifacts/${newRecordId()}`, [record('run.start', { run_id: other, kind: 'shutdown', trial: false }, { correlation_id: other })]);
    const view = reduceState([running.content, elsewhere, misplaced]);
    expect(view.runs[running.id]).toMatchObject({ status: 'RUNNING' });
    expect(view.runs[running.id]?.ended_at).toBeUndefined();
    expect(view.runs[other]).toBeUndefined();
  });

  it('a gate run carries its gate and the reasons its verdict gives', () => {
    const id = newRecordId();
    const ofRun = { correlation_id: id };
    const records = [
      record('run.start', { run_id: id, kind: 'start-stop-cycles', gate: 'gate1', trial: true }, ofRun),
      record('run.end', {}, ofRun),
      record('run.verdict', { status: 'FAILED', reasons: ['cycle 2: api-gateway failed its health check', 7] }, ofRun),
    ];
    const view = reduceState([{ dir: `/a/${id}`, records, bytes: 1 }]);
    expect(view.runs[id]).toMatchObject({ gate: 'gate1', trial: true, status: 'FAILED', reasons: ['cycle 2: api-gateway failed its health check'], contract_hash: 'c'.repeat(64) });
  });

  it('folds gate statuses from gate runs and blockers, the same in either order', () => {
    const id = newRecordId();
    const ofRun = { correlation_id: id };
    const run = [
      record('run.start', { run_id: id, kind: 'start-stop-cycles', gate: 'gate1', trial: false }, ofRun),
      record('run.end', {}, ofRun),
      record('run.verdict', { status: 'FAILED', reasons: ['cycle 1: left behind'] }, ofRun),
    ];
    const blocker = record('operator.blocker', { gate: 'gate1', run_id: id, what_failed: 'x', root_cause: 'y', fix: 'z' });
    const runJournal = { dir: `/a/${id}`, records: run, bytes: 1 };
    const operator = { dir: '/a/operator', records: [blocker], bytes: 1 };
    expect(reduceState([runJournal]).gates.gate1).toMatchObject({ status: 'BLOCKED', run_id: id, trial: false, contract_hash: 'c'.repeat(64) });
    const runFirst = reduceState([runJournal, operator]);
    const blockerFirst = reduceState([operator, runJournal]);
    expect(runFirst.gates.gate1).toMatchObject({ status: 'FAILED', run_id: id });
    expect(blockerFirst.gates).toEqual(runFirst.gates);

    // A later run of the gate sets its status; an older run folded after it does not.
    const later = newRecordId();
    const laterRun = { dir: `/a/${later}`, records: [record('run.start', { run_id: later, kind: 'start-stop-cycles', gate: 'gate1', trial: true }, { correlation_id: later })], bytes: 1 };
    expect(reduceState([laterRun, runJournal, operator]).gates.gate1).toMatchObject({ status: 'RUNNING', run_id: later, trial: true });
  });

  it('a run that ended without a verdict record has no status (its writer stopped while judging)', () => {
    const { id, content } = runJournal('FAILED');
    const view = reduceState([{ ...content, records: content.records.slice(0, 3) }]);
    expect(view.runs[id]?.status).toBeUndefined();
    expect(view.runs[id]?.ended_at).toBe(content.records[2]?.event_time);
  });
});

describe('reduceState: the operator journal', () => {
  it('the contract lock is the latest lock or approval, without its spec', () => {
    const locked = record('contract.locked', { name: 'demo', version: '1.0.0', hash: 'a'.repeat(64), spec: { big: true } });
    const approval = record('operator.contract-approval', { name: 'demo', from: { version: '1.0.0', hash: 'a'.repeat(64) }, to: { version: '1.1.0', hash: 'b'.repeat(64) }, spec: {}, reason: 'port' }, { actor: 'bob' });
    expect(reduceState([journal(OPERATOR, [locked])]).contract_lock).toEqual({ name: 'demo', version: '1.0.0', hash: 'a'.repeat(64), locked_at: locked.event_time, record_id: locked.id });
    expect(reduceState([journal(OPERATOR, [locked, record('operator.stop', {}), approval])]).contract_lock).toEqual({
      name: 'demo',
      version: '1.1.0',
      hash: 'b'.repeat(64),
      locked_at: approval.event_time,
      approved_by: 'bob',
      reason: 'port',
      record_id: approval.id,
    });
  });

  it('blockers and sign-offs keep their payload, who and when; gate statuses the latest per gate', () => {
    const blocker = record('operator.blocker', { gate: 'gate1', reason: 'disk full' });
    const signoff = record('operator.signoff', { gate: 'gate1' }, { actor: 'carol' });
    const gateFailed = record('gate.status', { gate: 'gate1', status: 'FAILED', run_id: 'r1' });
    const gatePassed = record('gate.status', { gate: 'gate1', status: 'PASSED', run_id: 'r2' });
    const view = reduceState([journal(OPERATOR, [blocker, gateFailed, signoff, gatePassed])]);
    expect(view.blockers).toEqual([{ gate: 'gate1', reason: 'disk full', record_id: blocker.id, actor: 'alice', at: blocker.event_time }]);
    expect(view.signoffs).toEqual([{ gate: 'gate1', record_id: signoff.id, actor: 'carol', at: signoff.event_time }]);
    expect(view.gates).toEqual({ gate1: { status: 'PASSED', run_id: 'r2', updated_at: gatePassed.event_time, record_id: gatePassed.id } });
  });
});

describe('reduceState: one view whatever the path', () => {
  const lock = record('contract.locked', { name: 'demo', version: '1.0.0', hash: 'a'.repeat(64), spec: {} });
  const early = runJournal('PASSED');
  const gateEarly = record('gate.status', { gate: 'gate1', status: 'FAILED', run_id: early.id });
  const blockerA = record('operator.blocker', { reason: 'a' });
  const late = runJournal('FAILED');
  const gateLate = record('gate.status', { gate: 'gate1', status: 'PASSED', run_id: late.id });
  const blockerB = record('operator.blocker', { reason: 'b' });
  const journals = [
    journal(OPERATOR, [lock, blockerA, blockerB]),
    { ...early.content, records: [...early.content.records, gateEarly] },
    { ...late.content, records: [...late.content.records, gateLate] },
  ];

  it('is the same whichever journal is read first', () => {
    const forward = reduceState(journals);
    expect(reduceState([...journals].reverse())).toEqual(forward);
    expect(forward.gates.gate1?.status).toBe('PASSED');
    expect(forward.blockers.map((b) => b.reason)).toEqual(['a', 'b']);
  });

  it('folding one record at a time gives the view folded all at once, cursors included', () => {
    let view = emptyStateView();
    // Interleaved across journals, as live commands would write them.
    const steps = journals.flatMap((j) => j.records.map((r) => ({ dir: j.dir, r }))).sort((a, b) => (a.r.id < b.r.id ? -1 : 1));
    for (const { dir, r } of steps) view = foldRecord(view, dir, r);
    for (const j of journals) view = foldJournal(view, { ...j, records: [] });
    expect(view).toEqual(reduceState(journals));
    expect(view.journals.operator).toEqual({ records: 3, head_hash: blockerB.hash, head_id: blockerB.id, bytes: 300 });
  });

  it('moves a journal\'s cursor past records it has no use for, and leaves out journals with none', () => {
    const view = reduceState([journal(OPERATOR, [record('supervisor.ready', { service: 'a' })]), journal('/artifacts/empty', [])]);
    expect(view.journals).toEqual({ operator: expect.objectContaining({ records: 1 }) });
    expect(view.runs).toEqual({});
  });
});
