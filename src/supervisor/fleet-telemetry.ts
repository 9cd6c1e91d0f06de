// Telemetry: on a fixed tick, each service's process tree, CPU and RSS, the host, the
// due health probes, the watched log, the rotation of logs services write themselves
// (serviceOutput 'file'), and (now and then) who holds idle ports; then one snapshot. A tick still running when the next is due is skipped, never queued, so a
// slow machine shows older figures rather than falling further behind.
import type { ProcessInfo } from '../platform/platform.ts';
import { appendPoint } from '../telemetry/history.ts';
import { followOrExit } from './fleet-exit.ts';
import { syncFromPidFiles } from './fleet-follow.ts';
import { readWatchedLog } from './fleet-log-watch.ts';
import { refreshPortHolders } from './fleet-port-holders.ts';
import { maybeProbe } from './fleet-probe.ts';
import { blankRuntime, type FleetState, type Runtime } from './fleet-state.ts';
import { liveDescendants } from './live-descendants.ts';
import { writePidFile } from './pid-file.ts';
import { noteCommandChange } from './command-change.ts';
import { checkIdentity } from './process-identity.ts';
import { descendantsOf } from './process-tree.ts';
import { rotateIfLarge } from './service-log.ts';
import { TelemetryFileWriter, type TelemetryFile } from './telemetry-file.ts';
import { commandLineText } from '../platform/command-line-text.ts';

const PORT_CHECK_EVERY_TICKS = 5;
const FULL_SCAN_EVERY_TICKS = 3;
const LOG_ROTATE_EVERY_TICKS = 1;
/** How long a tick waits for its probes before publishing without the slow ones. */
const PROBE_WAIT_MS = 250;

/** Starts sampling every `intervalMs`. A tick still running when the next is due is skipped. */
export function startTelemetry(fleet: FleetState, intervalMs: number): void {
  if (fleet.tickTimer) return;
  fleet.intervalMs = intervalMs;
  void tick(fleet);
  fleet.tickTimer = setInterval(() => void tick(fleet), intervalMs);
}

export function stopTelemetry(fleet: FleetState): void {
  if (fleet.tickTimer) clearInterval(fleet.tickTimer);
  fleet.tickTimer = null;
  fleet.telemetryFile?.close();
  fleet.telemetryFile = null;
}

/** One sample of every service. */
export async function tick(fleet: FleetState): Promise<void> {
  if (fleet.tickInFlight) {
    fleet.skippedTicks++;
    return;
  }
  fleet.tickInFlight = true;
  let finished: () => void = () => {};
  fleet.tickDone = new Promise((resolve) => (finished = resolve));
  try {
    if (fleet.followingFleet) await syncFromPidFiles(fleet);
    fleet.tickCount++;
    const at = Date.now();
    const [table, host] = await Promise.all([readTable(fleet), fleet.host.sample()]);
    fleet.hostReading = host;
    const tracked: ProcessInfo[] = [];
    for (const runtime of fleet.runtimes.values()) tracked.push(...(await sampleService(fleet, runtime, table)));
    const cpu = fleet.cpu.measure(tracked, at);
    for (const runtime of fleet.runtimes.values()) applyCpu(runtime, cpu);
    const probes = [...fleet.runtimes.values()].map((r) => maybeProbe(fleet, r)).filter((p) => p !== null);
    // Wait a little for this tick's probes so one render shows them; a slow probe
    // lands in a later tick instead of holding this one.
    await Promise.race([Promise.all(probes), new Promise((r) => setTimeout(r, PROBE_WAIT_MS))]);
    // Logs a service writes itself are rotated here; a pump bounds the ones it writes as it writes.
    if (fleet.context.platform.serviceOutput === 'file' && fleet.tickCount % LOG_ROTATE_EVERY_TICKS === 0 && !fleet.followingFleet) {
      for (const [name, runtime] of fleet.runtimes) rotateOrSay(fleet, name, runtime);
    }
    if (fleet.tickCount % PORT_CHECK_EVERY_TICKS === 1) await refreshPortHolders(fleet);
    readWatchedLog(fleet);
    // Only while telemetry runs (a single tick of a headless command shares nothing).
    if (!fleet.followingFleet && fleet.tickTimer !== null) await shareTelemetry(fleet, at);
    fleet.publish();
  } catch (error) {
    // A tick runs on a timer: a throw here would end the console (an unhandled rejection).
    // What failed becomes every service's last error, on screen, and the next tick tries again.
    const reason = `telemetry failed: ${(error as Error).message}`;
    for (const runtime of fleet.runtimes.values()) runtime.lastError = reason;
    fleet.publish();
  } finally {
    fleet.tickInFlight = false;
    finished();
  }
}

