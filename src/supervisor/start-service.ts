// Starts one service and waits until its probe passes within its startup timeout, and
// that the port it answered on is held by the service's own tree (not by a process that
// took the port meanwhile). On failure it says why: the last probe result (or the port's
// holder) and the tail of the service's log, and leaves nothing running.
import type { ResolvedService } from '../contract/contract.ts';
import { probeService } from '../probes/health-probe.ts';
import type { ProbeResult } from '../telemetry/fleet-snapshot.ts';
import { writePidFile, type PidRecord } from './pid-file.ts';
import { describeHolders } from './port-holders.ts';
import { checkPortHolder, describeForeignHolder } from './readiness-port-holder.ts';
import { findForkedSuccessor, followedRecord } from './forked-successor.ts';
import { noteCommandChange } from './command-change.ts';
import { findDaemon } from './daemon-from-pid-file.ts';
import { checkIdentity } from './process-identity.ts';
import { readLogTail } from './service-log.ts';
import type { ServiceOutputs } from './service-outputs.ts';
import { placeInCgroup } from './service-cgroup.ts';
import { SpawnError, spawnService, type Spawned } from './spawn-service.ts';
import { stopService } from './stop-service.ts';
import { emitNow, type SupervisorContext } from './supervisor-context.ts';
import { commandLineText } from '../platform/command-line-text.ts';

export type StartOutcome =
  /** `spawned` is null when the program daemonized itself and its successor is followed. */
  | { ok: true; record: PidRecord; spawned: Spawned | null; probe: ProbeResult; bootMs: number }
  | { ok: false; reason: string; probe: ProbeResult | null; logTail: string[] };

const LOG_TAIL_LINES = 20;

