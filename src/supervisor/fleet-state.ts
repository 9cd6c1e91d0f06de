// What every fleet operation reads and changes: each service's runtime, and what the
// snapshot shows of the fleet as a whole. FleetSupervisor owns the one FleetState; each
// operation (fleet-start.ts, fleet-stop.ts, …) is a function that takes it.
import type { ResolvedService } from '../contract/contract.ts';
import { CpuMeter } from '../telemetry/cpu-meter.ts';
import type { Leftover, LogTailSnapshot, PortHolder, ProbeResult, ServiceState, TreeProcess } from '../telemetry/fleet-snapshot.ts';
import { HostSampler, type HostReading } from '../telemetry/host-sampler.ts';
import type { PidRecord } from './pid-file.ts';
import { ServiceOutputs } from './service-outputs.ts';
import type { Spawned } from './spawn-service.ts';
import type { SupervisorContext } from './supervisor-context.ts';
import type { TelemetryFileWriter } from './telemetry-file.ts';

export interface Runtime {
  spec: ResolvedService;
  state: ServiceState;
  record: PidRecord | null;
  spawned: Spawned | null;
  restarts: number;
  probe: ProbeResult | null;
  probeInFlight: boolean;
  lastProbeAt: number;
  cpuPercent: number | null;
  rssBytes: number | null;
  tree: TreeProcess[];
  cpuHistory: number[];
  rssHistory: number[];
  latencyHistory: number[];
  lastError: string | null;
  portHolder: PortHolder | null;
  /** Serialises operations on this service. */
  queue: Promise<unknown>;
  /** True while an exit is being looked at (did it daemonize itself?). */
  following: boolean;
  /** When each automatic restart in this process was decided (ms), for the policy's limit. */
  restartsAt: number[];
  /** The automatic restart waiting out its delay, if any. */
  restartTimer: NodeJS.Timeout | null;
}

export interface FleetState {
  readonly context: SupervisorContext;
  /** An entry is replaced (never added or removed) when what was followed is forgotten: a Runtime held across an await may be stale. */
  readonly runtimes: Map<string, Runtime>;
  readonly cpu: CpuMeter;
  readonly host: HostSampler;
  /** Where each service prints, and (while this process controls the fleet) the pumps that read it into its log. */
  readonly outputs: ServiceOutputs;
  hostReading: HostReading | null;
  activity: string | null;
  leftovers: Leftover[];
  leftoversCheckedAt: number | null;
  tickTimer: NodeJS.Timeout | null;
  /** The telemetry interval, once started. */
  intervalMs: number;
  tickInFlight: boolean;
  /** The tick in flight (or the last one), for a change of mode to wait on. */
  tickDone: Promise<void>;
  /** Set while another process controls the fleet: watch it, never act on it. */
  followingFleet: boolean;
  tickCount: number;
  skippedTicks: number;
  /** The log the console shows, re-read every tick; null when none is on screen. */
  watched: { service: string; lines: number } | null;
  watchedTail: LogTailSnapshot | null;
  /** This process's start token, read once, for the telemetry file's writer. */
  selfStartToken: string | null;
  /** state/telemetry.json, held open while telemetry runs. */
  telemetryFile: TelemetryFileWriter | null;
  /** Builds a new snapshot and tells every listener; called after every change. */
  readonly publish: () => void;
}

export function newFleetState(context: SupervisorContext, publish: () => void): FleetState {
  const runtimes = new Map(context.contract.services.map((spec) => [spec.name, blankRuntime(spec)]));
  const outputs = new ServiceOutputs(context.paths.logs, context.platform.serviceOutput, (service, message) => {
    const runtime = runtimes.get(service);
    if (runtime) runtime.lastError = `log: ${message}`;
    publish();
  });
  return {
    context,
    outputs,
    cpu: new CpuMeter(),
    host: new HostSampler(context.platform),
    runtimes,
    hostReading: null,
    activity: null,
    leftovers: [],
    leftoversCheckedAt: null,
    tickTimer: null,
    intervalMs: 1000,
    tickInFlight: false,
    tickDone: Promise.resolve(),
    followingFleet: false,
    tickCount: 0,
    skippedTicks: 0,
    watched: null,
    watchedTail: null,
    selfStartToken: null,
    telemetryFile: null,
    publish,
  };
}

export function blankRuntime(spec: ResolvedService): Runtime {
  return {
    spec,
    state: 'stopped',
    record: null,
    spawned: null,
    restarts: 0,
    probe: null,
    probeInFlight: false,
    lastProbeAt: 0,
    cpuPercent: null,
    rssBytes: null,
    tree: [],
    cpuHistory: [],
    rssHistory: [],
    latencyHistory: [],
    lastError: null,
    portHolder: null,
    queue: Promise.resolve(),
    following: false,
    restartsAt: [],
    restartTimer: null,
  };
}

export function runtimeOf(fleet: FleetState, name: string): Runtime {
  const runtime = fleet.runtimes.get(name);
  if (!runtime) throw new Error(`no service named "${name}" in the contract`);
  return runtime;
}

export function serialise<T>(fleet: FleetState, name: string, operation: () => Promise<T>): Promise<T> {
  const runtime = runtimeOf(fleet, name);
  const next = runtime.queue.then(operation, operation);
  runtime.queue = next.catch(() => {});
  return next;
}

export function assertControl(fleet: FleetState): void {
  if (fleet.followingFleet) throw new Error('another evident process controls the fleet: this console only follows it');
}

export function setActivity(fleet: FleetState, activity: string | null): void {
  fleet.activity = activity;
  fleet.publish();
}
