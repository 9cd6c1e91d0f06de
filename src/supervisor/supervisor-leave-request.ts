// How another evident process asks the background supervisor (evident supervise) to let
// go of the fleet: a small file in the state folder naming the supervisor it is meant
// for (pid and start token, so a request left behind never reaches a later supervisor).
// A file rather than a signal: the same on every platform, and nothing is signalled.
import { readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../fs/atomic-write.ts';

/** The lock purpose of the background supervisor: any other evident process may ask it to leave. */
export const SUPERVISOR_PURPOSE = 'evident supervisor';

export interface LeaveRequest {
  pid: number;
  start_token: string;
  /** Who asks, for the supervisor's log. */
  by: number;
}

export function leaveRequestPath(stateRoot: string): string {
  return join(stateRoot, 'supervisor.leave');
}

export function requestLeave(stateRoot: string, supervisor: { pid: number; start_token: string }): void {
  const request: LeaveRequest = { pid: supervisor.pid, start_token: supervisor.start_token, by: process.pid };
  writeFileAtomic(leaveRequestPath(stateRoot), `${JSON.stringify(request)}\n`, 0o600);
}

/** The request addressed to this supervisor, or null. */
export function leaveRequestFor(stateRoot: string, self: { pid: number; start_token: string }): LeaveRequest | null {
  // Asked ten times a second for days: a missing file must cost no thrown error.
  if (statSync(leaveRequestPath(stateRoot), { throwIfNoEntry: false }) === undefined) return null;
  let request: LeaveRequest;
  try {
    request = JSON.parse(readFileSync(leaveRequestPath(stateRoot), 'utf8')) as LeaveRequest;
  } catch {
    return null;
  }
  return request.pid === self.pid && request.start_token === self.start_token ? request : null;
}

export function clearLeaveRequest(stateRoot: string): void {
  rmSync(leaveRequestPath(stateRoot), { force: true });
}
