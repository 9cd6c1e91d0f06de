// The sequencing rules over gate states built from runs and blockers: every refusal
// with its reason, and what each rule lets through.
import { describe, expect, it } from 'vitest';
import { admission } from '../../gates/admission.ts';
import { gateStates, runsToVerify, type Blocker, type GateRun } from '../../gates/gate-states.ts';
import type { GateSpec } from '../../src/pipeline/pipeline-schema.ts';
import { verifiedAsRecorded } from '../helpers/verified-as-recorded.ts';

const HASH = 'a'.repeat(64);
const PIPELINE_HASH = 'c'.repeat(64);
const OLD_HASH = 'b'.repeat(64);
const GATES: GateSpec[] = [
  { id: 'prerequisites', title: 'Prerequisites', kind: 'preflight', parameters: { min_node_major: 22, min_free_disk_mb: 1 } },
  { id: 'gate1', title: 'Gate 1', kind: 'start-stop-cycles', parameters: { cycles: 10, duration_s: 1800, interval_s: 5 }, criteria: { max_failed_health_checks: 0, max_leftovers: 0, allow_escaped_processes: false } },
  { id: 'gate2', title: 'Gate 2', kind: 'security', parameters: {}, criteria: {} },
  { id: 'release', title: 'Release', kind: 'release' },
];

let clock = 0;
function run(gate: string, status: GateRun['status'] | 'none', options: Partial<GateRun> = {}): GateRun {
  clock += 1;
  const at = new Date(Date.UTC(2026, 0, 1, 0, 0, clock)).toISOString();
  return {
    run_id: `RUN${String(clock).padStart(3, '0')}`,
    gate,
    trial: false,
    contract_hash: HASH,
    pipeline_hash: PIPELINE_HASH,
    started_at: at,
    ...(status === 'none' ? {} : { status, ended_at: at }),
    ...options,
  };
}

function blocker(of: GateRun, remediation?: string): Blocker {
  return { record_id: `B${of.run_id}`, gate: of.gate, run_id: of.run_id, what_failed: 'x', root_cause: 'y', fix: 'z', actor: 'alice', at: of.started_at, ...(remediation ? { remediation } : {}) };
}

function states(runs: GateRun[], blockers: Blocker[] = [], live: string[] = []) {
  return gateStates(GATES, { contractHash: HASH, pipelineHash: PIPELINE_HASH }, verifiedAsRecorded(runs), blockers, new Set(live));
}

