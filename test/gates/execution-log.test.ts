// The execution log rendered from a hand-built state view: the gate table row by row
// (status, trial, evidence link, times, `|` escaped), and the entries in time order —
// runs passed, failed, trial and under an earlier contract, blockers, the contract lock.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { executionLog, renderExecutionLog, type ExecutionLogInput, type RunFolder } from '../../gates/execution-log.ts';
import { blockersOf, gateRunsOf } from '../../gates/gate-history.ts';
import { gateStates } from '../../gates/gate-states.ts';
import { verifiedAsRecorded } from '../helpers/verified-as-recorded.ts';
import type { GateSpec } from '../../src/pipeline/pipeline-schema.ts';
import { emptyStateView, type OperatorEntry, type RunView, type StateView } from '../../src/state/state-view.ts';

const HASH = 'a1b2c3d4e5f6'.padEnd(64, '0');
const PIPELINE_HASH = 'p'.repeat(64);
const OLD_HASH = 'ffeeddccbbaa'.padEnd(64, '9');
const ARTIFACTS = join('/', 'srv', 'evidence', 'artifacts');
const GATES: GateSpec[] = [
  { id: 'prerequisites', title: 'Prerequisites', kind: 'preflight', parameters: { min_node_major: 22, min_free_disk_mb: 1 } },
  { id: 'gate1', title: 'Gate 1: start/stop | cycles', kind: 'start-stop-cycles', parameters: { cycles: 10, duration_s: 1800, interval_s: 5 }, criteria: { max_failed_health_checks: 0, max_leftovers: 0, allow_escaped_processes: false } },
  { id: 'gate2', title: 'Gate 2: soak', kind: 'security', parameters: {}, criteria: {} },
  { id: 'release', title: 'Release', kind: 'release' },
];
const PIPELINE = { name: 'phase 3 hardening', version: '1.0.0', gates: GATES };
const CONTRACT = { name: 'demo fleet', version: '1.1.0', hash: HASH };

function run(id: string, gate: string, started: string, fields: Partial<RunView> = {}): [string, RunView] {
  return [id, { kind: gate === 'prerequisites' ? 'preflight' : 'start-stop-cycles', dir: join(ARTIFACTS, id), started_at: `2026-12-01T${started}Z`, trial: false, gate, contract_hash: HASH, pipeline_hash: PIPELINE_HASH, ...fields }];
}

const RUNS: [string, RunView][] = [
  // Under the contract before this one: history only.
  run('01OLD', 'prerequisites', '04:00:00.000', { contract_hash: OLD_HASH, ended_at: '2026-12-01T04:00:01.500Z', status: 'PASSED' }),
  run('01PRE', 'prerequisites', '05:00:00.100', { ended_at: '2026-12-01T05:00:00.350Z', status: 'PASSED' }),
  run('01G1A', 'gate1', '05:10:00.000', { trial: true, ended_at: '2026-12-01T05:12:30.000Z', status: 'FAILED', reasons: ['cycle 2: api failed 3 health checks', 'cycle 2: pid 4242 | node left after stop'] }),
  run('01G1B', 'gate1', '05:20:00.000', { trial: true, ended_at: '2026-12-01T05:22:00.000Z', status: 'PASSED' }),
  // Started and never ended, no live runner: interrupted.
  run('01G2A', 'gate2', '05:30:00.000', { kind: 'soak', status: 'RUNNING' }),
];

const BLOCKER: OperatorEntry = {
  record_id: '01BLK',
  actor: 'alice',
  at: '2026-12-01T05:15:00.000Z',
  gate: 'gate1',
  run_id: '01G1A',
  what_failed: 'cycle 2: api failed 3 health checks',
  root_cause: 'the api\nwarmed its cache before listening',
  fix: 'healthz answers only after warm-up',
  remediation: 'rerun as a trial first',
};

function view(runs: [string, RunView][] = RUNS): StateView {
  return {
    ...emptyStateView(ARTIFACTS),
    contract_lock: { name: 'demo fleet', version: '1.1.0', hash: HASH, locked_at: '2026-12-01T04:30:00.000Z', approved_by: 'bob', reason: 'new api port', record_id: '01LCK' },
    runs: Object.fromEntries(runs),
    blockers: [BLOCKER],
  };
}

