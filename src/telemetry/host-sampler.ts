// Host CPU and memory, and the console's own CPU and RSS.
// Memory comes from systeminformation (it reads /proc/meminfo asynchronously). CPU does
// not: on Linux si.currentLoad() runs `cat /proc/stat | grep cpu` through a shell with
// execSync on every call — a process spawn per sample that also blocks the event loop,
// which is exactly what a 1 Hz console must not do. os.cpus() gives the same counters
// without a spawn; the percentage is the busy share of the time between two samples.
import { cpus } from 'node:os';
import si from 'systeminformation';

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

export function cpuTotals(): CpuTotals {
  let busy = 0;
  let total = 0;
  for (const cpu of cpus()) {
    const t = cpu.times;
    busy += t.user + t.nice + t.sys + t.irq;
    total += t.user + t.nice + t.sys + t.irq + t.idle;
  }
  return { busy, total };
}

/** Busy share between two readings, in % of all cores (100 = every core busy). */
export function busyPercent(before: CpuTotals, after: CpuTotals): number | null {
  const total = after.total - before.total;
  return total > 0 ? ((after.busy - before.busy) / total) * 100 : null;
}

export class HostSampler {
  private lastSelf = { usage: process.cpuUsage(), at: performance.now() };
  private lastHost = cpuTotals();

  async sample(): Promise<HostReading> {
    const mem = await si.mem().catch(() => null);
    const host = cpuTotals();
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
