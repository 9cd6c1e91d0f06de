// A run's parameters in words, as the runner's first line and the execution log give them.
import { describe, expect, it } from 'vitest';
import { describeParameters } from '../../gates/describe-parameters.ts';
import { planSoak } from '../../gates/soak/kind.ts';
import type { GateSpec } from '../../src/pipeline/pipeline-schema.ts';
import { PIPELINE } from '../components/gate-fixtures.ts';

describe('describeParameters', () => {
  it('says Gate 1 in cycles, duration and probes, and anything else by name', () => {
    expect(describeParameters({ cycles: 2, duration_s: 20, interval_s: 1 })).toBe('2 cycle(s), 20s each, probes every 1s');
    expect(describeParameters({ min_node_major: 22, min_free_disk_mb: 1024 })).toBe('min_node_major 22, min_free_disk_mb 1024');
    expect(describeParameters({})).toBeNull();
  });

  it('says a soak in its duration, warm-up, sampling and traffic, never as raw JSON', () => {
    const soak = PIPELINE.gates.find((g) => g.id === 'gate2') as GateSpec;
    const plan = planSoak(soak, { duration_s: 180 });
    if (!plan.ok) throw new Error(plan.problem);
    expect(describeParameters(plan.parameters)).toBe('soak for 3m, warm-up 1m, samples every 5s; traffic to api-gateway: chat 1/s, action 0.5/s, tool 0.25/s, a session every 5m');
    const short = planSoak(soak, { duration_s: 12, minute_s: 3, warmup_s: 0, interval_s: 1 });
    if (!short.ok) throw new Error(short.problem);
    expect(describeParameters(short.parameters)).toMatch(/^soak for 12s \(minutes of 3s\), no warm-up, samples every 1s; traffic/);
  });
});
