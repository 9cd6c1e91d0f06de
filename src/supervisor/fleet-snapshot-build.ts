// What a view sees of the fleet: one FleetSnapshot, built from the fleet's state each
// time the fleet publishes a change.
import type { FleetSnapshot, ServiceSnapshot } from '../telemetry/fleet-snapshot.ts';
import type { FleetState } from './fleet-state.ts';

export function buildSnapshot(fleet: FleetState): FleetSnapshot {
  const { contract } = fleet.context;
  const services: ServiceSnapshot[] = [...fleet.runtimes.values()].map((r) => ({
    name: r.spec.name,
    port: r.spec.port,
    state: r.state,
    pid: r.record?.pid ?? null,
    startedAt: r.record ? Date.parse(r.record.started_at) : null,
    restarts: r.restarts,
    cpuPercent: r.cpuPercent,
    rssBytes: r.rssBytes,
    probe: r.probe,
    tree: r.tree,
    cpuHistory: r.cpuHistory,
    rssHistory: r.rssHistory,
    latencyHistory: r.latencyHistory,
    lastError: r.lastError,
    portHolder: r.portHolder,
  }));
  const h = fleet.hostReading;
  return {
    contract: { name: contract.name, version: contract.version, hash: contract.hash, path: contract.path },
    services,
    host: {
      cpuPercent: h?.cpuPercent ?? null,
      memUsedBytes: h?.memUsedBytes ?? null,
      memTotalBytes: h?.memTotalBytes ?? null,
      selfCpuPercent: h?.selfCpuPercent ?? null,
      selfRssBytes: h?.selfRssBytes ?? null,
    },
    at: Date.now(),
    skippedTicks: fleet.skippedTicks,
    activity: fleet.activity,
    leftovers: fleet.leftovers,
    leftoversCheckedAt: fleet.leftoversCheckedAt,
    log: fleet.watchedTail,
  };
}
