// Host CPU and memory via systeminformation, and the console's own CPU and RSS.
import si from 'systeminformation';

export interface HostReading {
  cpuPercent: number | null;
  memUsedBytes: number | null;
  memTotalBytes: number | null;
  selfCpuPercent: number | null;
  selfRssBytes: number;
}

export class HostSampler {
  private lastSelf = { usage: process.cpuUsage(), at: performance.now() };

  async sample(): Promise<HostReading> {
    const [load, mem] = await Promise.all([si.currentLoad().catch(() => null), si.mem().catch(() => null)]);
    const now = performance.now();
    const usage = process.cpuUsage();
    const elapsedMs = now - this.lastSelf.at;
    const usedMs = (usage.user - this.lastSelf.usage.user + usage.system - this.lastSelf.usage.system) / 1000;
    this.lastSelf = { usage, at: now };
    return {
      cpuPercent: load ? load.currentLoad : null,
      // "active" excludes buffers and cache, which the kernel gives back on demand.
      memUsedBytes: mem ? mem.active : null,
      memTotalBytes: mem ? mem.total : null,
      selfCpuPercent: elapsedMs > 0 ? (usedMs / elapsedMs) * 100 : null,
      selfRssBytes: process.memoryUsage.rss(),
    };
  }
}
