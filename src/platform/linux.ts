// Linux: the process table, identities and listeners come straight from /proc (no
// process is spawned to sample), and stopping uses POSIX signals on process groups.
import { readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createLinuxCgroups } from './linux-cgroups.ts';
import { launchWithNode } from './node-launch.ts';
import { mem as readMemory } from 'systeminformation/lib/memory.js';
import type { Platform, PortListener, ProcessInfo, SignalDelivery } from './platform.ts';
import { noServiceCgroups } from './service-cgroups.ts';

export const CGROUPS_OFF = 'switched off by EVIDENT_CGROUPS=off';
/** USER_HZ: the unit of /proc times; fixed at 100 by the kernel's user-space ABI. */
const TICKS_PER_SECOND = 100;
/** How old a process must be before its command line is cached. */
const ARGV_SETTLE_MS = 2000;

export interface LinuxPlatformOptions {
  /** False: no service cgroups (EVIDENT_CGROUPS=off, read in current-platform.ts). */
  cgroups?: boolean;
}

export function createLinuxPlatform(procRoot = '/proc', options: LinuxPlatformOptions = {}): Platform {
  const bootId = readText(`${procRoot}/sys/kernel/random/boot_id`)?.trim() ?? 'unknown-boot';
  const bootTimeMs = readBootTimeMs(procRoot);
  const pageSize = readPageSize(procRoot);
  // argv almost never changes for a given process: read it once per (pid, start).
  const argvCache = new Map<number, { token: string; argv: string[] }>();

  function statOf(pid: number): ProcessInfo | null {
    const text = readText(`${procRoot}/${pid}/stat`);
    if (text === null) return null;
    const parsed = parseStat(text, { bootId, bootTimeMs, pageSize });
    if (parsed === null) return null;
    const cached = argvCache.get(pid);
    if (cached && cached.token === parsed.startToken) {
      parsed.argv = cached.argv;
    } else {
      parsed.argv = parseCmdline(readText(`${procRoot}/${pid}/cmdline`) ?? '');
      // A process caught between fork and exec still shows its parent's argv (with the
      // same start time): only cache what a settled process shows — not defunct, and old
      // enough to have exec'd (kernel threads settle on an empty command line). Identity
      // checks never use the cache.
      const settled = Date.now() - parsed.startedAtMs > ARGV_SETTLE_MS;
      if (settled && parsed.state !== 'Z') argvCache.set(pid, { token: parsed.startToken, argv: parsed.argv });
    }
    return parsed;
  }

  return {
    name: 'linux',
    launchService: launchWithNode,
    serviceOutput: 'fifo',
    cgroups: options.cgroups === false ? noServiceCgroups(CGROUPS_OFF) : createLinuxCgroups(procRoot),

    async listProcesses() {
      const seen = new Set<number>();
      const table: ProcessInfo[] = [];
      for (const entry of readdirSync(procRoot)) {
        const pid = Number(entry);
        if (!Number.isInteger(pid) || pid <= 0) continue;
        seen.add(pid);
        const info = statOf(pid);
        if (info) table.push(info);
      }
      for (const pid of argvCache.keys()) if (!seen.has(pid)) argvCache.delete(pid);
      return table;
    },

    // Each process's children from /proc/<pid>/task/<pid>/children: those its main
    // thread forked (where Node, Python, shells and nginx fork). A child forked by another
    // thread waits for the next full scan.
    async listWithChildren(pids) {
      const found = new Map<number, ProcessInfo>();
      const queue = [...new Set(pids)];
      while (queue.length > 0) {
        const pid = queue.shift() as number;
        if (found.has(pid)) continue;
        const info = statOf(pid);
        if (!info) continue;
        found.set(pid, info);
        for (const child of parseChildren(readText(`${procRoot}/${pid}/task/${pid}/children`) ?? '')) if (!found.has(child)) queue.push(child);
      }
      return [...found.values()];
    },

    async readProcesses(pids) {
      const read = await Promise.all(pids.map((pid) => this.readProcess(pid)));
      return read.filter((p): p is ProcessInfo => p !== null);
    },

    async readProcess(pid) {
      if (!Number.isInteger(pid) || pid <= 0) return null;
      // Re-read argv: identity checks before a signal must not trust a cache.
      argvCache.delete(pid);
      return statOf(pid);
    },

    async readEnvironmentVariable(pid, name) {
      let text: string;
      try {
        text = await readFile(`${procRoot}/${pid}/environ`, 'utf8');
      } catch {
        return null;
      }
      const prefix = `${name}=`;
      for (const entry of text.split('\0')) if (entry.startsWith(prefix)) return entry.slice(prefix.length);
      return null;
    },

    async listeners(ports) {
      const wanted = new Set(ports);
      const inodes = new Map<string, number>();
      for (const table of ['tcp', 'tcp6']) {
        for (const socket of parseTcpTable(readText(`${procRoot}/net/${table}`) ?? '')) {
          if (socket.listening && wanted.has(socket.port)) inodes.set(socket.inode, socket.port);
        }
      }
      if (inodes.size === 0) return [];
      const holders = findSocketHolders(procRoot, new Set(inodes.keys()));
      const result: PortListener[] = [];
      const reported = new Set<string>();
      for (const [inode, port] of inodes) {
        const pids = holders.get(inode) ?? [];
        if (pids.length === 0) pids.push(-1);
        for (const pid of pids) {
          const key = `${port}:${pid}`;
          if (reported.has(key)) continue;
          reported.add(key);
          result.push({ port, pid: pid === -1 ? null : pid });
        }
      }
      return result.sort((a, b) => a.port - b.port || (a.pid ?? 0) - (b.pid ?? 0));
    },

    async requestStop(root, members, signal = 'SIGTERM') {
      // The service leads its own group (it was spawned detached, so setsid): one signal to
      // the group reaches it and everything still in it, once. Members that left the group
      // get theirs one by one. No process is sent the signal twice: many programs read a
      // second SIGTERM (or SIGINT) as "exit now, skip the clean shutdown".
      const delivery: SignalDelivery = root ? signalOnce(root, signal) : { group: null, pids: [], undelivered: [] };
      for (const member of members) {
        if (delivery.group !== null && member.pgid === delivery.group) continue;
        if (delivery.pids.includes(member.pid)) continue;
        const refused = sendSignal(member.pid, signal);
        if (refused === null) delivery.pids.push(member.pid);
        else delivery.undelivered.push({ pid: member.pid, reason: refused });
      }
      return delivery;
    },

    reloadRefusal: null,

    async sendSignal(root, signal) {
      return signalOnce(root, signal);
    },

    async forceKill(root, members) {
      // A second SIGKILL changes nothing; each member is killed by pid too, in case it
      // moved to another group between the reading and the kill.
      if (root) signalOnce(root, 'SIGKILL');
      for (const member of members) sendSignal(member.pid, 'SIGKILL');
    },

    // The first line of /proc/stat: one small read instead of os.cpus(), which also reads
    // /proc/cpuinfo and the cpufreq files every time.
    hostCpuTimes() {
      const line = (readText(`${procRoot}/stat`) ?? '').split('\n', 1)[0] ?? '';
      return parseHostCpuLine(line);
    },

    // systeminformation's memory module reads /proc/meminfo asynchronously (see
    // systeminformation-memory.d.ts for why only that module); "active" excludes buffers
    // and cache, which the kernel gives back on demand.
    async hostMemory() {
      const mem = await readMemory();
      return { usedBytes: mem.active, totalBytes: mem.total };
    },

    close() {},
  };
}

