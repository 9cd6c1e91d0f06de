// CPU % from successive cumulative CPU times: 100 means one core busy for the interval.
// /proc counts CPU time in 10 ms ticks, so over a single 1 s interval a figure moves in
// 1 % steps and flickers between 0 % and 1 %; like top's 3 s, the figure covers the last
// few readings (WINDOW), so it is steadier and finer while a spike still shows at once.
// Keyed by pid and start token, so a reused pid never inherits another's history.
import type { ProcessInfo } from '../platform/platform.ts';

interface Reading {
  cpuTimeMs: number;
  at: number;
}

export class CpuMeter {
  private history = new Map<string, Reading[]>();
  private readonly window: number;

  /** `window`: how many earlier readings a figure may reach back over (1 = since the last one). */
  constructor(window = 3) {
    this.window = Math.max(1, window);
  }

  /** Returns the CPU % of each process over its recent readings (null on first sight). */
  measure(processes: readonly ProcessInfo[], at: number): Map<number, number | null> {
    const next = new Map<string, Reading[]>();
    const result = new Map<number, number | null>();
    for (const p of processes) {
      const key = `${p.pid}:${p.startToken}`;
      const earlier = (this.history.get(key) ?? []).filter((r) => r.at < at);
      next.set(key, [...earlier, { cpuTimeMs: p.cpuTimeMs, at }].slice(-(this.window + 1)));
      const oldest = earlier.at(-this.window) ?? earlier[0];
      if (!oldest) {
        result.set(p.pid, null);
        continue;
      }
      result.set(p.pid, Math.max(0, ((p.cpuTimeMs - oldest.cpuTimeMs) / (at - oldest.at)) * 100));
    }
    this.history = next;
    return result;
  }
}
