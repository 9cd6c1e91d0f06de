// The gate g offers: the first not passed, planned with the console's trial parameters
// where the gate takes them, asked of the sequencing rules, described with its duration.
import { describe, expect, it } from 'vitest';
import { gateKind } from '../../gates/gate-kinds.ts';
import type { GateOverrides } from '../../gates/gate-kind.ts';
import { blockersOf, gateRunsOf } from '../../gates/gate-history.ts';
import { gateStates } from '../../gates/gate-states.ts';
import { applicableOverrides, describeGateRun, nextGate, type PlanGate } from '../../gates/desk/next-gate.ts';
import { emptyStateView, type RunView } from '../../src/state/state-view.ts';
import { verifiedAsRecorded } from '../helpers/verified-as-recorded.ts';
import { CONTRACT_HASH, GATE1_RUN, PIPELINE, PRE_RUN, run } from './gate-fixtures.ts';

const plan: PlanGate = (gate, overrides, pipeline) => gateKind(gate.kind)?.plan(gate, overrides, pipeline) ?? { ok: false, problem: `${gate.id} has no runner` };

function offer(runs: Record<string, RunView>, overrides: GateOverrides = {}) {
  const view = { ...emptyStateView(), runs };
  return nextGate(PIPELINE, gateStates(PIPELINE.gates, { contractHash: CONTRACT_HASH, pipelineHash: PIPELINE.hash }, verifiedAsRecorded(gateRunsOf(view)), blockersOf(view), new Set()), overrides, plan);
}

const gate1 = PIPELINE.gates.find((g) => g.id === 'gate1')!;
const prerequisites = PIPELINE.gates.find((g) => g.id === 'prerequisites')!;
const TRIAL = { cycles: 1, duration_s: 3, interval_s: 1 };

describe('the next gate', () => {
  it('starts with the prerequisites, which take no trial parameters', () => {
    const next = offer({}, TRIAL);
    expect(next?.gate.id).toBe('prerequisites');
    expect(next?.argv).toEqual(['prerequisites']);
    expect(next?.trial).toBe(false);
    expect(next?.admission).toEqual({ ok: true });
    expect(applicableOverrides(prerequisites, TRIAL)).toEqual({});
  });

  it('runs Gate 1 in full, or as a trial with the console parameters', () => {
    const full = offer({ [PRE_RUN]: run('prerequisites', 'PASSED') });
    expect(full?.gate.id).toBe('gate1');
    expect(full?.question).toBe('Run gate1 — Gate 1: consecutive start/stop cycles: 10 cycles × 30m, probes every 5s (≈ 5h)');
    expect(full?.argv).toEqual(['gate1']);
    const trial = offer({ [PRE_RUN]: run('prerequisites', 'PASSED') }, TRIAL);
    expect(trial?.question).toBe('Run gate1 — Gate 1: consecutive start/stop cycles: 1 cycle × 3s, probes every 1s (≈ 3s), a trial');
    expect(trial?.argv).toEqual(['gate1', '--cycles', '1', '--duration', '3s', '--interval', '1s']);
    expect(trial?.trial).toBe(true);
  });

  it('owes a full run after a trial pass, unless the console runs trials', () => {
    const runs = { [PRE_RUN]: run('prerequisites', 'PASSED'), [GATE1_RUN]: run('gate1', 'PASSED', { trial: true }) };
    expect(offer(runs)?.gate.id).toBe('gate1');
    const next = offer(runs, TRIAL);
    expect(next?.gate.id).toBe('gate2');
    // The console's 3-second trial is no whole minute: the soak's plan says so.
    expect(next?.plan).toMatchObject({ ok: false, problem: expect.stringContaining('a soak runs whole minutes of 1m') });
    const soakTrial = offer(runs, { duration_s: 180 });
    expect(soakTrial?.question).toBe('Run gate2 — Gate 2: 48-hour soak under synthetic traffic: traffic for 3m, warm-up 1m, samples every 5s, a trial');
    expect(soakTrial?.argv).toEqual(['gate2', '--duration', '180s']);
    expect(soakTrial?.admission).toEqual({ ok: true });
  });

  it('carries the sequencing rules: a failed gate waits for its blocker', () => {
    const next = offer({ [PRE_RUN]: run('prerequisites', 'PASSED'), [GATE1_RUN]: run('gate1', 'FAILED') });
    expect(next?.gate.id).toBe('gate1');
    expect(next?.admission).toMatchObject({ ok: false, kind: 'blocked' });
  });

  it('says a shortened plan that cannot run why', () => {
    const next = offer({ [PRE_RUN]: run('prerequisites', 'PASSED') }, { duration_s: 1, interval_s: 5 });
    expect(next?.plan).toEqual({ ok: false, problem: 'the interval (5 s) is longer than the duration (1 s): no probe round would run' });
  });

  it('describes kinds it has no numbers for by their title', () => {
    expect(describeGateRun(gate1, null, false)).toBe('Run gate1 — Gate 1: consecutive start/stop cycles');
    const security = PIPELINE.gates.find((g) => g.id === 'gate3')!;
    expect(describeGateRun(security, { duration_s: 600 }, false)).toBe('Run gate3 — Gate 3: security probes: ≈ 10m');
    const soak = PIPELINE.gates.find((g) => g.id === 'gate2')!;
    expect(describeGateRun(soak, { duration_s: 172800, warmup_s: 600, sample_interval_s: 5, minute_s: 60 }, false)).toBe(
      'Run gate2 — Gate 2: 48-hour soak under synthetic traffic: traffic for 48h, warm-up 10m, samples every 5s',
    );
  });
});
