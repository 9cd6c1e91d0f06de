// The supervisor's side of the service cgroups (src/platform/service-cgroups.ts): making
// one for a service and moving its process in as soon as it exists, and reading who is in
// each of the fleet's cgroups — those the pid files record and those found by name (a
// cgroup outlives its pid file while a process is left in it) — with each member's start
// time, so ownership.ts can prove a member ours without trusting a reused pid.
import type { FleetCgroup } from '../platform/service-cgroups.ts';
import { listPidFiles, readPidFile } from './pid-file.ts';
import type { ServiceCgroup } from './ownership.ts';
import type { SupervisorContext } from './supervisor-context.ts';

/**
 * Moves the just-spawned `pid` into the service's cgroup; its v2 path, or null when the
 * host gives none. What the process forked before the move stays outside: the other
 * proofs (its group and session, its tag, having been seen) cover that.
 */
export async function placeInCgroup(context: SupervisorContext, cgroup: string | null, pid: number): Promise<string | null> {
  if (cgroup === null) return null;
  return (await context.platform.cgroups.moveInto(cgroup, pid)) ? cgroup : null;
}

/** Every cgroup of this fleet: recorded in a pid file or present by name. */
export async function fleetCgroups(context: SupervisorContext): Promise<FleetCgroup[]> {
  const { paths, platform } = context;
  const found = new Map<string, FleetCgroup>();
  for (const service of listPidFiles(paths.pids)) {
    const read = readPidFile(paths.pids, service);
    if (read.kind === 'ok' && read.record.cgroup) found.set(read.record.cgroup, { service, path: read.record.cgroup });
  }
  const services = context.contract.services.map((s) => s.name);
  for (const cgroup of await platform.cgroups.fleetCgroups(paths.fleetTag, services)) if (!found.has(cgroup.path)) found.set(cgroup.path, cgroup);
  return [...found.values()];
}

/**
 * Who is in each cgroup, read after `table` was: a member is kept with the start time it
 * has now, and only when the table shows the same process (a pid that changed hands
 * between the two reads matches neither).
 */
export async function cgroupMembers(context: SupervisorContext, cgroups: readonly FleetCgroup[]): Promise<ServiceCgroup[]> {
  const { platform } = context;
  if (platform.cgroups.unavailable !== null) return [];
  const result: ServiceCgroup[] = [];
  for (const cgroup of cgroups) {
    const members: ServiceCgroup['members'] = [];
    for (const pid of await platform.cgroups.members(cgroup.path)) {
      const info = await platform.readProcess(pid);
      if (info) members.push({ pid, start_token: info.startToken });
    }
    result.push({ ...cgroup, members });
  }
  return result;
}

/** How long a cgroup whose members were just killed may take to let go of them. */
const EMPTYING_MS = 2000;

/**
 * Removes the cgroup once it is empty, waiting a little: a killed member leaves
 * cgroup.procs as it starts to exit, but the kernel refuses to remove the cgroup (EBUSY)
 * until it has finished. False when something is still in it: it stays for a later stop or reap.
 */
export async function removeWhenEmpty(context: SupervisorContext, path: string): Promise<boolean> {
  const deadline = performance.now() + EMPTYING_MS;
  for (;;) {
    if (await context.platform.cgroups.removeIfEmpty(path)) return true;
    if (performance.now() >= deadline) return false;
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** Removes the cgroup when no member is left in it (a running service's never is empty); one with a member stays. */
export async function removeIfUnused(context: SupervisorContext, path: string): Promise<void> {
  if ((await context.platform.cgroups.members(path)).length === 0) await removeWhenEmpty(context, path);
}

/** Removes every cgroup of the fleet that has no member left. */
export async function removeEmptyCgroups(context: SupervisorContext): Promise<void> {
  for (const cgroup of await fleetCgroups(context)) await removeIfUnused(context, cgroup.path);
}
