// The execution log: the gate status table and a dated entry for every run, failure,
// blocker (with its fix), sign-off and the contract lock, in time order, with links to
// the evidence files. Pure: the journals' view, the gate states and the names of the
// files in each run folder in, markdown out — the same input always gives the same text.
// It is written as EXECUTION_LOG.md at the top of the artifacts folder, so every link is
// relative to that folder.
import { isAbsolute, relative, sep } from 'node:path';
import { parseGateArtifactName } from '../src/evidence/artifact-name.ts';
import { MANIFEST_PATTERN, SUMMARY_PATTERN } from '../src/evidence/run-layout.ts';
import type { Pipeline } from '../src/pipeline/pipeline.ts';
import type { RunView, StateView } from '../src/state/state-view.ts';
import { formatDuration } from '../src/time/parse-duration.ts';
import { describeParameters } from './describe-parameters.ts';
import { blockersOf } from './gate-history.ts';
import type { GateState } from './gate-states.ts';

/** What the log knows of a run folder beyond the view: read by the caller, never here. */
export interface RunFolder {
  /** The names of the files in the run folder. */
  files: readonly string[];
  /** The run's parameters, from its `run.start` record, when they could be read. */
  parameters?: Record<string, unknown>;
}

export interface ExecutionLogInput {
  pipeline: Pick<Pipeline, 'name' | 'version' | 'gates'>;
  /** The contract the gate states are computed under. */
  contract: { name: string; version: string; hash: string };
  states: readonly GateState[];
  view: StateView;
  /** The folder the log is written to: links are relative to it. */
  artifactsDir: string;
  /** By run id. A run missing here has no evidence links. */
  runFolders: Readonly<Record<string, RunFolder>>;
  generatedAt: Date;
}

/** One row of the gate status table. */
export interface ExecutionLogGate {
  gate: string;
  title: string;
  status: string;
  trial: boolean;
  run_id: string | null;
  /** The run's summary, relative to the artifacts folder (null when there is none). */
  evidence: string | null;
  started_at: string | null;
  ended_at: string | null;
}

export type ExecutionLogEntryKind = 'contract' | 'run-start' | 'run-end' | 'blocker' | 'signoff';

/** One dated entry: `### <at> — <heading>` and its markdown lines. */
export interface ExecutionLogEntry {
  at: string;
  kind: ExecutionLogEntryKind;
  gate: string | null;
  run_id: string | null;
  heading: string;
  lines: string[];
}

export interface ExecutionLog {
  title: string;
  subtitle: string;
  notes: string[];
  gates: ExecutionLogGate[];
  entries: ExecutionLogEntry[];
}

const NONE = '—';
const SHORT_HASH = 12;
// Entries at the same instant: the lock before the run it admits, a start before its end,
// a blocker after the failure it documents.
const KIND_ORDER: Record<ExecutionLogEntryKind, number> = { contract: 0, 'run-start': 1, 'run-end': 2, blocker: 3, signoff: 4 };

export function renderExecutionLog(input: ExecutionLogInput): string {
  return formatExecutionLog(executionLog(input));
}

/** The log as data: what `renderExecutionLog` writes out, and what `evident log --json` prints. */
export function executionLog(input: ExecutionLogInput): ExecutionLog {
  const { pipeline, contract, view } = input;
  const notes: string[] = [];
  const lock = view.contract_lock;
  if (lock === null) notes.push(`The contract is not locked yet: the first gate run (or \`evident contract check\`) locks it.`);
  else if (lock.hash !== contract.hash) {
    notes.push(`The lock in force is ${lock.name} ${lock.version} (${short(lock.hash)}), not this contract: \`evident contract check\` says what changed.`);
  }
  return {
    title: `Execution Log — ${pipeline.name} ${pipeline.version}`,
    subtitle: `Contract: ${contract.name} ${contract.version} (${short(contract.hash)}) · generated ${formatTime(input.generatedAt.toISOString())}`,
    notes,
    gates: input.states.map((state) => gateRow(state, input)),
    entries: entriesOf(input),
  };
}

export function formatExecutionLog(log: ExecutionLog): string {
  const out: string[] = [`# ${log.title}`, '', log.subtitle, ''];
  for (const note of log.notes) out.push(note, '');
  out.push('| Gate | Status | Evidence | Start | End |', '| --- | --- | --- | --- | --- |');
  for (const row of log.gates) {
    const status = row.trial ? `${row.status} (trial)` : row.status;
    const evidence = row.evidence === null ? NONE : link(row.evidence, row.evidence);
    const cells = [row.title, status, evidence, row.started_at === null ? NONE : formatTime(row.started_at), row.ended_at === null ? NONE : formatTime(row.ended_at)];
    out.push(`| ${cells.map(cell).join(' | ')} |`);
  }
  out.push('', '## Entries', '');
  if (log.entries.length === 0) out.push('Nothing has been recorded yet.', '');
  for (const entry of log.entries) {
    out.push(`### ${formatTime(entry.at)} — ${entry.heading}`, '');
    if (entry.lines.length > 0) out.push(...entry.lines, '');
  }
  return `${out.join('\n').trimEnd()}\n`;
}

