// Whether a process left its service's process group or session. A service is spawned
// detached: on Linux in a session and a process group of its own, both led by the
// service's own pid, so everything it starts stays in them unless it calls setsid or
// setpgid (a daemon's double fork). One that left is an escapee: a graceful stop of the
// group no longer reaches it, and only evident's records or tag still find it.
// Where the platform reports no groups (Windows: pgid and sid are null) nothing is ever
// found to have left: the answer is null. Pure, so the supervisor that records an escape
// and the judge that re-reads it decide alike.

export interface ProcessGroup {
  pgid: number | null;
  sid: number | null;
}

/** `session` when it is in another session, `group` when only its group differs, null when it stayed (or cannot be told). */
export function leftServiceGroup(service: ProcessGroup, member: ProcessGroup): 'session' | 'group' | null {
  if (service.sid !== null && member.sid !== null && member.sid !== service.sid) return 'session';
  if (service.pgid !== null && member.pgid !== null && member.pgid !== service.pgid) return 'group';
  return null;
}
