// The state view: what the journals say now — the contract lock, every run and its
// verdict, gate statuses, blockers, sign-offs — folded from their records by one pure
// reducer. It is a view, never the source of truth: the same records always give the
// same view, whether folded one at a time as they are written or all at once by
// `evident state rebuild`, and in whatever order the journals are read.
import { basename } from 'node:path';
import { CONTRACT_LOCK, lockFromRecord, lockSubjectOf, PIPELINE_LOCK } from '../evidence/declaration-lock.ts';
import { GENESIS_HASH, type JournalRecord } from '../evidence/journal-record.ts';

export const STATE_VIEW_VERSION = 3;

export type RunViewStatus = 'PASSED' | 'FAILED' | 'INTERRUPTED' | 'RUNNING';

/** A declaration's lock (the contract's, the pipeline's) as the view keeps it: without its spec. */
export interface LockView {
  name: string;
  version: string;
  hash: string;
  locked_at: string;
  approved_by?: string;
  reason?: string;
  /** The record that set it; the lock is the one set by the latest record. */
  record_id: string;
}

export interface RunView {
  kind: string;
  /** The run folder. */
  dir: string;
  started_at: string;
  ended_at?: string;
  /**
   * RUNNING from `run.start` until `run.end` (records alone cannot tell a live writer from
   * a dead one); after `run.end`, the judged status from `run.verdict`. Absent when the
   * run ended and no verdict was recorded (its writer stopped while judging).
   */
  status?: RunViewStatus;
  trial: boolean;
  /** The pipeline gate the run was (`gate1`, `prerequisites`); absent for other runs (a recorded shutdown). */
  gate?: string;
  /** The contract the run ran under: a gate's pass counts only under the current one. */
  contract_hash: string;
  /** The pipeline a gate run ran under (its hash): a gate's pass counts only under the current one. */
  pipeline_hash?: string;
  /** Why it did not pass, from its verdict record (the first few). */
  reasons?: string[];
}

/**
 * A gate's status as its latest run left it: RUNNING from its start (records alone cannot
 * tell a live runner from a dead one: `evident gates` asks the fleet lock), then the
 * verdict — FAILED reads BLOCKED until a blocker for that run is recorded. Under which
 * contract it ran is kept: only the current contract's runs count for the sequencing.
 */
export interface GateView {
  status: string;
  run_id: string | null;
  updated_at: string;
  /** The record that set it; a gate's status is the one set by the latest record. */
  record_id: string;
  trial?: boolean;
  contract_hash?: string;
}

/** A blocker or a sign-off: its payload, and which record said so, who and when. */
export interface OperatorEntry {
  record_id: string;
  actor: string;
  at: string;
  [field: string]: unknown;
}

/** How far the view has folded one journal: its first `records` records, `bytes` of its file. */
export interface JournalCursor {
  records: number;
  head_hash: string;
  head_id: string | null;
  bytes: number;
}

export interface StateView {
  version: typeof STATE_VIEW_VERSION;
  /** The artifacts folder whose journals this is a view of. */
  artifacts_dir: string | null;
  contract_lock: LockView | null;
  pipeline_lock: LockView | null;
  runs: Record<string, RunView>;
  gates: Record<string, GateView>;
  blockers: OperatorEntry[];
  signoffs: OperatorEntry[];
  /** Per journal (its folder name under the artifacts folder), what has been folded. */
  journals: Record<string, JournalCursor>;
  /** Set by a rebuild: how this copy of the view was made, not what the journals say. */
  rebuilt_from: { journals: number; records: number; at: string } | null;
}

/** A journal's records, the folder they came from, and the bytes of its file they fill. */
export interface JournalContent {
  dir: string;
  records: readonly JournalRecord[];
  bytes: number;
  /**
   * Where the cursor moves to, when not simply past `records`: an attested journal folds
   * only attested records but moves past its attestations (and past records no
   * attestation covers, which never count).
   */
  position?: { records: number; head_hash: string; head_id: string | null };
}

