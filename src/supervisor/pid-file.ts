// Pid files: what evident knows about a service it started, kept in state/pids/ so a
// console that was killed can be followed by one that adopts the fleet. The start token
// and command line are the proof that a pid is still ours (pids are reused).
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../fs/atomic-write.ts';
import type { DaemonOrigin } from './daemon-from-pid-file.ts';

export interface KnownProcess {
  pid: number;
  start_token: string;
  argv: string[];
}

export interface PidRecord extends KnownProcess {
  service: string;
  pgid: number | null;
  /** Its session (POSIX); null where the OS has none, or in a pid file written before it was kept. */
  sid: number | null;
  /** ISO time the process started. */
  started_at: string;
  contract_hash: string;
  restarts: number;
  /** Every process ever seen as a descendant of the service, with its own identity. */
  descendants: KnownProcess[];
  /**
   * The v2 path of the cgroup evident created for the service and moved its process into
   * (service-cgroups.ts); null where the host gives none, absent in a pid file written before.
   */
  cgroup?: string | null;
  /** For a service declared `daemonizes`: the launcher it came from and the proof it is ours. */
  daemon?: DaemonOrigin;
}

export function pidFilePath(folder: string, service: string): string {
  return join(folder, `${service}.json`);
}

export function writePidFile(folder: string, record: PidRecord): void {
  writeFileAtomic(pidFilePath(folder, record.service), `${JSON.stringify(record, null, 2)}\n`);
}

export type PidFileRead =
  | { kind: 'missing' }
  | { kind: 'ok'; record: PidRecord }
  | { kind: 'corrupt'; reason: string };

export function readPidFile(folder: string, service: string): PidFileRead {
  let text: string;
  try {
    text = readFileSync(pidFilePath(folder, service), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'missing' };
    return { kind: 'corrupt', reason: (error as Error).message };
  }
  try {
    const record = JSON.parse(text) as PidRecord;
    if (!Number.isInteger(record.pid) || typeof record.start_token !== 'string' || !Array.isArray(record.argv)) {
      return { kind: 'corrupt', reason: 'missing pid, start_token or argv' };
    }
    record.descendants ??= [];
    record.sid ??= null;
    return { kind: 'ok', record };
  } catch (error) {
    return { kind: 'corrupt', reason: (error as Error).message };
  }
}

export function removePidFile(folder: string, service: string): void {
  rmSync(pidFilePath(folder, service), { force: true });
}

/** Names of services with a pid file, including ones no longer in the contract. */
export function listPidFiles(folder: string): string[] {
  try {
    return readdirSync(folder)
      .filter((f) => f.endsWith('.json') && !f.startsWith('.'))
      .map((f) => f.slice(0, -'.json'.length));
  } catch {
    return [];
  }
}
