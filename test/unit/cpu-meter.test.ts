// CPU % from successive cumulative CPU times, keyed by pid and start token.
import { describe, expect, it } from 'vitest';
import { CpuMeter } from '../../src/telemetry/cpu-meter.ts';
import { processInfo } from './process-info.ts';

describe('CpuMeter', () => {
  it('has no figure on first sight, then the busy share of one core since the last reading', () => {
    const meter = new CpuMeter(1);
    const first = meter.measure([processInfo(10, 1, { cpuTimeMs: 1000 }), processInfo(11, 1, { cpuTimeMs: 0 })], 5000);
    expect(first).toEqual(new Map([[10, null], [11, null]]));
    const second = meter.measure([processInfo(10, 1, { cpuTimeMs: 1500 }), processInfo(11, 1, { cpuTimeMs: 2000 })], 6000);
    // 500 ms of CPU in 1000 ms: half a core; 2000 ms in 1000 ms: two cores.
    expect(second).toEqual(new Map([[10, 50], [11, 200]]));
    const third = meter.measure([processInfo(10, 1, { cpuTimeMs: 1500 })], 8000);
    expect(third).toEqual(new Map([[10, 0]]));
  });

  it('covers the last few readings, so a 1 % tick step is smoothed and a spike still shows', () => {
    const meter = new CpuMeter(3);
    const at = (i: number) => 1000 * (i + 1);
    // 10 ms of CPU time every other second: per interval that reads 1 %, 0 %, 1 %, 0 %.
    const times = [0, 10, 10, 20, 20, 30];
    const figures = times.map((cpuTimeMs, i) => meter.measure([processInfo(10, 1, { cpuTimeMs })], at(i)).get(10));
    expect(figures[0]).toBeNull();
    expect(figures[1]).toBe(1);
    expect(figures[2]).toBe(0.5);
    expect(figures[3]).toBeCloseTo(20 / 30, 5);
    expect(figures[4]).toBeCloseTo(10 / 30, 5);
    expect(figures[5]).toBeCloseTo(20 / 30, 5);
    // A burst of 900 ms in the last second is visible at once: (930 - 20) ms over 3 s.
    expect(meter.measure([processInfo(10, 1, { cpuTimeMs: 930 })], at(6)).get(10)).toBeCloseTo(910 / 30, 5);
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