export function emptyStateView(artifactsDir: string | null = null): StateView {
  return { version: STATE_VIEW_VERSION, artifacts_dir: artifactsDir, contract_lock: null, pipeline_lock: null, runs: {}, gates: {}, blockers: [], signoffs: [], journals: {}, rebuilt_from: null };
}

/** The view of these journals, from nothing. */
export function reduceState(journals: readonly JournalContent[], artifactsDir: string | null = null): StateView {
  let view = emptyStateView(artifactsDir);
  for (const journal of journals) view = foldJournal(view, journal);
  return view;
}

/** Folds records that continue a journal (after what the view has of it) into the view. */
export function foldJournal(view: StateView, journal: JournalContent): StateView {
  const key = journalKey(journal.dir);
  // A journal with nothing in it yet is not in the view, however it was found.
  if (journal.records.length === 0 && view.journals[key] === undefined) return view;
  let next = view;
  // The cursor moves once at the end: a soak's journal of a million samples is a million
  // steps, and most records (samples, supervisor events) leave the view as it is.
  for (const record of journal.records) next = applyRecord(next, journal.dir, record);
  const cursor = view.journals[key] ?? startCursor();
  const last = journal.records.at(-1);
  let moved: JournalCursor;
  if (journal.position !== undefined) moved = { ...journal.position, bytes: journal.bytes };
  else if (last === undefined) moved = { ...cursor, bytes: journal.bytes };
  else moved = { records: cursor.records + journal.records.length, head_hash: last.hash, head_id: last.id, bytes: journal.bytes };
  return { ...next, journals: { ...next.journals, [key]: moved } };
}

/**
 * One record of the journal in `dir` folded into the view: its effect, and the journal's
 * cursor moved past it. The cursor's `bytes` is the caller's to set: only the file knows
 * how many bytes a line took.
 */
export function foldRecord(view: StateView, dir: string, record: JournalRecord): StateView {
  const key = journalKey(dir);
  const cursor = view.journals[key] ?? startCursor();
  const moved: StateView = { ...view, journals: { ...view.journals, [key]: { ...cursor, records: cursor.records + 1, head_hash: record.hash, head_id: record.id } } };
  return applyRecord(moved, dir, record);
}

/** The cursor of a journal nothing has been folded from. */
export function startCursor(): JournalCursor {
  return { records: 0, head_hash: GENESIS_HASH, head_id: null, bytes: 0 };
}

/** A journal's key in the view: its folder's name (`operator`, or a run id). */
export function journalKey(dir: string): string {
  return basename(dir);
}

