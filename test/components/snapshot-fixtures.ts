// Snapshots for view tests: the six services of the demo contract, running.
import type { FleetSnapshot, ServiceSnapshot } from '../../src/telemetry/fleet-snapshot.ts';

export const NOW = Date.UTC(2025, 0, 1, 12, 0, 0);

export const SERVICE_NAMES = ['memory-engine', 'model-router', 'openclaw', 'pipecat', 'eva-os', 'api-gateway'] as const;

const MB = 1024 * 1024;

export function runningService(name: string, index: number, overrides: Partial<ServiceSnapshot> = {}): ServiceSnapshot {
  const pid = 4100 + index * 10;
  return {
    name,
    port: 7010 + index * 10,
    state: 'running',
    pid,
    startedAt: NOW - (3_725_000 + index * 60_000),
    restarts: index,
    cpuPercent: 1.5 + index,
    rssBytes: (40 + index) * MB,
    probe: { ok: true, code: 200, latencyMs: 3 + index, detail: '200 OK', at: NOW - 1000 },
    tree: [
      { pid, ppid: 1000, command: `node ${name}.ts`, cpuPercent: 1.5 + index, rssBytes: (30 + index) * MB, state: 'S' },
      { pid: pid + 1, ppid: pid, command: `node ${name}-worker.js`, cpuPercent: 0.2, rssBytes: 10 * MB, state: 'S' },
    ],
    cpuHistory: Array.from({ length: 60 }, (_, i) => (i * (index + 1)) % 9),
    rssHistory: Array.from({ length: 60 }, (_, i) => (40 + (i % 5)) * MB),
    latencyHistory: Array.from({ length: 60 }, () => 3),
    lastError: null,
    portHolder: null,
    ...overrides,
  };
}

export function fleetSnapshot(overrides: Partial<FleetSnapshot> = {}): FleetSnapshot {
  return {
    contract: { name: 'evident demo fleet', version: '1.0.0', hash: 'sha256:3f9a1c2b7d4e5f60718293a4b5c6d7e8f9', path: 'contracts/boot-contract.json' },
    services: SERVICE_NAMES.map((name, i) => runningService(name, i)),
    host: { cpuPercent: 12.3, memUsedBytes: 7.8 * 1024 * MB, memTotalBytes: 16 * 1024 * MB, selfCpuPercent: 1.2, selfRssBytes: 80.1 * MB },
    at: NOW,
    skippedTicks: 0,
    activity: null,
    leftovers: [],
    leftoversCheckedAt: null,
    log: null,
    ...overrides,
  };
}

/** A copy of `snapshot` with one service changed. */
export function withService(snapshot: FleetSnapshot, name: string, change: Partial<ServiceSnapshot>): FleetSnapshot {
  return { ...snapshot, services: snapshot.services.map((s) => (s.name === name ? { ...s, ...change } : s)) };
}