const FOLDERS: Record<string, RunFolder> = {
  '01OLD': { files: ['journal.jsonl', 'prerequisites-summary-20261201T040001Z.json', 'prerequisites-manifest-20261201T040001Z.sha256'], parameters: { min_node_major: 22, min_free_disk_mb: 1 } },
  '01PRE': { files: ['SHA256SUMS', 'journal.jsonl', 'prerequisites-manifest-20261201T050000Z.sha256', 'prerequisites-report-20261201T050000Z.txt', 'prerequisites-summary-20261201T050000Z.json'], parameters: { min_node_major: 22, min_free_disk_mb: 1 } },
  '01G1A': { files: ['gate1-summary-20261201T051230Z.json', 'gate1-manifest-20261201T051230Z.sha256', 'journal.jsonl'], parameters: { cycles: 2, duration_s: 20, interval_s: 1 } },
  '01G1B': { files: ['gate1-manifest-20261201T052200Z.sha256', 'gate1-summary-20261201T052200Z.json'], parameters: { cycles: 2, duration_s: 20, interval_s: 1 } },
  '01G2A': { files: ['journal.jsonl'] },
};

function input(v: StateView = view()): ExecutionLogInput {
  return {
    pipeline: PIPELINE,
    contract: CONTRACT,
    states: gateStates(GATES, { contractHash: HASH, pipelineHash: PIPELINE_HASH }, verifiedAsRecorded(gateRunsOf(v)), blockersOf(v), new Set()),
    view: v,
    artifactsDir: ARTIFACTS,
    runFolders: FOLDERS,
    generatedAt: new Date('2026-12-01T06:00:00.250Z'),
  };
}

function section(markdown: string, from: string, to?: string): string {
  const start = markdown.indexOf(from);
  expect(start, `no "${from}" in\n${markdown}`).toBeGreaterThanOrEqual(0);
  const end = to === undefined ? markdown.length : markdown.indexOf(to, start);
  return markdown.slice(start, end);
}