function applyRecord(view: StateView, dir: string, record: JournalRecord): StateView {
  const p = record.payload;
  switch (record.type) {
    case CONTRACT_LOCK.lockedType:
    case CONTRACT_LOCK.approvalType:
    case PIPELINE_LOCK.lockedType:
    case PIPELINE_LOCK.approvalType: {
      const field = lockSubjectOf(record) === PIPELINE_LOCK ? 'pipeline_lock' : 'contract_lock';
      const lock = lockFromRecord(record);
      if (lock === null || !isLater(record.id, view[field]?.record_id)) return view;
      const { spec: _spec, ...rest } = lock;
      return { ...view, [field]: rest };
    }
    case 'run.start': {
      const runId = typeof p.run_id === 'string' ? p.run_id : record.correlation_id;
      // A run lives in the folder named after it: a run.start anywhere else starts nothing.
      if (view.runs[runId] !== undefined || journalKey(dir) !== runId) return view;
      const withGate = typeof p.gate === 'string' ? withGateStatus(view, p.gate, runId, 'RUNNING', record, p.trial === true) : view;
      const run: RunView = {
        kind: typeof p.kind === 'string' ? p.kind : 'unknown',
        dir,
        started_at: record.event_time,
        status: 'RUNNING',
        trial: p.trial === true,
        contract_hash: record.contract.hash,
        ...(typeof p.gate === 'string' ? { gate: p.gate } : {}),
        ...(typeof (p.pipeline as { hash?: unknown } | undefined)?.hash === 'string' ? { pipeline_hash: (p.pipeline as { hash: string }).hash } : {}),
      };
      return { ...withGate, runs: { ...withGate.runs, [runId]: run } };
    }
    case 'run.end': {
      const run = view.runs[record.correlation_id];
      // Only the run's own journal ends it: a record naming the run elsewhere is not its end.
      if (run === undefined || run.dir !== dir) return view;
      // Ended: RUNNING no longer; the status comes with the verdict record that follows.
      const { status: _status, ...ended } = run;
      return { ...view, runs: { ...view.runs, [record.correlation_id]: { ...ended, ended_at: record.event_time } } };
    }
    case 'run.verdict': {
      const run = view.runs[record.correlation_id];
      if (run === undefined || run.dir !== dir || !isRunStatus(p.status)) return view;
      const reasons = Array.isArray(p.reasons) ? p.reasons.filter((r): r is string => typeof r === 'string') : [];
      const blocked = p.status === 'FAILED' && !view.blockers.some((b) => b.run_id === record.correlation_id);
      const withGate = run.gate === undefined ? view : withGateStatus(view, run.gate, record.correlation_id, blocked ? 'BLOCKED' : p.status, record, run.trial);
      return { ...withGate, runs: { ...withGate.runs, [record.correlation_id]: { ...run, status: p.status, ...(reasons.length > 0 ? { reasons } : {}) } } };
    }
    case 'gate.status': {
      if (typeof p.gate !== 'string' || typeof p.status !== 'string') return view;
      if (!isLater(record.id, view.gates[p.gate]?.record_id)) return view;
      const gate: GateView = { status: p.status, run_id: typeof p.run_id === 'string' ? p.run_id : null, updated_at: record.event_time, record_id: record.id };
      return { ...view, gates: { ...view.gates, [p.gate]: gate } };
    }
    case 'operator.blocker': {
      const next = { ...view, blockers: withEntry(view.blockers, record) };
      // The blocker documents the failed run its gate is blocked on: the gate reads FAILED now.
      const gate = typeof p.gate === 'string' ? next.gates[p.gate] : undefined;
      if (gate === undefined || gate.status !== 'BLOCKED' || gate.run_id !== p.run_id) return next;
      return { ...next, gates: { ...next.gates, [p.gate as string]: { ...gate, status: 'FAILED' } } };
    }
    case 'operator.signoff':
      return { ...view, signoffs: withEntry(view.signoffs, record) };
    default:
      return view;
  }
}

/**
 * Sets a gate's status from a record of run `runId`, unless a later run of that gate is
 * already in the view (run ids are ULIDs: a later run has a greater id), so the same
 * records give the same view in any order.
 */
function withGateStatus(view: StateView, gate: string, runId: string, status: string, record: JournalRecord, trial: boolean): StateView {
  const current = view.gates[gate];
  if (current?.run_id && current.run_id > runId) return view;
  // The start of a run never overrides its own verdict, whichever is folded first.
  if (current?.run_id === runId && status === 'RUNNING') return view;
  const next: GateView = { status, run_id: runId, updated_at: record.event_time, record_id: record.id, trial, contract_hash: record.contract.hash };
  return { ...view, gates: { ...view.gates, [gate]: next } };
}

/** The list with the record's entry in record-id order (so journal order does not matter), once. */
function withEntry(list: readonly OperatorEntry[], record: JournalRecord): OperatorEntry[] {
  if (list.some((entry) => entry.record_id === record.id)) return [...list];
  const entry: OperatorEntry = { ...record.payload, record_id: record.id, actor: record.actor, at: record.event_time };
  return [...list, entry].sort((a, b) => (a.record_id < b.record_id ? -1 : a.record_id > b.record_id ? 1 : 0));
}

/** Record ids are ULIDs, increasing within a journal and ordered by time across journals. */
function isLater(id: string, than: string | undefined): boolean {
  return than === undefined || id > than;
}

function isRunStatus(value: unknown): value is RunViewStatus {
  return value === 'PASSED' || value === 'FAILED' || value === 'INTERRUPTED' || value === 'RUNNING';
}