describe('gateStates', () => {
  it('derives each state from the latest run under the current contract', () => {
    const failed = run('gate1', 'FAILED');
    const s = states([run('prerequisites', 'PASSED'), failed]);
    expect(s.map((g) => g.status)).toEqual(['PASSED', 'BLOCKED', 'PENDING', 'PENDING']);
    expect(states([run('prerequisites', 'PASSED'), failed], [blocker(failed)])[1]).toMatchObject({ status: 'FAILED', failuresInARow: 1, blocker: { run_id: failed.run_id } });
  });

  it('a run without an end is RUNNING while its runner lives and INTERRUPTED once it does not; an ended run without a verdict is INTERRUPTED', () => {
    const open = run('gate1', 'none');
    expect(states([open], [], [open.run_id])[1]?.status).toBe('RUNNING');
    expect(states([open])[1]?.status).toBe('INTERRUPTED');
    // Ended but never verified (not sealed): it stands for nothing until its folder verifies.
    expect(states([run('gate1', undefined, { ended_at: '2026-01-01T01:00:00.000Z' })])[1]).toMatchObject({ status: 'UNVERIFIED', unverified: 'not verified' });
  });

  it('runs under another contract do not count: the gate is re-opened', () => {
    const s = states([run('prerequisites', 'PASSED', { contract_hash: OLD_HASH })]);
    expect(s[0]).toMatchObject({ status: 'PENDING', run: null, staleRuns: 1 });
  });

  it('runs under another pipeline do not count either, nor runs that name no pipeline', () => {
    const s = states([run('prerequisites', 'PASSED', { pipeline_hash: 'd'.repeat(64) }), run('gate1', 'PASSED', { pipeline_hash: undefined })]);
    expect(s[0]).toMatchObject({ status: 'PENDING', run: null, staleRuns: 1 });
    expect(s[1]).toMatchObject({ status: 'PENDING', run: null, staleRuns: 1 });
  });

  it("an ended run stands for its verified verdict, never its journal's claim; one that does not verify is UNVERIFIED with the reason", () => {
    const claimed = run('prerequisites', 'PASSED');
    const forged = { ...claimed, verification: { ok: false, status: null, problem: 'key public-key.pem: signed by key 0123456789abcdef', manifest_sha256: null } };
    expect(gateStates(GATES, { contractHash: HASH, pipelineHash: PIPELINE_HASH }, [forged], [], new Set())[0]).toMatchObject({
      status: 'UNVERIFIED',
      unverified: 'key public-key.pem: signed by key 0123456789abcdef',
    });
    // The verified verdict wins over the recorded one.
    const recordedPass = { ...run('gate1', 'PASSED'), verification: { ok: true, status: 'FAILED' as const, problem: null, manifest_sha256: 'f'.repeat(64) } };
    expect(gateStates(GATES, { contractHash: HASH, pipelineHash: PIPELINE_HASH }, [recordedPass], [], new Set())[1]?.status).toBe('BLOCKED');
    // Only the run a state comes from is verified: the latest ended one of each gate.
    const older = run('gate1', 'FAILED');
    const latest = run('gate1', 'PASSED');
    expect(runsToVerify(GATES, { contractHash: HASH, pipelineHash: PIPELINE_HASH }, [claimed, older, latest, run('prerequisites', 'none')]).map((r) => r.run_id)).toEqual([latest.run_id]);
  });

  it('counts failures in a row, not broken by an interrupted run, reset by a pass', () => {
    const runs = [run('gate1', 'FAILED'), run('gate1', 'PASSED'), run('gate1', 'FAILED'), run('gate1', 'none'), run('gate1', 'FAILED')];
    expect(states(runs)[1]?.failuresInARow).toBe(2);
  });
});

