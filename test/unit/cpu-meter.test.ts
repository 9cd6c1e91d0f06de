// CPU % from successive cumulative CPU times, keyed by pid and start token.
import { describe, expect, it } from 'vitest';
import { CpuMeter } from '../../src/telemetry/cpu-meter.ts';
import { processInfo } from './process-info.ts';

describe('CpuMeter', () => {
  it('has no figure on first sight, then the busy share of one core since the last reading', () => {
    const meter = new CpuMeter();
    const first = meter.measure([processInfo(10, 1, { cpuTimeMs: 1000 }), processInfo(11, 1, { cpuTimeMs: 0 })], 5000);
    expect(first).toEqual(new Map([[10, null], [11, null]]));
    const second = meter.measure([processInfo(10, 1, { cpuTimeMs: 1500 }), processInfo(11, 1, { cpuTimeMs: 2000 })], 6000);
    // 500 ms of CPU in 1000 ms: half a core; 2000 ms in 1000 ms: two cores.
    expect(second).toEqual(new Map([[10, 50], [11, 200]]));
    const third = meter.measure([processInfo(10, 1, { cpuTimeMs: 1500 })], 8000);
    expect(third).toEqual(new Map([[10, 0]]));
  });

  it('starts over for a reused pid (another start token)', () => {
    const meter = new CpuMeter();
    meter.measure([processInfo(10, 1, { startToken: 'boot:1', cpuTimeMs: 9000 })], 1000);
    const reused = meter.measure([processInfo(10, 1, { startToken: 'boot:2', cpuTimeMs: 100 })], 2000);
    expect(reused.get(10)).toBeNull();
    const next = meter.measure([processInfo(10, 1, { startToken: 'boot:2', cpuTimeMs: 350 })], 3000);
    expect(next.get(10)).toBe(25);
  });

  it('forgets a process missing from a reading', () => {
    const meter = new CpuMeter();
    meter.measure([processInfo(10, 1, { cpuTimeMs: 0 })], 1000);
    meter.measure([], 2000);
    expect(meter.measure([processInfo(10, 1, { cpuTimeMs: 500 })], 3000).get(10)).toBeNull();
  });

  it('gives no figure when no time has passed, and never a negative one', () => {
    const meter = new CpuMeter();
    meter.measure([processInfo(10, 1, { cpuTimeMs: 500 })], 1000);
    expect(meter.measure([processInfo(10, 1, { cpuTimeMs: 600 })], 1000).get(10)).toBeNull();
    expect(meter.measure([processInfo(10, 1, { cpuTimeMs: 100 })], 2000).get(10)).toBe(0);
  });
});
