// Host CPU: the busy share of all cores between two readings of the kernel's counters.
import { describe, expect, it } from 'vitest';
import { createLinuxPlatform, parseHostCpuLine } from '../../src/platform/linux.ts';
import { busyPercent } from '../../src/telemetry/host-sampler.ts';
import { createWindowsPlatform } from '../../src/platform/windows.ts';
import { totalmem } from 'node:os';

const cpuTotals = () => createLinuxPlatform().hostCpuTimes();

describe('busyPercent', () => {
  it('is the busy part of the time that passed, in % of all cores', () => {
    expect(busyPercent({ busy: 100, total: 1000 }, { busy: 400, total: 2000 })).toBe(30);
    expect(busyPercent({ busy: 0, total: 0 }, { busy: 800, total: 800 })).toBe(100);
    expect(busyPercent({ busy: 50, total: 500 }, { busy: 50, total: 900 })).toBe(0);
  });

  it('has no figure when no time passed between the readings', () => {
    expect(busyPercent({ busy: 10, total: 100 }, { busy: 10, total: 100 })).toBeNull();
  });
});

describe('parseHostCpuLine', () => {
  it('counts user, nice, system, irq, softirq and steal as busy; idle and iowait as not', () => {
    expect(parseHostCpuLine('cpu  100 5 50 1000 20 3 2 1 0 0')).toEqual({ busy: 161, total: 1181 });
  });
});

describe('the Linux host CPU counters', () => {
  it('reads counters that only grow, with busy never above total', async () => {
    const before = cpuTotals();
    expect(before.total).toBeGreaterThan(0);
    expect(before.busy).toBeLessThanOrEqual(before.total);
    const until = Date.now() + 50;
    while (Date.now() < until) {
      // keep a core busy so the counters move
    }
    const after = cpuTotals();
    expect(after.total).toBeGreaterThanOrEqual(before.total);
    expect(after.busy).toBeGreaterThanOrEqual(before.busy);
    const percent = busyPercent(before, after);
    if (percent !== null) {
      expect(percent).toBeGreaterThanOrEqual(0);
      expect(percent).toBeLessThanOrEqual(100);
    }
  });
});

describe('host memory', () => {
  it('on Linux: in use (buffers and cache not counted) is a part of the whole', async () => {
    const memory = await createLinuxPlatform().hostMemory();
    expect(memory.totalBytes).toBe(totalmem());
    expect(memory.usedBytes).toBeGreaterThan(0);
    expect(memory.usedBytes).toBeLessThan(memory.totalBytes);
  });

  it('on Windows: what Node reads in-process (no powershell.exe per reading)', async () => {
    const platform = createWindowsPlatform();
    try {
      const memory = await platform.hostMemory();
      expect(memory.totalBytes).toBe(totalmem());
      expect(memory.usedBytes).toBeGreaterThan(0);
      expect(memory.usedBytes).toBeLessThanOrEqual(memory.totalBytes);
    } finally {
      platform.close();
    }
  });
});