describe('renderExecutionLog', () => {
  const markdown = renderExecutionLog(input());

  it('opens with the pipeline, the contract and when it was generated', () => {
    expect(markdown.startsWith('# Execution Log — phase 3 hardening 1.0.0\n\nContract: demo fleet 1.1.0 (a1b2c3d4e5f6) · generated 2026-12-01 06:00:00Z\n\n')).toBe(true);
  });

  it('has one table row per gate: status (trial marked), a link to the summary of the run it comes from, start and end', () => {
    expect(section(markdown, '| Gate |', '\n\n## Entries')).toBe(
      [
        '| Gate | Status | Evidence | Start | End |',
        '| --- | --- | --- | --- | --- |',
        '| Prerequisites | PASSED | [01PRE/prerequisites-summary-20261201T050000Z.json](01PRE/prerequisites-summary-20261201T050000Z.json) | 2026-12-01 05:00:00Z | 2026-12-01 05:00:00Z |',
        '| Gate 1: start/stop \\| cycles | PASSED (trial) | [01G1B/gate1-summary-20261201T052200Z.json](01G1B/gate1-summary-20261201T052200Z.json) | 2026-12-01 05:20:00Z | 2026-12-01 05:22:00Z |',
        '| Gate 2: soak | INTERRUPTED | — | 2026-12-01 05:30:00Z | — |',
        '| Release | PENDING | — | — | — |',
      ].join('\n'),
    );
  });

  it('lists every entry in time order, runs under the earlier contract marked', () => {
    const headings = markdown.split('\n').filter((line) => line.startsWith('### '));
    expect(headings).toEqual([
      '### 2026-12-01 04:00:00Z — prerequisites run 01OLD started (earlier contract ffeeddccbbaa)',
      '### 2026-12-01 04:00:01Z — prerequisites run 01OLD PASSED (earlier contract ffeeddccbbaa)',
      '### 2026-12-01 04:30:00Z — contract demo fleet 1.1.0 approved',
      '### 2026-12-01 05:00:00Z — prerequisites run 01PRE started',
      '### 2026-12-01 05:00:00Z — prerequisites run 01PRE PASSED',
      '### 2026-12-01 05:10:00Z — gate1 run 01G1A started (trial: 2 cycle(s), 20s each, probes every 1s)',
      '### 2026-12-01 05:12:30Z — gate1 run 01G1A FAILED (trial)',
      '### 2026-12-01 05:15:00Z — gate1 blocker documented for run 01G1A',
      '### 2026-12-01 05:20:00Z — gate1 run 01G1B started (trial: 2 cycle(s), 20s each, probes every 1s)',
      '### 2026-12-01 05:22:00Z — gate1 run 01G1B PASSED (trial)',
      '### 2026-12-01 05:30:00Z — gate2 run 01G2A started',
    ]);
  });

  it('gives a run its parameters and folder, and its end the time taken and links to its summary, manifest and reports', () => {
    expect(section(markdown, '### 2026-12-01 05:00:00Z — prerequisites run 01PRE started', '### 2026-12-01 05:10')).toBe(
      [
        '### 2026-12-01 05:00:00Z — prerequisites run 01PRE started',
        '',
        '- Gate: Prerequisites',
        '- Parameters: min_node_major 22, min_free_disk_mb 1',
        '- Run folder: [01PRE/](01PRE/)',
        '',
        '### 2026-12-01 05:00:00Z — prerequisites run 01PRE PASSED',
        '',
        '- Took 250ms',
        '- Evidence: [summary](01PRE/prerequisites-summary-20261201T050000Z.json), [manifest](01PRE/prerequisites-manifest-20261201T050000Z.sha256), [report](01PRE/prerequisites-report-20261201T050000Z.txt)',
        '',
        '',
      ].join('\n'),
    );
  });

  it('lists a failure\'s reasons as bullets, and the blocker with its root cause, fix, remediation and who documented it', () => {
    expect(section(markdown, '### 2026-12-01 05:12:30Z', '### 2026-12-01 05:20')).toBe(
      [
        '### 2026-12-01 05:12:30Z — gate1 run 01G1A FAILED (trial)',
        '',
        '- Took 2m30s',
        '- Evidence: [summary](01G1A/gate1-summary-20261201T051230Z.json), [manifest](01G1A/gate1-manifest-20261201T051230Z.sha256)',
        '- Why it failed:',
        '  - cycle 2: api failed 3 health checks',
        '  - cycle 2: pid 4242 | node left after stop',
        '',
        '### 2026-12-01 05:15:00Z — gate1 blocker documented for run 01G1A',
        '',
        '- What failed: cycle 2: api failed 3 health checks',
        '- Root cause: the api warmed its cache before listening',
        '- Fix: healthz answers only after warm-up',
        '- Remediation: rerun as a trial first',
        '- Documented by: alice (record 01BLK)',
        '',
        '',
      ].join('\n'),
    );
  });

  it('shows the contract approval, and a run that never ended as interrupted', () => {
    expect(section(markdown, '### 2026-12-01 04:30:00Z', '### 2026-12-01 05:00')).toBe(
      ['### 2026-12-01 04:30:00Z — contract demo fleet 1.1.0 approved', '', `- Hash: \`${HASH}\``, '- Approved by: bob', '- Reason: new api port', '', ''].join('\n'),
    );
    expect(section(markdown, '### 2026-12-01 05:30:00Z')).toBe(
      ['### 2026-12-01 05:30:00Z — gate2 run 01G2A started', '', '- Gate: Gate 2: soak', '- Run folder: [01G2A/](01G2A/)', '- No end recorded: its runner stopped before it ended the run (INTERRUPTED)', ''].join('\n'),
    );
  });

  it('says RUNNING for the run a live runner holds', () => {
    const v = view();
    const live = renderExecutionLog({ ...input(v), states: gateStates(GATES, { contractHash: HASH, pipelineHash: PIPELINE_HASH }, verifiedAsRecorded(gateRunsOf(v)), blockersOf(v), new Set(['01G2A'])) });
    expect(live).toContain('| Gate 2: soak | RUNNING | — | 2026-12-01 05:30:00Z | — |');
    expect(live).toContain('- No end recorded yet: its runner is running it now');
  });

  it('is the same text for the same records, whatever order the view holds them in', () => {
    expect(renderExecutionLog(input())).toBe(markdown);
    expect(renderExecutionLog(input(view(RUNS.toReversed())))).toBe(markdown);
  });

  it('notes a lock other than this contract, and renders an empty history', () => {
    const empty = { ...emptyStateView(ARTIFACTS), contract_lock: null };
    const text = renderExecutionLog({ ...input(empty), runFolders: {} });
    expect(text).toContain('The contract is not locked yet');
    expect(text).toContain('| Prerequisites | PENDING | — | — | — |');
    expect(text.endsWith('## Entries\n\nNothing has been recorded yet.\n')).toBe(true);
    const other = executionLog({ ...input(), contract: { ...CONTRACT, hash: OLD_HASH } });
    expect(other.notes).toEqual(['The lock in force is demo fleet 1.1.0 (a1b2c3d4e5f6), not this contract: `evident contract check` says what changed.']);
  });
});
