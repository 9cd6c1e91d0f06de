// One reading of the fleet for `evident status`: pid files checked against the live
// process table, each tree's RSS, CPU averaged over the process's life (a single
// reading cannot give a rate) and, where the process that controls the fleet shares its
// samples (telemetry-file.ts), the live rate and its recent history; one probe per
// running service, and each running service's defunct children (exited, not yet waited
// for by their parent). Signals nothing.
import type { Contract } from '../contract/contract.ts';
import type { Platform } from '../platform/platform.ts';
import { probeService } from '../probes/health-probe.ts';
import type { StatePaths } from '../paths/state-paths.ts';
import type { ProbeResult } from '../telemetry/fleet-snapshot.ts';
import { readPidFile } from './pid-file.ts';
import { checkIdentity } from './process-identity.ts';
import { descendantsOf } from './process-tree.ts';
import type { TelemetryFile } from './telemetry-file.ts';
import { unreapedChildren, type UnreapedChild } from './unreaped-children.ts';

export interface ServiceStatus {
  name: string;
  port: number;
  state: 'running' | 'unhealthy' | 'stopped' | 'stale';
  pid: number | null;
  pids: number[];
  uptimeS: number | null;
  rssBytes: number | null;
  cpuAvgPercent: number | null;
  /** The rate at the controller's last tick, null when nothing samples the fleet (or not this process). */
  cpuPercent: number | null;
  /** The controller's recent readings, oldest first. */
  cpuHistory: number[];
  restarts: number;
  probe: ProbeResult | null;
  /** Why a pid file was not trusted. */
  note: string | null;
  /** Processes of its tree that have exited and wait for their parent to collect them. */
  defunct: UnreapedChild[];
}

export async function readFleetStatus(contract: Contract, paths: StatePaths, platform: Platform, live: TelemetryFile | null = null): Promise<ServiceStatus[]> {
  const table = await platform.listProcesses();
  const now = Date.now();
  const statuses = contract.services.map((service): ServiceStatus => {
    const base: ServiceStatus = { name: service.name, port: service.port, state: 'stopped', pid: null, pids: [], uptimeS: null, rssBytes: null, cpuAvgPercent: null, cpuPercent: null, cpuHistory: [], restarts: 0, probe: null, note: null, defunct: [] };
    const read = readPidFile(paths.pids, service.name);
    if (read.kind === 'missing') return base;
    if (read.kind === 'corrupt') return { ...base, state: 'stale', note: `pid file unreadable: ${read.reason}` };
    const record = read.record;
    const root = table.find((p) => p.pid === record.pid) ?? null;
    const identity = checkIdentity(record, root);
    if (!identity.same || !root) return { ...base, state: 'stale', pid: record.pid, restarts: record.restarts, note: identity.same ? null : identity.reason };
    const members = [root, ...descendantsOf(root.pid, table)];
    const uptimeMs = Math.max(1, now - root.startedAtMs);
    // Only readings of this very process: a service restarted since the last tick has none yet.
    const sampled = live?.services[service.name];
    const current = sampled !== undefined && sampled.pid === root.pid ? sampled : null;
    return {
      ...base,
      state: 'running',
      pid: root.pid,
      pids: members.map((m) => m.pid),
      uptimeS: Math.round(uptimeMs / 1000),
      rssBytes: members.reduce((sum, m) => sum + m.rssBytes, 0),
      cpuAvgPercent: (members.reduce((sum, m) => sum + m.cpuTimeMs, 0) / uptimeMs) * 100,
      cpuPercent: current?.cpu_percent ?? null,
      cpuHistory: current?.cpu_history ?? [],
      restarts: record.restarts,
      defunct: unreapedChildren(table, [{ service: service.name, pid: root.pid }]),
    };
  });
  const probe = async (status: ServiceStatus, index: number) => {
    const service = contract.services[index];
    if (!service || status.state !== 'running') return;
    status.probe = await probeService(service);
    if (!status.probe.ok) status.state = 'unhealthy';
  };
  // Exec probes are started first: spawning blocks this event loop for a moment, which
  // would inflate the latency of a socket probe already in flight. All run together.
  const isExec = (index: number) => contract.services[index]?.health.kind === 'exec';
  const execs = statuses.map((s, i) => (isExec(i) ? probe(s, i) : null));
  const sockets = statuses.map((s, i) => (isExec(i) ? null : probe(s, i)));
  await Promise.all([...execs, ...sockets]);
  return statuses;
}
