// The fleet: adopts what is already running, starts and stops services in dependency
// order, samples telemetry on a fixed tick (skipping a tick rather than queueing one),
// and publishes an immutable FleetSnapshot after every change. It is the console's
// FleetController and the engine behind the headless commands. While another process (a
// gate runner) holds the fleet lock, a console's supervisor only follows: see follow().
import type { ProcessInfo } from '../platform/platform.ts';
import { probeService } from '../probes/health-probe.ts';
import type { FleetSnapshot, Leftover } from '../telemetry/fleet-snapshot.ts';
import { appendPoint } from '../telemetry/history.ts';
import { adopt, resumeControl } from './fleet-adopt.ts';
import { followOrExit } from './fleet-exit.ts';
import { followFleet, syncFromPidFiles } from './fleet-follow.ts';
import type { FleetController } from './fleet-controller.ts';
import { checkLeftovers } from './fleet-leftover-check.ts';
import { readWatchedLog, watchLog } from './fleet-log-watch.ts';
import { buildSnapshot } from './fleet-snapshot-build.ts';
import { blankRuntime, newFleetState, type FleetState, type Runtime } from './fleet-state.ts';
import type { KnownOwner } from './ownership.ts';
import { writePidFile } from './pid-file.ts';
import { checkIdentity, toKnown } from './process-identity.ts';
import { descendantsOf } from './process-tree.ts';
import { rotateIfLarge } from './service-log.ts';
import { startServices, startServicesOrThrow, withDependencies, type StartAllResult } from './fleet-start.ts';
import { stopServices, type StopAllResult } from './fleet-stop.ts';
import { restartService } from './fleet-restart.ts';
import { reapOurs } from './fleet-reap.ts';
import { refreshPortHolders } from './fleet-port-holders.ts';
import type { SupervisorContext } from './supervisor-context.ts';

export type { StartAllResult, StopAllResult };

const PORT_CHECK_EVERY_TICKS = 5;
const FULL_SCAN_EVERY_TICKS = 3;
const LOG_ROTATE_EVERY_TICKS = 1;
/** How long a tick waits for its probes before publishing without the slow ones. */
const PROBE_WAIT_MS = 250;

export class FleetSupervisor implements FleetController {
  private readonly listeners = new Set<() => void>();
  private readonly fleet: FleetState;
  private snapshot: FleetSnapshot;

  constructor(context: SupervisorContext) {
    this.fleet = newFleetState(context, () => this.publish());
    this.snapshot = buildSnapshot(this.fleet);
  }

  // ---- FleetController ----------------------------------------------------------

  getSnapshot = (): FleetSnapshot => this.snapshot;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  async start(name: string): Promise<void> {
    await startServicesOrThrow(this.fleet, withDependencies(this.fleet, [name]));
  }

  async stop(name: string): Promise<void> {
    await this.stopServices([name]);
  }

  async restart(name: string): Promise<void> {
    await restartService(this.fleet, name);
  }

  async startAll(): Promise<void> {
    await startServicesOrThrow(this.fleet, this.fleet.context.contract.services.map((s) => s.name));
  }

  async stopAll(): Promise<void> {
    await this.stopServices(this.fleet.context.contract.services.map((s) => s.name));
  }

  async reapOurs(): Promise<void> {
    await reapOurs(this.fleet);
  }

  /** Unchanged arguments change nothing; a name not in the contract throws, as for start and stop. */
  watchLog(service: string | null, lines: number): void {
    watchLog(this.fleet, service, lines);
  }

  // ---- lifecycle ----------------------------------------------------------------

  /** Takes over services left running by an earlier console, from their pid files. */
  async adopt(): Promise<void> {
    await adopt(this.fleet);
  }

  /** Starts sampling every `intervalMs`. A tick still running when the next is due is skipped. */
  startTelemetry(intervalMs = 1000): void {
    if (this.fleet.tickTimer) return;
    void this.tick();
    this.fleet.tickTimer = setInterval(() => void this.tick(), intervalMs);
  }

