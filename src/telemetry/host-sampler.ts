// Host CPU and memory, and the console's own CPU and RSS. Both host figures come from the
// platform (platform.ts): memory every few ticks, as it changes slowly; CPU as the busy
// share between two readings of the kernel's counters (not si.currentLoad(), which on
// Linux runs `cat /proc/stat | grep cpu` through a shell with execSync on every call — a
// process spawn per sample that also blocks the event loop).
import type { HostMemory, Platform } from '../platform/platform.ts';

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
  private readonly platform: Pick<Platform, 'hostCpuTimes' | 'hostMemory'>;
  private lastSelf = { usage: process.cpuUsage(), at: performance.now() };
  private lastHost: CpuTotals;
  private samples = 0;
  private mem: HostMemory | null = null;

  constructor(platform: Pick<Platform, 'hostCpuTimes' | 'hostMemory'>) {
    this.platform = platform;
    this.lastHost = platform.hostCpuTimes();
  }

  async sample(): Promise<HostReading> {
    if (this.samples++ % MEMORY_EVERY_SAMPLES === 0) this.mem = await this.platform.hostMemory().catch(() => this.mem);
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
      memUsedBytes: mem ? mem.usedBytes : null,
      memTotalBytes: mem ? mem.totalBytes : null,
      selfCpuPercent: elapsedMs > 0 ? (usedMs / elapsedMs) * 100 : null,
      selfRssBytes: process.memoryUsage.rss(),
    };
  }
}