function gateRow(state: GateState, input: ExecutionLogInput): ExecutionLogGate {
  const run = state.run;
  const summary = run === null ? null : evidenceFile(input, run.run_id, SUMMARY_PATTERN);
  return {
    gate: state.gate.id,
    title: state.gate.title,
    status: state.status,
    trial: state.trial,
    run_id: run?.run_id ?? null,
    evidence: summary,
    started_at: run?.started_at ?? null,
    ended_at: run?.ended_at ?? null,
  };
}

function entriesOf(input: ExecutionLogInput): ExecutionLogEntry[] {
  const { view, contract } = input;
  const entries: ExecutionLogEntry[] = [];
  const gateTitles = new Map(input.pipeline.gates.map((g) => [g.id, g.title]));
  // A run without an end is RUNNING only while it is the run a gate's state comes from
  // and that state says so; any other is INTERRUPTED.
  const stateOfRun = new Map(input.states.flatMap((s) => (s.run === null ? [] : [[s.run.run_id, s.status] as const])));

  const lock = view.contract_lock;
  if (lock !== null) {
    const lines = [`- Hash: \`${lock.hash}\``];
    if (lock.approved_by !== undefined) lines.push(`- Approved by: ${inline(lock.approved_by)}`);
    if (lock.reason !== undefined) lines.push(`- Reason: ${inline(lock.reason)}`);
    const what = lock.approved_by === undefined ? 'locked' : 'approved';
    entries.push({ at: lock.locked_at, kind: 'contract', gate: null, run_id: null, heading: `contract ${inline(lock.name)} ${inline(lock.version)} ${what}`, lines });
  }

  for (const [runId, run] of Object.entries(view.runs)) {
    const name = run.gate ?? run.kind;
    const earlier = run.contract_hash === contract.hash ? '' : ` (earlier contract ${short(run.contract_hash)})`;
    const folder = input.runFolders[runId];
    const startLines: string[] = [];
    if (run.gate !== undefined) startLines.push(`- Gate: ${inline(gateTitles.get(run.gate) ?? run.gate)}`);
    const described = folder?.parameters === undefined ? null : describeParameters(folder.parameters);
    const parameters = described === null ? null : inline(described);
    if (parameters !== null && !run.trial) startLines.push(`- Parameters: ${parameters}`);
    const dir = runLinkDir(input.artifactsDir, run);
    startLines.push(`- Run folder: ${link(`${dir}/`, `${dir}/`)}`);
    const trial = run.trial ? ` (trial${parameters === null ? '' : `: ${parameters}`})` : '';
    entries.push({ at: run.started_at, kind: 'run-start', gate: run.gate ?? null, run_id: runId, heading: `${name} run ${runId} started${trial}${earlier}`, lines: startLines });

    if (run.ended_at === undefined) {
      const status = stateOfRun.get(runId) === 'RUNNING' ? 'RUNNING' : 'INTERRUPTED';
      const last = entries.at(-1) as ExecutionLogEntry;
      last.lines.push(status === 'RUNNING' ? '- No end recorded yet: its runner is running it now' : '- No end recorded: its runner stopped before it ended the run (INTERRUPTED)');
      continue;
    }
    const status = run.status ?? 'INTERRUPTED';
    const endLines: string[] = [`- Took ${took(run.started_at, run.ended_at)}`];
    if (run.status === undefined) endLines.push('- No verdict was recorded: its writer stopped while judging, which never counts as a pass');
    const evidence = evidenceLinks(input, runId);
    endLines.push(`- Evidence: ${evidence.length === 0 ? NONE : evidence.join(', ')}`);
    if (status !== 'PASSED' && run.reasons !== undefined && run.reasons.length > 0) {
      endLines.push(status === 'FAILED' ? '- Why it failed:' : '- Why:');
      for (const reason of run.reasons) endLines.push(`  - ${inline(reason)}`);
    }
    entries.push({ at: run.ended_at, kind: 'run-end', gate: run.gate ?? null, run_id: runId, heading: `${name} run ${runId} ${status}${run.trial ? ' (trial)' : ''}${earlier}`, lines: endLines });
  }

  for (const blocker of blockersOf(view)) {
    const run = view.runs[blocker.run_id];
    const earlier = run === undefined || run.contract_hash === contract.hash ? '' : ` (earlier contract ${short(run.contract_hash)})`;
    const lines = [`- What failed: ${inline(blocker.what_failed)}`, `- Root cause: ${inline(blocker.root_cause)}`, `- Fix: ${inline(blocker.fix)}`];
    if (blocker.remediation !== undefined) lines.push(`- Remediation: ${inline(blocker.remediation)}`);
    lines.push(`- Documented by: ${inline(blocker.actor)} (record ${blocker.record_id})`);
    entries.push({ at: blocker.at, kind: 'blocker', gate: blocker.gate, run_id: blocker.run_id, heading: `${blocker.gate} blocker documented for run ${blocker.run_id}${earlier}`, lines });
  }

  for (const signoff of view.signoffs) {
    const gate = typeof signoff.gate === 'string' ? signoff.gate : null;
    const runId = typeof signoff.run_id === 'string' ? signoff.run_id : null;
    const lines = [`- Signed off by: ${inline(signoff.actor)} (record ${signoff.record_id})`];
    if (typeof signoff.note === 'string') lines.push(`- Note: ${inline(signoff.note)}`);
    entries.push({ at: signoff.at, kind: 'signoff', gate, run_id: runId, heading: `sign-off${gate === null ? '' : ` of ${gate}`}${runId === null ? '' : ` run ${runId}`}`, lines });
  }

  return entries.sort(byTime);
}

