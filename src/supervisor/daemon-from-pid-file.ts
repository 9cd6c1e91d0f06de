// A service declared `daemonizes` (systemd's Type=forking with PIDFile=): the process
// evident starts is only a launcher. It must exit 0; then the pid in the contract's
// pid_file is the service's process, once it holds a live process that is ours.
// The proof (recorded in the service's pid file, `daemon.proof`):
// - "pid_file": the pid was read from the file the contract says the daemon writes;
// - "started_after_launcher": that process started no earlier than the launcher did, so
//   a stale file naming an older process (or a reused pid) is never taken;
// - "tag", as well, when the daemon still carries this fleet's tag in its environment
//   (redis does; nginx overwrites its environment when it renames itself, so not there);
// - "launcher_session", as well, when it stayed in the session evident created (a daemon
//   that did not call setsid).
// A daemon normally calls setsid and so leads a new session and group: that group is
// recorded, and it is where the stop signal goes.
import { readFileSync } from 'node:fs';
import type { ResolvedService } from '../contract/contract.ts';
import type { ProcessInfo } from '../platform/platform.ts';
import type { SupervisorContext } from './supervisor-context.ts';

export type DaemonProof = 'pid_file' | 'started_after_launcher' | 'tag' | 'launcher_session';

/** What a daemonizing service's pid file records about how its process was found. */
export interface DaemonOrigin {
  pid_file: string;
  launcher_pid: number;
  proof: DaemonProof[];
}

export type DaemonSearch =
  | { ok: true; daemon: ProcessInfo; origin: DaemonOrigin }
  | { ok: false; reason: string; launcherRunning: boolean };

export interface Launcher {
  pid: number;
  /** When it started, as the process table says (the same clock a daemon's start is read on). */
  startedAtMs: number;
  sid: number | null;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const POLL_MS = 20;

/** Waits, until `deadlineMs` (performance.now()), for the launcher to exit 0 and its pid file to name a live daemon of ours. */
export async function findDaemon(context: SupervisorContext, service: ResolvedService, launcher: Launcher, deadlineMs: number): Promise<DaemonSearch> {
  const pidFile = service.pid_file as string;
  const timeout = `${service.startup_timeout_s} s`;
  let exit: { code: number | null; signal: NodeJS.Signals | null } | null = null;
  void launcher.exited.then((e) => (exit = e));
  while (exit === null) {
    if (performance.now() >= deadlineMs) {
      return { ok: false, launcherRunning: true, reason: `its launcher (pid ${launcher.pid}) did not exit within ${timeout}: a daemonizing program's first process exits once the daemon runs` };
    }
    await pause();
  }
  const { code, signal } = exit as { code: number | null; signal: NodeJS.Signals | null };
  if (code !== 0) {
    return { ok: false, launcherRunning: false, reason: `its launcher (pid ${launcher.pid}) exited${code !== null ? ` with code ${code}` : ''}${signal ? ` on ${signal}` : ''}` };
  }
  let seen = `${pidFile} did not appear`;
  for (;;) {
    const pid = readPid(pidFile);
    if (pid === 'missing') seen = `${pidFile} did not appear`;
    else if (pid === 'unreadable') seen = `${pidFile} never held a pid`;
    else {
      const daemon = await context.platform.readProcess(pid);
      if (daemon === null || daemon.state === 'Z') seen = `${pidFile} names pid ${pid}, which is not running`;
      else if (daemon.startedAtMs < launcher.startedAtMs) seen = `${pidFile} names pid ${pid}, which started before the launcher (a stale file or a pid reused)`;
      else return { ok: true, daemon, origin: { pid_file: pidFile, launcher_pid: launcher.pid, proof: await proofOf(context, service, launcher, daemon) } };
    }
    if (performance.now() >= deadlineMs) return { ok: false, launcherRunning: false, reason: `${seen} within ${timeout} after its launcher exited 0` };
    await pause();
  }
}

async function proofOf(context: SupervisorContext, service: ResolvedService, launcher: Launcher, daemon: ProcessInfo): Promise<DaemonProof[]> {
  const proof: DaemonProof[] = ['pid_file', 'started_after_launcher'];
  const [fleet, name] = await Promise.all([
    context.platform.readEnvironmentVariable(daemon.pid, 'EVIDENT_FLEET'),
    context.platform.readEnvironmentVariable(daemon.pid, 'EVIDENT_SERVICE'),
  ]);
  if (fleet === context.paths.fleetTag && name === service.name) proof.push('tag');
  if (launcher.sid !== null && daemon.sid === launcher.sid) proof.push('launcher_session');
  return proof;
}

/** The pid a pid file holds: its first line, a positive whole number (nginx and redis add a newline). */
function readPid(path: string): number | 'missing' | 'unreadable' {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return 'missing';
  }
  const first = text.split('\n')[0]?.trim() ?? '';
  return /^[1-9]\d*$/.test(first) ? Number(first) : 'unreadable';
}

function pause(): Promise<void> {
  return new Promise((r) => setTimeout(r, POLL_MS));
}