  stopTelemetry(): void {
    if (this.fleet.tickTimer) clearInterval(this.fleet.tickTimer);
    this.fleet.tickTimer = null;
  }

  /** True while another process controls the fleet and this supervisor only follows it. */
  get following(): boolean {
    return this.fleet.followingFleet;
  }

  /**
   * Read-only from now on: another evident process (a gate runner) controls the fleet.
   * Each tick then reads the pid files that process writes (so the processes it starts in
   * every cycle appear), samples and probes them, and nothing else: no start, stop,
   * signal, adoption, pid file, log rotation, leftover check or event. Start, stop and
   * reap are refused. Resolves once a tick in flight has finished.
   */
  async follow(): Promise<void> {
    await followFleet(this.fleet);
  }

  /** This process controls the fleet again: what was followed is forgotten, and what runs now is adopted. */
  async resumeControl(): Promise<void> {
    await resumeControl(this.fleet);
  }

  /** Services still running (by our records). */
  runningServices(): string[] {
    return [...this.fleet.runtimes.values()].filter((r) => r.record !== null).map((r) => r.spec.name);
  }

  // ---- start / stop -------------------------------------------------------------

  /** Starts each service as soon as everything it depends on is up; independent ones in parallel. */
  startServices(names: string[]): Promise<StartAllResult> {
    return startServices(this.fleet, names);
  }

  /** Stops each service once everything that depends on it has stopped; then checks for leftovers. */
  stopServices(names: string[], options: { checkLeftovers?: boolean } = {}): Promise<StopAllResult> {
    return stopServices(this.fleet, names, options);
  }

  /** The zombie/orphan check: ours still alive, defunct children, listeners on contract ports. */
  async checkLeftovers(everSeen: KnownOwner[] = []): Promise<Leftover[]> {
    return checkLeftovers(this.fleet, everSeen);
  }

  // ---- telemetry ----------------------------------------------------------------

  /** One sample of every service. Public so headless commands can take a single reading. */
  async tick(): Promise<void> {
    if (this.fleet.tickInFlight) {
      this.fleet.skippedTicks++;
      return;
    }
    this.fleet.tickInFlight = true;
    let finished: () => void = () => {};
    this.fleet.tickDone = new Promise((resolve) => (finished = resolve));
    try {
      if (this.fleet.followingFleet) await syncFromPidFiles(this.fleet);
      this.fleet.tickCount++;
      const at = Date.now();
      const [table, host] = await Promise.all([this.readTable(), this.fleet.host.sample()]);
      this.fleet.hostReading = host;
      const tracked: ProcessInfo[] = [];
      for (const runtime of this.fleet.runtimes.values()) tracked.push(...(await this.sampleService(runtime, table)));
      const cpu = this.fleet.cpu.measure(tracked, at);
      for (const runtime of this.fleet.runtimes.values()) this.applyCpu(runtime, cpu);
      const probes = [...this.fleet.runtimes.values()].map((r) => this.maybeProbe(r)).filter((p) => p !== null);
      // Wait a little for this tick's probes so one render shows them; a slow probe
      // lands in a later tick instead of holding this one.
      await Promise.race([Promise.all(probes), new Promise((r) => setTimeout(r, PROBE_WAIT_MS))]);
      if (this.fleet.tickCount % LOG_ROTATE_EVERY_TICKS === 0 && !this.fleet.followingFleet) {
        for (const name of this.fleet.runtimes.keys()) rotateIfLarge(this.fleet.context.paths.logs, name);
      }
      if (this.fleet.tickCount % PORT_CHECK_EVERY_TICKS === 1) await refreshPortHolders(this.fleet);
      readWatchedLog(this.fleet);
      this.publish();
    } finally {
      this.fleet.tickInFlight = false;
      finished();
    }
  }

