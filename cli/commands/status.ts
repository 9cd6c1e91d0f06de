// evident status: one reading of the fleet. Never loads Ink or React, never signals.
import { currentPlatform } from '../../src/platform/current-platform.ts';
import { checkStateDirReadable } from '../../src/state/prepare-state-dir.ts';
import { resolveStatePaths } from '../../src/paths/state-paths.ts';
import { currentLockHolder, type LockHolder } from '../../src/supervisor/fleet-lock.ts';
import { readFreshTelemetry, type TelemetryFile } from '../../src/supervisor/telemetry-file.ts';
import { readFleetStatus, type ServiceStatus } from '../../src/supervisor/fleet-status.ts';
import { reapedWhen, type UnreapedChild } from '../../src/supervisor/unreaped-children.ts';
import { EXIT, UsageError } from '../../src/errors/exit-codes.ts';
import { loadContractOrExit } from '../load-contract-or-exit.ts';
import { COMMON_OPTIONS, parseCommandArgs } from '../parse-command-args.ts';
import { bytesCell, healthCell, percentCell, pidCell, probeJson } from '../plain-cells.ts';
import { formatTable } from '../plain-table.ts';

export const statusHelp = `usage: evident status [--contract PATH] [--state-dir DIR] [--json]

One reading of every service: pid (checked against its recorded start time; the same
process whatever its command line says now), state, health probe (code and latency), CPU,
RSS summed over the process tree, uptime and restarts, and each running service's defunct
children (exited, not yet collected by their parent in the service: shown, never counted
as unhealthy). CPU is the live rate the process that controls the fleet (the background
supervisor, a console, a gate runner) measured at its last tick, with its recent history
in --json; when nothing samples the fleet, it is the average over each process's life,
marked "avg". Signals nothing and starts nothing.

  --contract PATH    the boot contract (default contracts/boot-contract.json)
  --state-dir DIR    pid files, logs and data (default ./state, or EVIDENT_STATE_DIR)
  --json             print one JSON object

exit: 0 every service running and healthy, 1 any service stopped or unhealthy, 2 bad input`;

export async function statusCommand(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs('status', argv, COMMON_OPTIONS, false);
  if (values.help) {
    console.log(statusHelp);
    return EXIT.ok;
  }
  const paths = resolveStatePaths(values['state-dir']);
  const problem = checkStateDirReadable(paths);
  if (problem) throw new UsageError(`evident: ${problem} (--state-dir or EVIDENT_STATE_DIR)`);
  const contract = await loadContractOrExit(values.contract, paths.root);
  const platform = currentPlatform();
  try {
    const holder = await currentLockHolder(platform, paths.root);
    const live = liveTelemetry(paths.root, holder);
    const services = await readFleetStatus(contract, paths, platform, live);
    const healthy = services.every((s) => s.state === 'running');
    if (values.json) {
      console.log(
        JSON.stringify({
          contract: { name: contract.name, version: contract.version, hash: contract.hash, path: contract.path },
          state_dir: paths.root,
          controlled_by: holder ? { pid: holder.pid, purpose: holder.purpose, since: holder.acquired_at } : null,
          sampled_at: live ? new Date(live.written_at).toISOString() : null,
          healthy,
          services: services.map(statusJson),
        }),
      );
    } else {
      console.log(`${contract.name} ${contract.version} (contract ${contract.hash.slice(0, 12)})  state ${paths.root}`);
      if (holder) console.log(`controlled by ${holder.purpose} (pid ${holder.pid}) since ${holder.acquired_at}`);
      console.log(formatTable(['SERVICE', 'PID', 'STATE', 'HEALTH', 'CPU', 'RSS', 'UPTIME', 'RESTARTS'], services.map(statusRow)));
      console.log(live && holder ? `CPU: live, as ${holder.purpose} (pid ${holder.pid}) sampled it ${Math.max(0, Date.now() - live.written_at)} ms ago` : 'CPU: average over each process\'s life (nothing samples the fleet now)');
      for (const s of services) if (s.note) console.log(`${s.name}: ${s.note}`);
      for (const s of services) for (const child of s.defunct) console.log(describeDefunctChild(child));
    }
    return healthy ? EXIT.ok : EXIT.checkFailed;
  } finally {
    platform.close();
  }
}

function statusJson(s: ServiceStatus) {
  return {
    name: s.name,
    port: s.port,
    state: s.state,
    pid: s.pid,
    pids: s.pids,
    uptime_s: s.uptimeS,
    rss_bytes: s.rssBytes,
    cpu_percent: s.cpuPercent === null ? null : Number(s.cpuPercent.toFixed(2)),
    cpu_history: s.cpuHistory.map((v) => Number(v.toFixed(2))),
    cpu_avg_percent: s.cpuAvgPercent === null ? null : Number(s.cpuAvgPercent.toFixed(2)),
    restarts: s.restarts,
    health: probeJson(s.probe),
    note: s.note,
    defunct_children: s.defunct.map((c) => ({ pid: c.pid, ppid: c.ppid, command: c.command, reaped_when: reapedWhen(c) })),
  };
}

/** `api: defunct child pid 4312 (ppid 4300, command unknown): reaped when api (pid 4300) waits for it or exits` */
function describeDefunctChild(child: UnreapedChild): string {
  return `${child.service}: defunct child pid ${child.pid} (ppid ${child.ppid}, ${child.command ?? 'command unknown'}): ${reapedWhen(child)}`;
}

function statusRow(s: ServiceStatus): string[] {
  return [
    s.name,
    pidCell(s.pid),
    s.state,
    healthCell(s.probe),
    s.cpuPercent !== null ? percentCell(s.cpuPercent) : s.cpuAvgPercent !== null ? `${percentCell(s.cpuAvgPercent)} avg` : '-',
    bytesCell(s.rssBytes),
    s.uptimeS === null ? '-' : formatUptime(s.uptimeS),
    String(s.restarts),
  ];
}

/** The controller's last tick, when the lock's holder wrote it and it is at most three ticks old. */
function liveTelemetry(stateRoot: string, holder: LockHolder | null): TelemetryFile | null {
  if (holder === null) return null;
  const now = Date.now();
  const file = readFreshTelemetry(stateRoot, now, 60_000);
  if (file === null || file.writer.pid !== holder.pid || file.writer.start_token !== holder.start_token) return null;
  return now - file.written_at <= Math.max(3000, 3 * file.interval_ms) ? file : null;
}

function formatUptime(seconds: number): string {
  if (seconds < 60) return `${seconds}s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m${String(seconds % 60).padStart(2, '0')}s`;
  return `${Math.floor(seconds / 3600)}h${String(Math.floor((seconds % 3600) / 60)).padStart(2, '0')}m`;
}