export async function startService(
  context: SupervisorContext,
  service: ResolvedService,
  outputs: ServiceOutputs,
  options: { restarts?: number } = {},
): Promise<StartOutcome> {
  const fail = (reason: string, probe: ProbeResult | null): StartOutcome => {
    // What it printed before it failed is read into the log first: the tail says why.
    outputs.flush(service.name);
    const logTail = readLogTail(context.paths.logs, service.name, LOG_TAIL_LINES);
    emitNow(context, { type: 'start-failed', service: service.name, reason, logTail });
    return { ok: false, reason, probe, logTail };
  };

  const holders = await describeHolders(context, [service.port]);
  if (holders.length > 0) {
    const text = holders.map((h) => `pid ${h.pid ?? '?'} (${h.command || 'unknown'})${h.ours ? ', a survivor of an earlier run of ours' : ''}`);
    return fail(`port ${service.port} is already in use by ${text.join('; ')}`, null);
  }

  const startedAt = performance.now();
  // Made before the spawn, so all that is left after it is one write.
  const cgroupPath = await context.platform.cgroups.create(context.paths.fleetTag, service.name);
  let spawned: Spawned;
  try {
    spawned = await spawnService(service, context.paths, context.platform, outputs, cgroupPath);
  } catch (error) {
    if (cgroupPath !== null) await context.platform.cgroups.removeIfEmpty(cgroupPath);
    if (error instanceof SpawnError) return fail(error.message, null);
    throw error;
  }
  // Into its cgroup at once: whatever it forks from now on is born there (what it forked
  // before this write is not, and is covered by the other proofs of ownership.ts). A
  // platform that starts it inside (Windows: its job object, before it runs) has done so.
  const cgroup = spawned.inContainer ? cgroupPath : await placeInCgroup(context, cgroupPath, spawned.pid);
  const info = await context.platform.readProcess(spawned.pid);
  const record: PidRecord = {
    service: service.name,
    pid: spawned.pid,
    pgid: info?.pgid ?? null,
    sid: info?.sid ?? null,
    start_token: info?.startToken ?? '',
    argv: info?.argv ?? [service.command, ...service.args],
    started_at: new Date(info?.startedAtMs ?? Date.now()).toISOString(),
    contract_hash: context.contract.hash,
    restarts: options.restarts ?? 0,
    descendants: [],
    cgroup,
  };
  // On disk before anything else can happen, so a console killed now still leaves the
  // next one able to find (and adopt or stop) this process.
  writePidFile(context.paths.pids, record);
  emitNow(context, { type: 'start', service: service.name, pid: spawned.pid, command: commandLineText(record.argv) });

  let exit: { code: number | null; signal: NodeJS.Signals | null } | null = null;
  let followed = false;
  void spawned.exited.then((e) => (exit = e));
  const deadline = startedAt + service.startup_timeout_s * 1000;
  if (service.daemonizes) {
    // Declared to fork into the background: the launcher's exit 0 is the start, and the
    // pid file names the service's process. Nothing is guessed.
    const launcher = { pid: spawned.pid, startedAtMs: Date.parse(record.started_at), sid: record.sid, exited: spawned.exited };
    const found = await findDaemon(context, service, launcher, deadline);
    if (!found.ok) {
      await stopService(context, service, record, found.launcherRunning ? {} : { exited: spawned.exited });
      return fail(found.reason, null);
    }
    followed = true;
    emitNow(context, { type: 'followed', service: service.name, from: record.pid, to: found.daemon.pid, command: commandLineText(found.daemon.argv) });
    Object.assign(record, followedRecord(record, found.daemon), { daemon: found.origin });
    writePidFile(context.paths.pids, record);
  }
  const pause = service.health.kind === 'exec' ? 100 : 20;
  let last: ProbeResult | null = null;
  for (;;) {
    last = await probeService(service);
    if (last.ok) break;
    if (exit !== null && !followed && !service.daemonizes && (exit as { code: number | null }).code === 0) {
      const successor = await findForkedSuccessor(context, record);
      if (successor) {
        followed = true;
        emitNow(context, { type: 'followed', service: service.name, from: record.pid, to: successor.pid, command: commandLineText(successor.argv) });
        Object.assign(record, followedRecord(record, successor));
        writePidFile(context.paths.pids, record);
        continue;
      }
    }
    if (followed && !checkIdentity(record, await context.platform.readProcess(record.pid)).same) {
      await stopService(context, service, record);
      return fail(`the daemon it forked (pid ${record.pid}) exited during startup; last probe: ${last.detail}`, last);
    }
    if (exit !== null && !followed) {
      const { code, signal } = exit as { code: number | null; signal: NodeJS.Signals | null };
      // Only what it left behind is stopped; its own exit, seen here, is what the stop reports.
      await stopService(context, service, record, { exited: spawned.exited });
      return fail(`exited during startup${code !== null ? ` with code ${code}` : ''}${signal ? ` on ${signal}` : ''}; last probe: ${last.detail}`, last);
    }
    if (performance.now() >= deadline) {
      await stopService(context, service, record);
      return fail(`not healthy within ${service.startup_timeout_s} s; last probe: ${last.detail}`, last);
    }
    await new Promise((r) => setTimeout(r, pause));
  }

  // Something answered on the port: confirm it is the service (readiness-port-holder.ts).
  const holder = await checkPortHolder(context, service, record);
  if (holder?.status === 'foreign') {
    await stopService(context, service, record);
    return fail(describeForeignHolder(service.name, service.port, holder.holders), last);
  }

  const bootMs = Math.round(performance.now() - startedAt);
  // The program may still daemonize right after its probe passed: the supervisor's exit
  // handling follows it then. Programs may rename themselves after exec: record the
  // settled command line.
  const settled = await context.platform.readProcess(record.pid);
  if (settled && settled.startToken === record.start_token) {
    noteCommandChange(context, record, settled, { write: false });
    Object.assign(record, { pgid: settled.pgid, sid: settled.sid });
    writePidFile(context.paths.pids, record);
  }
  const portHolder = holder === null ? {} : { port_holder: holder.status === 'service' ? { status: holder.status, pids: holder.pids } : { status: holder.status, why: holder.why } };
  emitNow(context, { type: 'ready', service: service.name, pid: record.pid, bootMs, probe: last.detail, ...portHolder });
  return { ok: true, record, spawned: followed ? null : spawned, probe: last, bootMs };
}