describe('admission', () => {
  it('runs the first gate at once and each later gate only after the one before it passed', () => {
    expect(admission(states([]), 'prerequisites', false)).toEqual({ ok: true });
    expect(admission(states([]), 'gate1', false)).toEqual({
      ok: false,
      kind: 'blocked',
      reason: 'gate1 runs only after prerequisites passed under the current contract and pipeline; prerequisites is PENDING (never run under this contract and pipeline)',
    });
    expect(admission(states([run('prerequisites', 'PASSED')]), 'gate1', false)).toEqual({ ok: true });
    expect(admission(states([run('prerequisites', 'FAILED')]), 'gate1', true)).toMatchObject({ ok: false, reason: expect.stringMatching(/prerequisites is BLOCKED \(run RUN\d+\)/) });
  });

  it('a pass under the old contract no longer opens the next gate', () => {
    expect(admission(states([run('prerequisites', 'PASSED', { contract_hash: OLD_HASH })]), 'gate1', false)).toMatchObject({ ok: false, kind: 'blocked' });
  });

  it('a trial pass unlocks only a trial of the next gate', () => {
    const s = states([run('prerequisites', 'PASSED'), run('gate1', 'PASSED', { trial: true })]);
    // gate2 has no runner yet: the rule is shown on gate1 after a trial of the prerequisites.
    const t = states([run('prerequisites', 'PASSED', { trial: true })]);
    expect(admission(t, 'gate1', true)).toEqual({ ok: true });
    expect(admission(t, 'gate1', false)).toMatchObject({ ok: false, kind: 'blocked', reason: expect.stringMatching(/passed only as a trial .*unlocks only a trial run of gate1/) });
    expect(s[1]).toMatchObject({ status: 'PASSED', trial: true });
  });

  it('refuses a rerun after a failure until the blocker is documented', () => {
    const failed = run('gate1', 'FAILED');
    const base = run('prerequisites', 'PASSED');
    expect(admission(states([base, failed]), 'gate1', false)).toMatchObject({ ok: false, kind: 'blocked', reason: expect.stringMatching(/failed in run RUN\d+ and no blocker is documented/) });
    expect(admission(states([base, failed], [blocker(failed)]), 'gate1', false)).toEqual({ ok: true });
  });

  it('refuses a third attempt after two failures without a remediation note', () => {
    const base = run('prerequisites', 'PASSED');
    const first = run('gate1', 'FAILED');
    const second = run('gate1', 'FAILED');
    const documented = [blocker(first), blocker(second)];
    expect(admission(states([base, first, second], documented), 'gate1', false)).toMatchObject({ ok: false, kind: 'blocked', reason: expect.stringMatching(/failed 2 times in a row: a third attempt needs a remediation note/) });
    expect(admission(states([base, first, second], [blocker(first), blocker(second, 'replace the worker pool')]), 'gate1', false)).toEqual({ ok: true });
  });

  it('an UNVERIFIED run unlocks nothing, and its gate runs again only once it is quarantined', () => {
    const base = run('prerequisites', 'PASSED');
    const bad = { ...run('gate1', 'PASSED'), verification: { ok: false, status: null, problem: 'files gate1-summary.json: SHA-256 differs', manifest_sha256: null } };
    const s = gateStates(GATES, { contractHash: HASH, pipelineHash: PIPELINE_HASH }, [{ ...base, verification: { ok: true, status: 'PASSED' as const, problem: null, manifest_sha256: 'f'.repeat(64) } }, bad], [], new Set());
    expect(admission(s, 'gate1', false)).toMatchObject({ ok: false, kind: 'blocked', reason: expect.stringMatching(/^gate1's latest run RUN\d+ does not verify \(files gate1-summary.json: SHA-256 differs\): quarantine it first/) });
    expect(admission(s, 'release', false)).toMatchObject({ ok: false, kind: 'blocked', reason: expect.stringMatching(/gate1 has not passed .*UNVERIFIED/) });
  });

  it('refuses a gate that is already running', () => {
    const open = run('prerequisites', 'none');
    expect(admission(states([open], [], [open.run_id]), 'prerequisites', false)).toMatchObject({ ok: false, kind: 'blocked', reason: `prerequisites is already running (run ${open.run_id})` });
  });

  it('refuses a gate kind without a runner as unsupported, and an unknown gate', () => {
    const s = states([run('prerequisites', 'PASSED'), run('gate1', 'PASSED')]);
    expect(admission(s, 'gate2', false)).toEqual({ ok: false, kind: 'unsupported', reason: 'gate2 (security) has no runner in this version of evident' });
    expect(admission(s, 'gate9', false)).toMatchObject({ ok: false, kind: 'unsupported' });
  });

  it('refuses a release offered as a trial, or over a gate that passed only as a trial', () => {
    const all = (trialGate1: boolean) => states([run('prerequisites', 'PASSED'), run('gate1', 'PASSED', { trial: trialGate1 }), run('gate2', 'PASSED')]);
    expect(admission(all(false), 'release', true)).toMatchObject({ ok: false, kind: 'blocked', reason: expect.stringMatching(/never a trial/) });
    expect(admission(all(true), 'release', false)).toMatchObject({ ok: false, kind: 'blocked', reason: expect.stringMatching(/^gate1 passed only as a trial .*a release needs a full run/) });
    expect(admission(all(false), 'release', false)).toEqual({ ok: true });
    expect(admission(states([run('prerequisites', 'PASSED'), run('gate1', 'PASSED')]), 'release', false)).toMatchObject({ ok: false, reason: expect.stringMatching(/^gate2 has not passed/) });
  });
});
