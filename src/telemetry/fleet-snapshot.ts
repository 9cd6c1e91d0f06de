// The immutable picture of the fleet that views render. The supervisor and the
// telemetry sampler produce a new snapshot on every change or tick; views never mutate it.

export type ServiceState =
  | 'stopped'
  | 'starting'
  | 'running'
  | 'unhealthy'
  | 'stopping'
  | 'failed'
  | 'exited';

export interface ProbeResult {
  ok: boolean;
  /** HTTP status, process exit code, or null (tcp, timeout, refused). */
  code: number | null;
  latencyMs: number;
  /** One line saying what was seen: `200 OK`, `connection refused`, `timed out after 2000 ms`. */
  detail: string;
  /**
   * Set when the status or exit code was right but the body or output was not what the
   * contract expects (`expect_body`, `expect_json`, `expect_output`); `detail` says how.
   */
  mismatch?: 'body' | 'output';
  /** Epoch ms when the probe finished. */
  at: number;
}

export interface TreeProcess {
  pid: number;
  ppid: number;
  /** The command line, joined with spaces for display. */
  command: string;
  cpuPercent: number;
  rssBytes: number;
  /** Process state letter as the OS reports it (R, S, Z for defunct, …) or '?' where unknown. */
  state: string;
}

export interface ServiceSnapshot {
  name: string;
  port: number;
  state: ServiceState;
  pid: number | null;
  /** Epoch ms the current process started, or null when not running. */
  startedAt: number | null;
  restarts: number;
  /** CPU % summed over the whole process tree (100 = one core). */
  cpuPercent: number | null;
  /** Resident memory summed over the whole process tree. */
  rssBytes: number | null;
  probe: ProbeResult | null;
  tree: TreeProcess[];
  /** Oldest first, at most HISTORY_LENGTH points. */
  cpuHistory: number[];
  rssHistory: number[];
  latencyHistory: number[];
  /** The last thing that went wrong, one line (start failure, crash, kill). */
  lastError: string | null;
  /** Someone else listening on this service's port while it is not running. */
  portHolder: PortHolder | null;
}

export interface PortHolder {
  port: number;
  pid: number | null;
  command: string;
  /** True when the holder is a survivor of an earlier run of ours: then it may be reaped. */
  ours: boolean;
  /** What proved it ours; null when not ours. */
  proof: OwnershipProof | null;
}

/** Something left behind after a stop: a process that outlived its service, or a listener. */
export interface Leftover {
  kind: 'orphan' | 'defunct' | 'listener';
  service: string | null;
  pid: number | null;
  ppid: number | null;
  command: string;
  port: number | null;
  /** True when evident can prove the process is one of ours (and may reap it). */
  ours: boolean;
  /** What proved it ours (a defunct process: what proved its parent ours); null when not ours. */
  proof: OwnershipProof | null;
  /**
   * A defunct child of a running service: the service and the pid of its parent that has
   * to wait for it. Never reaped by evident (it does not end a running service's process
   * for it), so `ours` is false.
   */
  awaitedBy?: { service: string; pid: number };
  /** A process seen but not proven ours: when it started and why each proof failed (absent otherwise). */
  unproven?: UnprovenProcess;
}

/** What was seen of a process no proof holds for, and why none does (`no cgroup on this host: …`, `no fleet tag in its environment`). */
export interface UnprovenProcess {
  started_at: string;
  why: string[];
}

/**
 * Why evident holds a process to be its own (src/supervisor/ownership.ts decides):
 * `cgroup` — it is in the cgroup evident created for the service (v2 path); `recorded` — started or seen under a service, same pid and start time; `group` /
 * `session` — in the group or session evident created for the service, led by the
 * recorded process or with its leader gone and nothing foreign in it; `tag` — it carries
 * the fleet tag in its environment.
 */
export type OwnershipProof =
  | { kind: 'cgroup'; path: string }
  | { kind: 'recorded' }
  | { kind: 'group'; pgid: number; leader: 'recorded' | 'gone' }
  | { kind: 'session'; sid: number; leader: 'recorded' | 'gone' }
  | { kind: 'tag' };

export interface HostSnapshot {
  cpuPercent: number | null;
  memUsedBytes: number | null;
  memTotalBytes: number | null;
  /** The console's own process. */
  selfCpuPercent: number | null;
  selfRssBytes: number | null;
}

export interface FleetSnapshot {
  contract: { name: string; version: string; hash: string; path: string };
  services: ServiceSnapshot[];
  host: HostSnapshot;
  /** Epoch ms of the sample. */
  at: number;
  /** Ticks skipped because the previous sample had not finished. */
  skippedTicks: number;
  /** What the supervisor is doing right now, for the footer: `starting memory-engine`. */
  activity: string | null;
  /** Found by the last zombie/orphan check (after every stop); empty when clean. */
  leftovers: Leftover[];
  /** Epoch ms of the last zombie/orphan check, or null if none ran yet. */
  leftoversCheckedAt: number | null;
  /**
   * The tail of the log asked for with `watchLog`, oldest line first, as read at the last
   * tick (or at the `watchLog` call); null when no log is watched. Raw text: views sanitise.
   */
  log: LogTailSnapshot | null;
}

export interface LogTailSnapshot {
  service: string;
  lines: string[];
}

export const HISTORY_LENGTH = 60;