/** `/proc/<pid>/task/<tid>/children`: child pids separated by spaces (empty, or absent on kernels without it). */
export function parseChildren(text: string): number[] {
  return text
    .split(/\s+/)
    .filter((part) => part !== '')
    .map(Number)
    .filter((pid) => Number.isInteger(pid) && pid > 0);
}

/** `cpu  user nice system idle iowait irq softirq steal …` in ticks. */
export function parseHostCpuLine(line: string): { busy: number; total: number } {
  const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = line
    .trim()
    .split(/\s+/)
    .slice(1)
    .map(Number);
  const busy = user + nice + system + irq + softirq + steal;
  return { busy, total: busy + idle + iowait };
}

/** One signal to the group `root` leads (which includes it), or to `root` alone when it leads none. */
function signalOnce(root: ProcessInfo, signal: NodeJS.Signals): SignalDelivery {
  const group = root.pgid === root.pid;
  const refused = sendSignal(group ? -root.pid : root.pid, signal);
  if (refused !== null) return { group: null, pids: [], undelivered: [{ pid: root.pid, reason: refused }] };
  return group ? { group: root.pid, pids: [], undelivered: [] } : { group: null, pids: [root.pid], undelivered: [] };
}

/** Sends `signal`; null when it was sent or the target is already gone (ESRCH), else why not. */
function sendSignal(target: number, signal: NodeJS.Signals): string | null {
  try {
    process.kill(target, signal);
    return null;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ESRCH') return null;
    return `${signal} to ${target < 0 ? `process group ${-target}` : `pid ${target}`} was refused (${code ?? (error as Error).message})`;
  }
}

