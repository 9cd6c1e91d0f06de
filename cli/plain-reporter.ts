// The console without a terminal: the same supervisor, reported as plain lines. Runs
// until SIGINT or SIGTERM, then leaves the fleet running for the next console.
import type { FleetSupervisor } from '../src/supervisor/fleet-supervisor.ts';
import type { ServiceSnapshot } from '../src/telemetry/fleet-snapshot.ts';
import { bytesCell, healthCell, percentCell, pidCell, probeJson } from './plain-cells.ts';
import { EXIT } from '../src/errors/exit-codes.ts';
import { formatTable } from './plain-table.ts';

const TABLE_EVERY_MS = 10_000;

/** Runs until `leave` resolves (a signal, listened for since before the fleet was taken: leave-signals.ts). */
export async function runPlainReporter(supervisor: FleetSupervisor, options: { intervalMs: number; up: boolean; json: boolean; leave: Promise<unknown> }): Promise<number> {
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
  await options.leave;
  clearInterval(timer);
  supervisor.stopTelemetry();
  await supervisor.releaseOutput();
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
    health: probeJson(s.probe),
    restarts: s.restarts,
    error: s.lastError,
  };
}

function row(s: ServiceSnapshot): string[] {
  return [
    s.name,
    pidCell(s.pid),
    s.state,
    healthCell(s.probe),
    percentCell(s.cpuPercent),
    bytesCell(s.rssBytes),
  ];
}
