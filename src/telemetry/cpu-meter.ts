// CPU % from successive cumulative CPU times: 100 means one core busy for the interval.
// Keyed by pid and start token, so a reused pid never inherits another's history.
import type { ProcessInfo } from '../platform/platform.ts';

export class CpuMeter {
  private previous = new Map<string, { cpuTimeMs: number; at: number }>();

  /** Returns the CPU % of each process since its previous reading (null on first sight). */
  measure(processes: readonly ProcessInfo[], at: number): Map<number, number | null> {
    const next = new Map<string, { cpuTimeMs: number; at: number }>();
    const result = new Map<number, number | null>();
    for (const p of processes) {
      const key = `${p.pid}:${p.startToken}`;
      const before = this.previous.get(key);
      next.set(key, { cpuTimeMs: p.cpuTimeMs, at });
      if (!before || at <= before.at) {
        result.set(p.pid, null);
        continue;
      }
      result.set(p.pid, Math.max(0, ((p.cpuTimeMs - before.cpuTimeMs) / (at - before.at)) * 100));
    }
    this.previous = next;
    return result;
  }
}
