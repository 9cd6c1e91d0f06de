// Reading processes and ports the way the benchmarks need: CPU ticks and RSS straight
// from /proc, ports by connecting, and a cleanup registry that runs on failure and on
// Ctrl-C so a benchmark never leaves a process behind.
import { readFileSync, readdirSync } from 'node:fs';
import { connect } from 'node:net';

/** USER_HZ: the unit of utime/stime in /proc/<pid>/stat (fixed at 100 on Linux). */
export const TICKS_PER_SECOND = 100;

export interface CpuTicks {
  /** utime + stime: the process itself. */
  self: number;
  /** cutime + cstime: children it has waited for (e.g. exec health probes). */
  children: number;
}

export function readCpuTicks(pid: number): CpuTicks | null {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 of proc(5); field N is fields[N - 3].
  const field = (n: number) => Number(fields[n - 3]);
  return { self: field(14) + field(15), children: field(16) + field(17) };
}

/** Resident set size in bytes (VmRSS), or null when the process is gone. */
export function readRssBytes(pid: number): number | null {
  try {
    const match = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : null;
  } catch {
    return null;
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  // A zombie still answers kill(0): it has ended, only its exit status is uncollected.
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

/** True while any live (non-zombie) process is in the process group. */
export function groupAlive(pgid: number): boolean {
  for (const pid of allPids()) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[2]) === pgid && fields[0] !== 'Z') return true;
    } catch {
      // gone meanwhile
    }
  }
  return false;
}

export function allPids(): number[] {
  return readdirSync('/proc')
    .map(Number)
    .filter((pid) => Number.isInteger(pid) && pid > 0);
}

/** Pids of live processes whose environment contains `NAME=value…` with the given prefix. */
export function pidsWithEnvPrefix(name: string, valuePrefix: string): number[] {
  const needle = `${name}=${valuePrefix}`;
  const found: number[] = [];
  for (const pid of allPids()) {
    if (pid === process.pid) continue;
    let environ: string;
    try {
      environ = readFileSync(`/proc/${pid}/environ`, 'utf8');
    } catch {
      continue;
    }
    if (environ.split('\0').some((entry) => entry.startsWith(needle)) && isAlive(pid)) found.push(pid);
  }
  return found;
}

export function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
  } catch {
    return '';
  }
}

/** Direct and indirect children of a pid, from the live process table. */
export function descendants(root: number): number[] {
  const parent = new Map<number, number>();
  for (const pid of allPids()) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      parent.set(pid, Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // gone meanwhile
    }
  }
  const result: number[] = [];
  const queue = [root];
  while (queue.length > 0) {
    const current = queue.shift() as number;
    for (const [pid, ppid] of parent) {
      if (ppid === current && !result.includes(pid)) {
        result.push(pid);
        queue.push(pid);
      }
    }
  }
  return result;
}

/** Resolves true when something accepts a TCP connection on 127.0.0.1:port. */
export function portOpen(port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    const finish = (open: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(open);
    };
    const timer = setTimeout(() => finish(false), timeoutMs);
    socket.once('connect', () => finish(true));
    socket.once('error', () => finish(false));
  });
}

export async function openPorts(ports: readonly number[]): Promise<number[]> {
  const open = await Promise.all(ports.map((p) => portOpen(p)));
  return ports.filter((_, i) => open[i]);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Polls `check` every `everyMs` until it returns true; false on timeout. */
export async function waitUntil(check: () => boolean | Promise<boolean>, timeoutMs: number, everyMs = 5): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    if (await check()) return true;
    if (performance.now() >= deadline) return false;
    await sleep(everyMs);
  }
}

export function killQuietly(target: number, signal: NodeJS.Signals = 'SIGKILL'): void {
  try {
    process.kill(target, signal);
  } catch {
    // already gone
  }
}

// ---- cleanup on failure and on signals -------------------------------------------

const cleanups: (() => Promise<void>)[] = [];
let signalsInstalled = false;

/** Registers a cleanup to run if the benchmark is interrupted; returns its remover. */
export function onInterrupt(cleanup: () => Promise<void>): () => void {
  cleanups.push(cleanup);
  if (!signalsInstalled) {
    signalsInstalled = true;
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
      process.once(signal, () => {
        console.error(`\nbench: ${signal}: stopping everything this benchmark started…`);
        void runAll().finally(() => process.exit(130));
      });
    }
  }
  return () => {
    const i = cleanups.indexOf(cleanup);
    if (i >= 0) cleanups.splice(i, 1);
  };
}

async function runAll(): Promise<void> {
  for (const cleanup of cleanups.splice(0).reverse()) {
    try {
      await cleanup();
    } catch (error) {
      console.error(`bench: cleanup failed: ${(error as Error).message}`);
    }
  }
}
