// Windows: one long-lived sampler process answers every question evident asks of Windows
// and starts the services (windows-sampler-script.ts, its native code in
// windows-sampler-csharp.ts, its client in windows-sampler-client.ts), because spawning
// wmic or PowerShell per sample is what makes other supervisors eat a core on Windows.
// - Ownership: each service runs in a job object of its own from its first instruction
//   (windows-service-jobs.ts), the proof a cgroup is on Linux; a process is a child only
//   if it was created after its parent (pids are reused and orphans never reparented).
// - Stopping: CTRL_BREAK to the service's process group (it has a hidden console of its
//   own, so the sampler can attach to it), once; a break that cannot be sent is said so and
//   the stop kills at once; the kill is TerminateJobObject, then `taskkill /F` of each
//   process proven ours (never /T: it follows parent pids). A contract's stop_signal maps to CTRL_BREAK, whichever it names;
//   reload (reload_signal) is refused: there is no SIGHUP to send.
// - A sampler that cannot answer makes each question fail, saying why: never an empty table.
// This file cannot run on the Linux machines evident is built on; its tests check what it
// would run and how it reads recorded answers (docs/windows.md).
import { spawn } from 'node:child_process';
import { cpus, freemem, totalmem } from 'node:os';
import { LaunchError, type Launched, type LaunchRequest, type Platform, type PlannedCommand, type ProcessInfo, type SignalDelivery } from './platform.ts';
import { resolveCommand } from './resolve-command.ts';
import { windowsCommandLine } from './windows-command-line.ts';
import { parseBreakReply, parseCommandLines, parseExitEvent, parseLaunchReply, parseListeners, parseTable, toProcessInfo, type TableRow } from './windows-rows.ts';
import { SamplerClient } from './windows-sampler-client.ts';
import { SAMPLER_PREAMBLE, samplerCommand } from './windows-sampler-script.ts';
import { windowsServiceJobs } from './windows-service-jobs.ts';
import { windowsTools } from './windows-system-paths.ts';

/** Windows has CTRL_BREAK and nothing like SIGHUP: a reload cannot be asked for. */
export const RELOAD_REFUSAL = 'Windows has no SIGHUP or other reload signal (only CTRL_BREAK, which asks a program to stop): evident cannot ask a service to reload there; restart it instead';

/**
 * `taskkill /T /F`: the whole tree of `pid`, without asking. Only for a process this one
 * started and has not reaped (an exec probe): /T follows parent pids, which Windows
 * reuses, so for anything else it could reach an unrelated process.
 */
export function forceKillCommand(pid: number): PlannedCommand {
  return { command: windowsTools().taskkill, args: ['/PID', String(pid), '/T', '/F'] };
}

/** `taskkill /F` of one process: the stop passes each process it proved ours. */
export function killProcessCommand(pid: number): PlannedCommand {
  return { command: windowsTools().taskkill, args: ['/PID', String(pid), '/F'] };
}

/** What the sampler's launcher is sent for a service (the `launch` request). */
export function launchPayload(request: LaunchRequest, application: string): Record<string, unknown> {
  if (request.container === null) throw new LaunchError('no job object was named for it', null);
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.env)) if (value !== undefined) env[name] = value;
  return {
    job: request.container,
    application,
    commandLine: windowsCommandLine([request.command, ...request.args]),
    cwd: request.cwd,
    env,
    log: request.output.logPath,
  };
}

/** The rows of `table` that are `roots` or below them, a child only if created no earlier than its parent. */
export function withDescendants(table: readonly ProcessInfo[], roots: readonly number[]): ProcessInfo[] {
  const byPid = new Map(table.map((p) => [p.pid, p]));
  const wanted = new Set<number>();
  const queue = roots.filter((pid) => byPid.has(pid));
  while (queue.length > 0) {
    const pid = queue.shift() as number;
    if (wanted.has(pid)) continue;
    wanted.add(pid);
    const parent = byPid.get(pid) as ProcessInfo;
    for (const p of table) if (p.ppid === pid && p.pid !== pid && p.startedAtMs >= parent.startedAtMs) queue.push(p.pid);
  }
  return table.filter((p) => wanted.has(p.pid));
}