function readText(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

interface StatContext {
  bootId: string;
  bootTimeMs: number;
  pageSize: number;
}

/** Parses /proc/<pid>/stat. The command name may hold spaces and parentheses. */
export function parseStat(text: string, context: StatContext): ProcessInfo | null {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) return null;
  const pid = Number(text.slice(0, open).trim());
  const fields = text.slice(close + 2).split(' ');
  // fields[0] is field 3 of proc(5) (state); field N is fields[N - 3].
  const field = (n: number) => fields[n - 3] ?? '';
  const startTicks = field(22);
  const cpuTicks = Number(field(14)) + Number(field(15));
  return {
    pid,
    ppid: Number(field(4)),
    pgid: Number(field(5)),
    sid: Number(field(6)),
    state: field(3) || '?',
    startToken: `${context.bootId}:${startTicks}`,
    startedAtMs: context.bootTimeMs + (Number(startTicks) * 1000) / TICKS_PER_SECOND,
    argv: [],
    cpuTimeMs: (cpuTicks * 1000) / TICKS_PER_SECOND,
    rssBytes: Number(field(24)) * context.pageSize,
  };
}

/**
 * argv from /proc/<pid>/cmdline. A process that renamed itself (nginx's `nginx: worker
 * process`) wrote its title over its old argv area and padded the rest with NULs or spaces;
 * that padding is dropped — trailing empty or blank entries, and the blanks after the last
 * word — while an empty argument between others is kept.
 */
export function parseCmdline(text: string): string[] {
  const parts = text.split('\0');
  while (parts.length > 0 && (parts.at(-1) ?? '').trim() === '') parts.pop();
  if (parts.length > 0) parts[parts.length - 1] = (parts.at(-1) ?? '').trimEnd();
  return parts;
}

interface TcpSocket {
  port: number;
  listening: boolean;
  inode: string;
}

/** Parses /proc/net/tcp{,6}: `sl local rem st tx:rx tr:when retrnsmt uid timeout inode`. */
export function parseTcpTable(text: string): TcpSocket[] {
  const sockets: TcpSocket[] = [];
  for (const line of text.split('\n').slice(1)) {
    const columns = line.trim().split(/\s+/);
    if (columns.length < 10) continue;
    const local = columns[1] ?? '';
    const port = Number.parseInt(local.slice(local.lastIndexOf(':') + 1), 16);
    sockets.push({ port, listening: columns[3] === '0A', inode: columns[9] ?? '' });
  }
  return sockets;
}

/** Which pids hold which socket inodes: walks /proc/<pid>/fd (only our user's are readable). */
function findSocketHolders(procRoot: string, inodes: Set<string>): Map<string, number[]> {
  const holders = new Map<string, number[]>();
  for (const entry of readdirSync(procRoot)) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid <= 0) continue;
    let fds: string[];
    try {
      fds = readdirSync(`${procRoot}/${pid}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      let target: string;
      try {
        target = readlinkSync(`${procRoot}/${pid}/fd/${fd}`);
      } catch {
        continue;
      }
      if (!target.startsWith('socket:[')) continue;
      const inode = target.slice(8, -1);
      if (!inodes.has(inode)) continue;
      const list = holders.get(inode) ?? [];
      if (!list.includes(pid)) list.push(pid);
      holders.set(inode, list);
    }
  }
  return holders;
}

function readBootTimeMs(procRoot: string): number {
  const line = (readText(`${procRoot}/stat`) ?? '').split('\n').find((l) => l.startsWith('btime '));
  return line ? Number(line.slice(6)) * 1000 : 0;
}

/** The page size from the aux vector (AT_PAGESZ = 6), so RSS is right on 16K/64K-page kernels. */
function readPageSize(procRoot: string): number {
  try {
    const auxv = readFileSync(`${procRoot}/self/auxv`);
    for (let offset = 0; offset + 16 <= auxv.length; offset += 16) {
      const type = auxv.readBigUInt64LE(offset);
      if (type === 6n) return Number(auxv.readBigUInt64LE(offset + 8));
      if (type === 0n) break;
    }
  } catch {
    // Fall through to the common size.
  }
  return 4096;
}