  /**
   * The whole process table every FULL_SCAN_EVERY_TICKS ticks (that is when new children
   * are found); in between, only the processes already in the trees, which is all that
   * CPU and RSS need. An escaped child missed in between is still found by the tag scan
   * at stop and by the leftover check.
   */
  private readTable(): Promise<ProcessInfo[]> {
    const known = [...this.fleet.runtimes.values()].flatMap((r) => (r.record ? [r.record.pid, ...r.tree.map((p) => p.pid)] : []));
    const full = this.fleet.tickCount % FULL_SCAN_EVERY_TICKS === 1 && known.length > 0;
    return full ? this.fleet.context.platform.listProcesses() : this.fleet.context.platform.listSome(known);
  }

  /** Updates a service's tree from the table; returns the processes whose CPU to measure. */
  private async sampleService(runtime: Runtime, table: ProcessInfo[]): Promise<ProcessInfo[]> {
    const record = runtime.record;
    if (!record || runtime.state === 'starting' || runtime.state === 'stopping') return [];
    let root = table.find((p) => p.pid === record.pid) ?? null;
    if (!checkIdentity(record, root).same) {
      // The table may hold a cached command line: decide on a fresh reading.
      root = await this.fleet.context.platform.readProcess(record.pid);
      if (runtime.record !== record) return [];
      if (!checkIdentity(record, root).same) {
        // Following: the controller stopped it; the next look at its pid files says what runs.
        if (this.fleet.followingFleet) this.fleet.runtimes.set(runtime.spec.name, blankRuntime(runtime.spec));
        // Gone without us stopping it (or killed by someone else while adopted).
        else if (runtime.state === 'running' || runtime.state === 'unhealthy') void followOrExit(this.fleet, runtime, null, null);
        return [];
      }
    }
    const members = [root as ProcessInfo, ...descendantsOf(record.pid, table)];
    let changed = false;
    for (const member of members.slice(1)) {
      if (!record.descendants.some((d) => d.pid === member.pid && d.start_token === member.startToken) && member.state !== 'Z') {
        record.descendants.push(toKnown(member));
        changed = true;
      }
    }
    // Every process ever seen under the service is on disk, so a later console (or the
    // leftover check) still knows it after it escapes the tree.
    if (changed && !this.fleet.followingFleet) writePidFile(this.fleet.context.paths.pids, record);
    runtime.rssBytes = members.reduce((sum, p) => sum + p.rssBytes, 0);
    runtime.tree = members.map((p) => ({ pid: p.pid, ppid: p.ppid, command: p.argv.join(' '), cpuPercent: 0, rssBytes: p.rssBytes, state: p.state }));
    runtime.rssHistory = appendPoint(runtime.rssHistory, runtime.rssBytes);
    return members;
  }

  private applyCpu(runtime: Runtime, cpu: Map<number, number | null>): void {
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

  /**
   * Starts a probe when one is due; returns it, or null. The result is not published on
   * its own (six probes would mean six renders a second): the tick publishes once.
   */
  private maybeProbe(runtime: Runtime): Promise<void> | null {
    if (!runtime.record || runtime.probeInFlight) return null;
    // Following, a process the controller is starting is probed too: its first good probe shows it running.
    const starting = this.fleet.followingFleet && runtime.state === 'starting';
    if (runtime.state !== 'running' && runtime.state !== 'unhealthy' && !starting) return null;
    const intervalMs = runtime.spec.health.interval_s * 1000;
    if (Date.now() - runtime.lastProbeAt < intervalMs - 50) return null;
    runtime.probeInFlight = true;
    runtime.lastProbeAt = Date.now();
    const record = runtime.record;
    return probeService(runtime.spec).then((result) => {
      runtime.probeInFlight = false;
      if (runtime.record !== record) return;
      runtime.probe = result;
      runtime.latencyHistory = appendPoint(runtime.latencyHistory, result.latencyMs);
      if (runtime.state === 'running' || runtime.state === 'unhealthy') runtime.state = result.ok ? 'running' : 'unhealthy';
      else if (runtime.state === 'starting' && this.fleet.followingFleet && result.ok) runtime.state = 'running';
    });
  }

  // ---- snapshots ----------------------------------------------------------------

  private publish(): void {
    this.snapshot = buildSnapshot(this.fleet);
    for (const listener of this.listeners) listener();
  }
}
