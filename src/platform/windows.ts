// Windows: one long-lived PowerShell sampler answers every process-table and listener
// question over stdin/stdout (one JSON line per request), because spawning wmic or
// PowerShell per sample is what makes other supervisors eat a core on Windows.
// Stopping: CTRL_BREAK to the service's own process group first (sent by the sampler,
// which can attach to the service's console), then `taskkill /T /F` for the whole tree.
// A contract's stop_signal maps to CTRL_BREAK here, whichever signal it names; reload
// (reload_signal) is refused: there is no SIGHUP to send.
// Escapes: Windows has no process groups or sessions in the POSIX sense, so every
// process reads with pgid and sid null and `leftServiceGroup` (process-groups.ts) never
// finds a process that left its service's group here; job objects will bring that.
// This file cannot run on the Linux machines evident is built on; its tests check what
// it would execute.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { cpus, freemem, totalmem } from 'node:os';
import { createInterface } from 'node:readline';
import type { Platform, PlannedCommand, PortListener, ProcessInfo, SignalDelivery } from './platform.ts';
import { launchWithNode } from './node-launch.ts';
import { noServiceCgroups } from './service-cgroups.ts';
import { windowsTools } from './windows-system-paths.ts';
import { splitWindowsCommandLine } from './windows-command-line.ts';

/** The sampler's script: a loop reading one request per line, answering one JSON line. */
export const SAMPLER_SCRIPT = String.raw`
$ErrorActionPreference = 'Stop'
Add-Type -Namespace Evident -Name Console -MemberDefinition @'
[DllImport("kernel32.dll")] public static extern bool AttachConsole(uint pid);
[DllImport("kernel32.dll")] public static extern bool FreeConsole();
[DllImport("kernel32.dll")] public static extern bool SetConsoleCtrlHandler(System.IntPtr h, bool add);
[DllImport("kernel32.dll")] public static extern bool GenerateConsoleCtrlEvent(uint ev, uint group);
'@
function Get-Table {
  Get-CimInstance Win32_Process | ForEach-Object {
    [pscustomobject]@{ pid = $_.ProcessId; ppid = $_.ParentProcessId; cmd = $_.CommandLine;
      created = $_.CreationDate.ToUniversalTime().ToString('o'); rss = $_.WorkingSetSize;
      cpu100ns = $_.KernelModeTime + $_.UserModeTime }
  }
}
while ($true) {
  $line = [Console]::In.ReadLine()
  if ($null -eq $line) { break }
  $req = $line | ConvertFrom-Json
  try {
    switch ($req.op) {
      'table' { $out = @(Get-Table) }
      'listeners' { $out = @(Get-NetTCPConnection -State Listen -ErrorAction SilentlyContinue |
          Where-Object { $req.ports -contains $_.LocalPort } |
          ForEach-Object { [pscustomobject]@{ port = $_.LocalPort; pid = $_.OwningProcess } }) }
      'env' { $out = $null }
      'break' {
        [Evident.Console]::FreeConsole() | Out-Null
        $ok = [Evident.Console]::AttachConsole([uint32]$req.pid)
        if ($ok) {
          [Evident.Console]::SetConsoleCtrlHandler([System.IntPtr]::Zero, $true) | Out-Null
          $ok = [Evident.Console]::GenerateConsoleCtrlEvent(1, [uint32]$req.pid)
          [Evident.Console]::FreeConsole() | Out-Null
        }
        $out = $ok
      }
    }
    [Console]::Out.WriteLine((ConvertTo-Json -Compress -Depth 4 @{ id = $req.id; ok = $true; data = $out }))
  } catch {
    [Console]::Out.WriteLine((ConvertTo-Json -Compress @{ id = $req.id; ok = $false; error = "$_" }))
  }
}
`;

/** The script goes in -EncodedCommand (UTF-16LE, base64) so stdin carries only requests. */
export function samplerCommand(): PlannedCommand {
  const encoded = Buffer.from(SAMPLER_SCRIPT, 'utf16le').toString('base64');
  return {
    command: windowsTools().powershell,
    args: ['-NoLogo', '-NoProfile', '-NonInteractive', '-ExecutionPolicy', 'Bypass', '-EncodedCommand', encoded],
  };
}

/** Windows has CTRL_BREAK and nothing like SIGHUP: a reload cannot be asked for. */
export const RELOAD_REFUSAL = 'Windows has no SIGHUP or other reload signal (only CTRL_BREAK, which asks a program to stop): evident cannot ask a service to reload there; restart it instead';

/** `taskkill /T /F`: the whole tree of `pid`, without asking. */
export function forceKillCommand(pid: number): PlannedCommand {
  return { command: windowsTools().taskkill, args: ['/PID', String(pid), '/T', '/F'] };
}

