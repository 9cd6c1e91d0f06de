// Everything evident needs from the operating system, as one interface. Each platform
// difference (process table, signals, listeners, spawn flags) lives behind it, so the
// Windows behaviour is one file to read (windows.ts) and so is Linux's (linux.ts).
import type { ServiceCgroups } from './service-cgroups.ts';

export interface ProcessInfo {
  pid: number;
  ppid: number;
  /** Process group (POSIX); null where the OS has none. */
  pgid: number | null;
  /** Session (POSIX: the session leader's pid); null where the OS has none. */
  sid: number | null;
  /** One letter as the OS reports it: R running, S sleeping, Z defunct, … ('?' unknown). */
  state: string;
  /**
   * An opaque token that identifies this process for its whole life and never repeats
   * for another process with the same pid (boot id + start ticks on Linux, creation
   * time on Windows). The pid file records it; a mismatch means the pid was reused.
   */
  startToken: string;
  /** Wall-clock start, epoch ms (for uptime; not for identity). */
  startedAtMs: number;
  /** The command line as the OS reports it (empty for defunct processes). */
  argv: string[];
  /** User + system CPU time consumed so far, in ms. */
  cpuTimeMs: number;
  rssBytes: number;
}

export interface PortListener {
  port: number;
  /** The process holding the socket, or null when it cannot be seen (another user's). */
  pid: number | null;
}

export interface HostMemory {
  usedBytes: number;
  totalBytes: number;
}

/** What a service is started with: its command (no shell), where, with what, printing where. */
export interface LaunchRequest {
  command: string;
  args: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** stdout and stderr: one open descriptor (its FIFO or its log file) and the log file's path. */
  output: { fd: number; logPath: string };
  /** The service's cgroup or job object (ServiceCgroups.create), or null where there is none. */
  container: string | null;
}

export interface Launched {
  pid: number;
  /** Resolves with the exit code and signal if the process ends while this process watches it. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** True when it was born in `container` (Windows: in its job before its first instruction); false: the caller moves it in. */
  inContainer: boolean;
}

/** A service that could not be started: `code` is the OS's (ENOENT: no such program; EACCES: not runnable). */
export class LaunchError extends Error {
  readonly code: string | null;
  constructor(message: string, code: string | null) {
    super(message);
    this.code = code;
  }
}

/** A command this platform would run to act on processes (Windows: taskkill). */
export interface PlannedCommand {
  command: string;
  args: string[];
}

/** Where one signal went: the process group it was sent to (POSIX), and each pid sent it alone. */
export interface SignalDelivery {
  group: number | null;
  pids: number[];
  /**
   * Each target the request could not be made to, and why (POSIX: EPERM; Windows: the
   * CTRL_BREAK could not be sent). A target already gone is not here: that is no failure.
   */
  undelivered: { pid: number; reason: string }[];
}

export interface Platform {
  readonly name: 'linux' | 'windows';
  /**
   * Starts a service's process so that it outlives this one and can be stopped as a
   * whole: POSIX, Node's spawn in a session of its own (node-launch.ts); Windows, the
   * sampler's launcher, with a hidden console of its own and in its job object.
   */
  launchService(request: LaunchRequest): Promise<Launched>;
  /**
   * Where a service's stdout and stderr go. 'fifo': a named pipe in the logs folder that
   * the fleet's controller reads, masks and writes into bounded logs (POSIX). 'file': the
   * log file itself, opened for append, rotated by the telemetry tick (Windows, which has
   * no named pipes in the file system).
   */
  readonly serviceOutput: 'fifo' | 'file';
  /** Every process visible to us. */
  listProcesses(): Promise<ProcessInfo[]>;
  /**
   * These processes (those that exist) and everything below them, as cheaply as the
   * platform allows: what a sample between full scans needs to see a new child at once.
   */
  listWithChildren(pids: readonly number[]): Promise<ProcessInfo[]>;
  /** One process, or null if it does not exist. */
  readProcess(pid: number): Promise<ProcessInfo | null>;
  /** Those of `pids` that exist, read at once (Windows: one table for all, where readProcess would read one each). */
  readProcesses(pids: readonly number[]): Promise<ProcessInfo[]>;
  /**
   * The value of `name` in a process's environment, where the OS lets us read it
   * (Linux: our own user's processes). Used to recognise descendants that escaped.
   */
  readEnvironmentVariable(pid: number, name: string): Promise<string | null>;
  /** Listening TCP sockets on any of `ports`, with their holders where visible. */
  listeners(ports: number[]): Promise<PortListener[]>;
  /**
   * Ask a service to stop with `signal` (default SIGTERM), once per process: to the group
   * the service's own process (`root`) leads, or to `root` alone when it leads none; then
   * to each member outside that group. Windows has no signals: CTRL_BREAK, whatever
   * `signal` names.
   */
  requestStop(root: ProcessInfo | null, members: ProcessInfo[], signal?: NodeJS.Signals): Promise<SignalDelivery>;
  /** Why this platform cannot send a service its reload signal; null where it can. */
  readonly reloadRefusal: string | null;
  /** Sends `signal` once: to the group `root` leads, or to `root` alone. Throws where reloadRefusal is set. */
  sendSignal(root: ProcessInfo, signal: NodeJS.Signals): Promise<SignalDelivery>;
  /** Kill without asking: the whole tree of `root` and every pid given. */
  forceKill(root: ProcessInfo | null, members: ProcessInfo[]): Promise<void>;
  /** The host's cumulative CPU time, busy and in all, over every core (any unit). */
  hostCpuTimes(): { busy: number; total: number };
  /** The host's memory in use (buffers and cache not counted) and in all; rejects when it cannot be read. */
  hostMemory(): Promise<HostMemory>;
  /** A cgroup of its own for each service, where the host gives one (service-cgroups.ts). */
  readonly cgroups: ServiceCgroups;
  /** Release long-lived helpers (the Windows sampler). */
  close(): void;
}
