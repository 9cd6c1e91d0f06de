// A hand-built process table row for the pure judges' tests: only what a test names differs.
import type { ProcessInfo } from '../../src/platform/platform.ts';

export function processInfo(pid: number, ppid: number, extra: Partial<ProcessInfo> = {}): ProcessInfo {
  return {
    pid,
    ppid,
    pgid: pid,
    sid: pid,
    state: 'S',
    startToken: `boot:${pid}00`,
    startedAtMs: 1_700_000_000_000,
    argv: [`proc-${pid}`],
    cpuTimeMs: 0,
    rssBytes: 0,
    ...extra,
  };
}