interface RawProcess {
  pid: number;
  ppid: number;
  cmd: string | null;
  created: string;
  rss: number;
  cpu100ns: number;
}

/** Turns one sampler table row into a ProcessInfo. */
export function toProcessInfo(row: RawProcess): ProcessInfo {
  return {
    pid: row.pid,
    ppid: row.ppid,
    // No POSIX process groups or sessions here (see process-groups.ts): a process that
    // escaped its service cannot be told from one that did not, until job objects.
    pgid: null,
    sid: null,
    state: '?',
    startToken: row.created,
    startedAtMs: Date.parse(row.created),
    argv: row.cmd ? splitWindowsCommandLine(row.cmd) : [],
    cpuTimeMs: row.cpu100ns / 10_000,
    rssBytes: row.rss,
  };
}

/** A JSON-lines client of the sampler process. */
class Sampler {
  private child: ChildProcessWithoutNullStreams | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();

  request(op: string, extra: Record<string, unknown> = {}): Promise<unknown> {
    const child = this.ensure();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      child.stdin.write(`${JSON.stringify({ id, op, ...extra })}\n`);
    });
  }

  close(): void {
    this.child?.stdin.end();
    this.child?.kill();
    this.child = null;
  }

  private ensure(): ChildProcessWithoutNullStreams {
    if (this.child) return this.child;
    const planned = samplerCommand();
    const child = spawn(planned.command, planned.args, { windowsHide: true, stdio: 'pipe' });
    createInterface({ input: child.stdout }).on('line', (line) => {
      let reply: { id: number; ok: boolean; data?: unknown; error?: string };
      try {
        reply = JSON.parse(line);
      } catch {
        return;
      }
      const waiter = this.pending.get(reply.id);
      if (!waiter) return;
      this.pending.delete(reply.id);
      if (reply.ok) waiter.resolve(reply.data);
      else waiter.reject(new Error(reply.error ?? 'sampler error'));
    });
    child.on('exit', () => {
      for (const waiter of this.pending.values()) waiter.reject(new Error('the Windows sampler exited'));
      this.pending.clear();
      this.child = null;
    });
    child.unref();
    this.child = child;
    return child;
  }
}

export function createWindowsPlatform(): Platform {
  const sampler = new Sampler();

  async function table(): Promise<ProcessInfo[]> {
    const rows = (await sampler.request('table')) as RawProcess[] | null;
    return (rows ?? []).map(toProcessInfo);
  }

  /** Null once the break is sent; else why it could not be. */
  async function sendBreak(pid: number): Promise<string | null> {
    try {
      const reply = (await sampler.request('break', { pid })) as { delivered?: boolean; error?: string | null } | boolean | null;
      if (reply === true || (typeof reply === 'object' && reply?.delivered === true)) return null;
      const why = typeof reply === 'object' && reply?.error ? reply.error : 'the sampler could not attach to its console';
      return `CTRL_BREAK could not be sent to pid ${pid}: ${why}`;
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
    // Node's spawn, detached (DETACHED_PROCESS | CREATE_NEW_PROCESS_GROUP): the service
    // survives the console, so the next console can adopt it, but has no console, so no
    // CTRL_BREAK reaches it (docs/windows.md: known gaps) until the sampler launches it.
    launchService: launchWithNode,
    serviceOutput: 'file',
    // Job objects would be Windows' nearest thing; until then there is no such proof here.
    cgroups: noServiceCgroups('Windows has no cgroups'),
    listProcesses: table,
    // The sampler answers with the whole table in one round trip either way.
    async listWithChildren(pids) {
      const all = await table();
      const wanted = new Set<number>();
      const queue = all.filter((p) => pids.includes(p.pid));
      while (queue.length > 0) {
        const next = queue.shift() as ProcessInfo;
        if (wanted.has(next.pid)) continue;
        wanted.add(next.pid);
        queue.push(...all.filter((p) => p.ppid === next.pid && p.pid !== next.pid));
      }
      return all.filter((p) => wanted.has(p.pid));
    },
    async readProcess(pid) {
      return (await table()).find((p) => p.pid === pid) ?? null;
    },
    // Windows does not let one process read another's environment cheaply.
    async readEnvironmentVariable() {
      return null;
    },
    async listeners(ports) {
      const rows = (await sampler.request('listeners', { ports })) as PortListener[] | null;
      return rows ?? [];
    },
    // Windows has no POSIX signals: a contract's stop_signal (SIGTERM, SIGQUIT, …) is
    // CTRL_BREAK here, sent once to the service's process group (the root's console group).
    // A break that cannot be sent is said so, and the stop does not wait it out.
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
    async forceKill(root, members) {
      const targets = [...(root ? [root] : []), ...members];
      for (const target of targets) await run(forceKillCommand(target.pid));
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
