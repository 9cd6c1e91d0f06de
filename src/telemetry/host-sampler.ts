// Host CPU and memory, and the console's own CPU and RSS.
// Memory comes from systeminformation's memory module (it reads /proc/meminfo
// asynchronously; see systeminformation-memory.d.ts for why only that module), every
// few ticks: it changes slowly and each reading opens meminfo several times. CPU does
// not come from it: on Linux si.currentLoad() runs `cat /proc/stat | grep cpu` through a
// shell with execSync on every call — a process spawn per sample that also blocks the
// event loop, which is exactly what a 1 Hz console must not do. The platform reads the
// kernel's CPU counters instead; the percentage is the busy share between two samples.
import { mem as readMemory } from 'systeminformation/lib/memory.js';
import type { Platform } from '../platform/platform.ts';

const MEMORY_EVERY_SAMPLES = 5;

export interface HostReading {
  cpuPercent: number | null;
  memUsedBytes: number | null;
  memTotalBytes: number | null;
  selfCpuPercent: number | null;
  selfRssBytes: number;
}

interface CpuTotals {
  busy: number;
  total: number;
}

/** Busy share between two readings, in % of all cores (100 = every core busy). */
export function busyPercent(before: CpuTotals, after: CpuTotals): number | null {
  const total = after.total - before.total;
  return total > 0 ? ((after.busy - before.busy) / total) * 100 : null;
}

export class HostSampler {
  private readonly platform: Pick<Platform, 'hostCpuTimes'>;
  private lastSelf = { usage: process.cpuUsage(), at: performance.now() };
  private lastHost: CpuTotals;
  private samples = 0;
  private mem: { active: number; total: number } | null = null;

  constructor(platform: Pick<Platform, 'hostCpuTimes'>) {
    this.platform = platform;
    this.lastHost = platform.hostCpuTimes();
  }

  async sample(): Promise<HostReading> {
    if (this.samples++ % MEMORY_EVERY_SAMPLES === 0) this.mem = await readMemory().catch(() => this.mem);
    const mem = this.mem;
    const host = this.platform.hostCpuTimes();
    const hostPercent = busyPercent(this.lastHost, host);
    this.lastHost = host;
    const now = performance.now();
    const usage = process.cpuUsage();
    const elapsedMs = now - this.lastSelf.at;
    const usedMs = (usage.user - this.lastSelf.usage.user + usage.system - this.lastSelf.usage.system) / 1000;
    this.lastSelf = { usage, at: now };
    return {
      cpuPercent: hostPercent,
      // "active" excludes buffers and cache, which the kernel gives back on demand.
      memUsedBytes: mem ? mem.active : null,
      memTotalBytes: mem ? mem.total : null,
      selfCpuPercent: elapsedMs > 0 ? (usedMs / elapsedMs) * 100 : null,
      selfRssBytes: process.memoryUsage.rss(),
    };
  }
}
