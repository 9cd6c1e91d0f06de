// The console without a terminal: the same supervisor, reported as plain lines. Runs
// until SIGINT or SIGTERM, then leaves the fleet running for the next console.
import type { FleetSupervisor } from '../supervisor/fleet-supervisor.ts';
import type { ServiceSnapshot } from '../telemetry/fleet-snapshot.ts';
import { healthCode } from './commands/status.ts';
import { EXIT } from './exit-codes.ts';
import { formatTable } from './plain-table.ts';

const TABLE_EVERY_MS = 10_000;

export async function runPlainReporter(supervisor: FleetSupervisor, options: { intervalMs: number; up: boolean; json: boolean }): Promise<number> {
  await supervisor.adopt();
  supervisor.startTelemetry(options.intervalMs);
  if (options.up) {
    await supervisor.startAll().catch((error: Error) => console.log(`fleet start failed: ${error.message}`));
  }
  const printTable = () => {
    const services = supervisor.getSnapshot().services;
    if (options.json) console.log(JSON.stringify({ type: 'status', at: new Date().toISOString(), services: services.map(statusJson) }));
    else console.log(formatTable(['SERVICE', 'PID', 'STATE', 'HEALTH', 'CPU', 'RSS'], services.map(row)));
  };
  printTable();
  const timer = setInterval(printTable, TABLE_EVERY_MS);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  clearInterval(timer);
  supervisor.stopTelemetry();
  const running = supervisor.runningServices();
  if (options.json) console.log(JSON.stringify({ type: 'closed', left_running: running }));
  else console.log(running.length > 0 ? `console closed; left running for the next console to adopt: ${running.join(', ')} (\`evident down\` stops them)` : 'console closed');
  return EXIT.ok;
}

function statusJson(s: ServiceSnapshot) {
  return {
    name: s.name,
    state: s.state,
    pid: s.pid,
    pids: s.tree.map((p) => p.pid),
    cpu_percent: s.cpuPercent === null ? null : Number(s.cpuPercent.toFixed(2)),
    rss_bytes: s.rssBytes,
    health: s.probe ? { ok: s.probe.ok, code: s.probe.code, latency_ms: s.probe.latencyMs, detail: s.probe.detail } : null,
    restarts: s.restarts,
    error: s.lastError,
  };
}

function row(s: ServiceSnapshot): string[] {
  return [
    s.name,
    s.pid === null ? '-' : String(s.pid),
    s.state,
    s.probe ? `${healthCode(s.probe.code, s.probe.ok)} ${s.probe.latencyMs}ms` : '-',
    s.cpuPercent === null ? '-' : `${s.cpuPercent.toFixed(1)}%`,
    s.rssBytes === null ? '-' : `${(s.rssBytes / 1024 / 1024).toFixed(1)} MB`,
  ];
}