function byTime(a: ExecutionLogEntry, b: ExecutionLogEntry): number {
  if (a.at !== b.at) return a.at < b.at ? -1 : 1;
  if (a.kind !== b.kind) return KIND_ORDER[a.kind] - KIND_ORDER[b.kind];
  const [x, y] = [a.run_id ?? '', b.run_id ?? ''];
  if (x !== y) return x < y ? -1 : 1;
  return a.heading < b.heading ? -1 : a.heading > b.heading ? 1 : 0;
}

/** Links to the run's summary, manifest and reports, each by what it is. */
function evidenceLinks(input: ExecutionLogInput, runId: string): string[] {
  const links: string[] = [];
  const summary = evidenceFile(input, runId, SUMMARY_PATTERN);
  if (summary !== null) links.push(link('summary', summary));
  const manifest = evidenceFile(input, runId, MANIFEST_PATTERN);
  if (manifest !== null) links.push(link('manifest', manifest));
  const run = input.view.runs[runId];
  const files = input.runFolders[runId]?.files ?? [];
  if (run !== undefined) {
    const reports = files.filter((name) => parseGateArtifactName(name)?.kind === 'report').toSorted();
    for (const report of reports) links.push(link('report', `${runLinkDir(input.artifactsDir, run)}/${report}`));
  }
  return links;
}

/** The latest file of the run folder matching `pattern` (artifact names sort in time order), as a link path. */
function evidenceFile(input: ExecutionLogInput, runId: string, pattern: RegExp): string | null {
  const run = input.view.runs[runId];
  const name = (input.runFolders[runId]?.files ?? []).filter((f) => pattern.test(f)).toSorted().at(-1);
  return run === undefined || name === undefined ? null : `${runLinkDir(input.artifactsDir, run)}/${name}`;
}

/** The run folder as a link from the artifacts folder: `01M8…` for a run inside it, the whole path otherwise. */
function runLinkDir(artifactsDir: string, run: RunView): string {
  const inside = relative(artifactsDir, run.dir);
  const path = inside === '' || inside.startsWith('..') || isAbsolute(inside) ? run.dir : inside;
  return path.split(sep).join('/');
}

function took(from: string, to: string): string {
  const ms = Date.parse(to) - Date.parse(from);
  if (!Number.isFinite(ms) || ms < 0) return 'an unknown time';
  return ms < 1000 ? `${ms}ms` : formatDuration(ms / 1000);
}

/** `2026-12-01T05:32:14.123Z` → `2026-12-01 05:32:14Z`; anything else as it is. */
export function formatTime(iso: string): string {
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/.test(iso) ? iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z') : iso;
}

function short(hash: string): string {
  return hash.slice(0, SHORT_HASH);
}

function link(text: string, target: string): string {
  const safeText = text.replaceAll('[', '\\[').replaceAll(']', '\\]');
  return `[${safeText}](${/[\s()<>]/.test(target) ? `<${target.replaceAll('<', '%3C').replaceAll('>', '%3E')}>` : target})`;
}

/** Text from a record on one line: a newline would end the bullet or heading it is in. */
function inline(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}

/** A table cell: one line, and a `|` that does not end it. */
function cell(text: string): string {
  return inline(text).replaceAll('|', '\\|');
}