export function createWindowsPlatform(): Platform {
  const sampler = new SamplerClient(samplerCommand(), { preamble: [SAMPLER_PREAMBLE] });
  // A process's command line is read once in its life (pid and creation time): Windows
  // has no exec, so each table asks only for the processes it has not seen before.
  const commandLines = new Map<string, string | null>();
  const keyOf = (row: { pid: number; created: string | null }) => `${row.pid}/${row.created}`;
  // The services this process launched, until the sampler reports their exit.
  const watched = new Map<string, (exit: { code: number | null; signal: NodeJS.Signals | null }) => void>();
  sampler.onEvent((event) => {
    const exit = parseExitEvent(event);
    if (exit === null) return;
    const key = keyOf(exit);
    watched.get(key)?.({ code: exit.code, signal: null });
    watched.delete(key);
  });

  async function table(): Promise<ProcessInfo[]> {
    const rows = parseTable(await sampler.request('table'));
    const unread = rows.filter((row) => row.created !== null && row.pid !== 0 && !commandLines.has(keyOf(row)));
    if (unread.length > 0) {
      for (const row of parseCommandLines(await sampler.request('cmdlines', { pids: unread.map((r) => r.pid) }))) commandLines.set(keyOf(row), row.cmd);
    }
    const live = new Set(rows.map(keyOf));
    for (const key of commandLines.keys()) if (!live.has(key)) commandLines.delete(key);
    return rows.map((row: TableRow) => toProcessInfo(row, commandLines.get(keyOf(row)) ?? null));
  }

  /** Null once the break is sent; else why it could not be. */
  async function sendBreak(pid: number): Promise<string | null> {
    try {
      const failure = parseBreakReply(await sampler.request('break', { pid }));
      return failure === null ? null : `CTRL_BREAK could not be sent to pid ${pid}: ${failure}`;
    } catch (error) {
      return `CTRL_BREAK could not be sent to pid ${pid}: ${(error as Error).message}`;
    }
  }

  async function run(planned: PlannedCommand): Promise<void> {
    await new Promise<void>((resolve) => {
      const child = spawn(planned.command, planned.args, { windowsHide: true, stdio: 'ignore' });
      child.on('exit', () => resolve());
      child.on('error', () => resolve());
    });
  }

  return {
    name: 'windows',
    // Through the sampler's launcher: suspended, in its job, then resumed, with a hidden
    // console of its own (CTRL_BREAK reaches it) and nothing of evident's inherited.
    async launchService(request): Promise<Launched> {
      const resolved = resolveCommand(request.command, request.cwd, request.env);
      if (resolved.path === null) throw new LaunchError(`no such program (looked ${resolved.searched})`, 'ENOENT');
      let reply: { pid: number; created: string };
      try {
        reply = parseLaunchReply(await sampler.request('launch', launchPayload(request, resolved.path)));
      } catch (error) {
        throw new LaunchError((error as Error).message, null);
      }
      const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => watched.set(keyOf(reply), resolve));
      return { pid: reply.pid, exited, inContainer: true };
    },
    serviceOutput: 'file',
    cgroups: windowsServiceJobs(sampler),
    listProcesses: table,
    // The sampler answers with the whole table in one call either way.
    async listWithChildren(pids) {
      return withDescendants(await table(), pids);
    },
    async readProcess(pid) {
      return (await table()).find((p) => p.pid === pid) ?? null;
    },
    async readProcesses(pids) {
      const wanted = new Set(pids);
      return (await table()).filter((p) => wanted.has(p.pid));
    },
    // Windows does not let one process read another's environment cheaply; the job is the proof.
    async readEnvironmentVariable() {
      return null;
    },
    async listeners(ports) {
      return parseListeners(await sampler.request('listeners', { ports }));
    },
    // No POSIX signals: a contract's stop_signal is CTRL_BREAK here, sent once to the
    // service's process group (the group its own process leads: it was started with
    // CREATE_NEW_PROCESS_GROUP), or to each member when its process is gone.
    async requestStop(root, members) {
      const delivery: SignalDelivery = { group: null, pids: [], undelivered: [] };
      for (const target of root ? [root] : members) {
        const failure = await sendBreak(target.pid);
        if (failure !== null) delivery.undelivered.push({ pid: target.pid, reason: failure });
        else if (root) delivery.group = root.pid;
        else delivery.pids.push(target.pid);
      }
      return delivery;
    },
    reloadRefusal: RELOAD_REFUSAL,
    async sendSignal() {
      throw new Error(RELOAD_REFUSAL);
    },
    // The service's job is ended whole by the stop (cgroups.killAll: TerminateJobObject);
    // this ends each process the stop proved ours, one by one: never /T, which follows
    // parent pids that Windows reuses.
    async forceKill(root, members) {
      const targets = [...(root ? [root] : []), ...members];
      for (const target of targets) await run(killProcessCommand(target.pid));
    },
    hostCpuTimes() {
      let busy = 0;
      let total = 0;
      for (const cpu of cpus()) {
        const t = cpu.times;
        busy += t.user + t.nice + t.sys + t.irq;
        total += t.user + t.nice + t.sys + t.irq + t.idle;
      }
      return { busy, total };
    },
    // Node asks the kernel (GlobalMemoryStatusEx) in-process; systeminformation would start
    // a powershell.exe for every reading here.
    async hostMemory() {
      const totalBytes = totalmem();
      return { usedBytes: totalBytes - freemem(), totalBytes };
    },
    close() {
      sampler.close();
    },
  };
}
