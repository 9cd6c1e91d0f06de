// CPU % and RSS of a set of processes over a window, from /proc/<pid>/stat utime+stime
// deltas (and cutime+cstime: children the process waited for) and VmRSS, sampled every
// second so the window can also be summarised as per-interval medians.
import { readCpuTicks, readRssBytes, sleep, TICKS_PER_SECOND, type CpuTicks } from './processes.ts';
import { summarize, type Summary } from './stats.ts';

export interface CpuWindow {
  /** CPU of the process itself over the whole window, in % of one core. */
  cpuPercent: number;
  /** CPU of waited-for children (exec probes and the like) over the window, % of one core. */
  childrenCpuPercent: number;
  /** The same, per sub-window (e.g. six 10 s windows in a 60 s run). */
  perWindow: Summary;
  rss: Summary;
  seconds: number;
}

/**
 * Samples `pid` every second for `seconds` after `warmupS` seconds. `subWindowS` splits
 * the run into windows whose CPU % are summarised (median, min, max).
 */
export async function sampleProcess(pid: number, options: { warmupS: number; seconds: number; subWindowS: number; label: string }): Promise<CpuWindow> {
  await sleep(options.warmupS * 1000);
  const first = readCpuTicks(pid);
  if (!first) throw new Error(`${options.label}: pid ${pid} ended during warm-up`);
  const t0 = performance.now();
  const rss: number[] = [];
  const windows: number[] = [];
  let windowStart: { ticks: CpuTicks; at: number } = { ticks: first, at: t0 };
  let last: CpuTicks = first;
  for (let s = 1; s <= options.seconds; s++) {
    // Sleep to the second boundary of the run, not 1000 ms after the last read.
    await sleep(Math.max(0, t0 + s * 1000 - performance.now()));
    const ticks = readCpuTicks(pid);
    const bytes = readRssBytes(pid);
    if (!ticks || bytes === null) throw new Error(`${options.label}: pid ${pid} ended during the measurement`);
    last = ticks;
    rss.push(bytes);
    if (s % options.subWindowS === 0) {
      const now = performance.now();
      windows.push(percentOfCore(ticks.self - windowStart.ticks.self, now - windowStart.at));
      windowStart = { ticks, at: now };
    }
  }
  const elapsed = performance.now() - t0;
  return {
    cpuPercent: percentOfCore(last.self - first.self, elapsed),
    childrenCpuPercent: percentOfCore(last.children - first.children, elapsed),
    perWindow: summarize(windows),
    rss: summarize(rss),
    seconds: elapsed / 1000,
  };
}

export function percentOfCore(ticks: number, elapsedMs: number): number {
  return ((ticks / TICKS_PER_SECOND) * 1000 * 100) / elapsedMs;
}