/** What this tick measured, for `evident status` (telemetry-file.ts); a failure to write it is no service's error. */
async function shareTelemetry(fleet: FleetState, at: number): Promise<void> {
  fleet.selfStartToken ??= (await fleet.context.platform.readProcess(process.pid))?.startToken ?? '';
  const services: TelemetryFile['services'] = {};
  for (const [name, r] of fleet.runtimes) {
    if (r.record) services[name] = { pid: r.record.pid, cpu_percent: r.cpuPercent, rss_bytes: r.rssBytes, cpu_history: r.cpuHistory };
  }
  try {
    fleet.telemetryFile ??= new TelemetryFileWriter(fleet.context.paths.root);
    fleet.telemetryFile.write({ written_at: at, writer: { pid: process.pid, start_token: fleet.selfStartToken }, interval_ms: fleet.intervalMs, services });
  } catch {
    // A full disk shows elsewhere (logs, pid files); status then falls back to averages.
  }
}

/** Rotates a service's log; a failure (a full disk, a folder or a link in the way) is that service's last error. */
function rotateOrSay(fleet: FleetState, name: string, runtime: Runtime): void {
  try {
    rotateIfLarge(fleet.context.paths.logs, name);
  } catch (error) {
    runtime.lastError = `log rotation failed: ${(error as Error).message}`;
  }
}

/**
 * The whole process table every FULL_SCAN_EVERY_TICKS ticks; in between, the processes
 * already known (each service's tree and recorded descendants) and every child they
 * started since (listWithChildren), so a new descendant is in the very next sample. A
 * child that left the tree in between is still found by the full scan, the stop and the
 * leftover check.
 */
function readTable(fleet: FleetState): Promise<ProcessInfo[]> {
  const known = [...fleet.runtimes.values()].flatMap((r) =>
    r.record ? [r.record.pid, ...r.tree.map((p) => p.pid), ...r.record.descendants.map((d) => d.pid)] : [],
  );
  const full = fleet.tickCount % FULL_SCAN_EVERY_TICKS === 1 && known.length > 0;
  return full ? fleet.context.platform.listProcesses() : fleet.context.platform.listWithChildren(known);
}

/** Updates a service's tree from the table; returns the processes whose CPU to measure. */
async function sampleService(fleet: FleetState, runtime: Runtime, table: ProcessInfo[]): Promise<ProcessInfo[]> {
  const record = runtime.record;
  if (!record || runtime.state === 'starting' || runtime.state === 'stopping') return [];
  let root = table.find((p) => p.pid === record.pid) ?? null;
  if (!checkIdentity(record, root).same) {
    // The table may hold a cached command line: decide on a fresh reading.
    root = await fleet.context.platform.readProcess(record.pid);
    if (runtime.record !== record) return [];
    if (!checkIdentity(record, root).same) {
      // Following: the controller stopped it; the next look at its pid files says what runs.
      if (fleet.followingFleet) fleet.runtimes.set(runtime.spec.name, blankRuntime(runtime.spec));
      // Gone without us stopping it (or killed by someone else while adopted).
      else if (runtime.state === 'running' || runtime.state === 'unhealthy') void followOrExit(fleet, runtime, null, null);
      return [];
    }
  }
  // A launcher that exec'd once the service was ready is still the service's process.
  // (Following records nothing: the controller does.)
  if (!fleet.followingFleet) noteCommandChange(fleet.context, record, root as ProcessInfo, { write: true });
  const members = [root as ProcessInfo, ...descendantsOf(record.pid, table)];
  // The live processes seen under the service are on disk, so a later console (or the
  // leftover check) still knows one after it escapes the tree. One that ended is dropped:
  // its pid and start time never name a live process again, and a service that runs a
  // short helper every second would otherwise grow the list (and each rewrite) forever.
  const descendants = liveDescendants(record, members.slice(1), table);
  if (descendants !== null) {
    record.descendants = descendants;
    if (!fleet.followingFleet) writePidFile(fleet.context.paths.pids, record);
  }
  runtime.rssBytes = members.reduce((sum, p) => sum + p.rssBytes, 0);
  runtime.tree = members.map((p) => ({ pid: p.pid, ppid: p.ppid, command: commandLineText(p.argv), cpuPercent: 0, rssBytes: p.rssBytes, state: p.state }));
  runtime.rssHistory = appendPoint(runtime.rssHistory, runtime.rssBytes);
  return members;
}

/** Spreads this tick's CPU readings over the service's tree; the service's figure is their sum. */
function applyCpu(runtime: Runtime, cpu: Map<number, number | null>): void {
  if (runtime.tree.length === 0 || !runtime.record) return;
  let total: number | null = null;
  runtime.tree = runtime.tree.map((p) => {
    const value = cpu.get(p.pid) ?? null;
    if (value !== null) total = (total ?? 0) + value;
    return { ...p, cpuPercent: value ?? 0 };
  });
  runtime.cpuPercent = total;
  if (total !== null) runtime.cpuHistory = appendPoint(runtime.cpuHistory, total);
}

