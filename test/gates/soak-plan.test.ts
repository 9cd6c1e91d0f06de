// Gate 2's plan from the pipeline and the operator's flags: the declared 48 hours in full,
// a shortened run's warm-up scaled to a third of it, what makes a run a trial, and the
// plans it refuses with the reason.
import { describe, expect, it } from 'vitest';
import { planSoak } from '../../gates/soak/kind.ts';
import type { GateSpec } from '../../src/pipeline/pipeline-schema.ts';
import { PIPELINE } from '../components/gate-fixtures.ts';

const soak = PIPELINE.gates.find((g) => g.id === 'gate2') as GateSpec & { kind: 'soak' };

describe('planSoak', () => {
  it('runs the pipeline as declared: 48 h of 60 s minutes after a 10-minute warm-up, not a trial', () => {
    expect(planSoak(soak, {})).toMatchObject({ ok: true, trial: false, parameters: { duration_s: 172_800, warmup_s: 600, minute_s: 60, sample_interval_s: 5, target: 'api-gateway' } });
  });

  it('scales the warm-up of a run shortened below twice it to a third of its minutes, as a trial', () => {
    expect(planSoak(soak, { duration_s: 180 })).toMatchObject({ ok: true, trial: true, parameters: { duration_s: 180, warmup_s: 60 } });
    expect(planSoak(soak, { duration_s: 3600 })).toMatchObject({ ok: true, trial: true, parameters: { warmup_s: 600 } });
    expect(planSoak(soak, { duration_s: 180, warmup_s: 0 })).toMatchObject({ ok: true, parameters: { warmup_s: 0 } });
    expect(planSoak(soak, { minute_s: 3, duration_s: 12, warmup_s: 3, interval_s: 1 })).toMatchObject({ ok: true, trial: true, parameters: { minute_s: 3, sample_interval_s: 1 } });
  });

  it('refuses what it cannot judge, saying why', () => {
    expect(planSoak(soak, { duration_s: 150 })).toEqual({ ok: false, problem: 'a soak runs whole minutes of 1m: 2m30s is not a whole number of them (try 3m)' });
    expect(planSoak(soak, { duration_s: 120, warmup_s: 120 })).toMatchObject({ ok: false, problem: expect.stringContaining('leaves no minute') });
    expect(planSoak(soak, { interval_s: 90 })).toMatchObject({ ok: false, problem: expect.stringContaining('longer than a minute') });
    expect(planSoak(soak, { cycles: 2 })).toMatchObject({ ok: false, problem: '--cycles applies to a start/stop gate, not to a soak' });
    const clash = { ...soak, parameters: { ...soak.parameters, traffic: { ...soak.parameters.traffic, endpoints: [{ ...soak.parameters.traffic.endpoints[0]!, name: 'session' }] } } };
    expect(planSoak(clash, {})).toMatchObject({ ok: false, problem: expect.stringContaining('"session"') });
  });
});
