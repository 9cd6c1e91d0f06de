// A cgroup (v2) of its own for each service: the strongest proof that a process is ours.
// Every process a member forks is born in the member's cgroup and cannot leave it without
// write access to another cgroup, so a descendant that calls setsid, scrubs its
// environment and double-forks is still found by listing the group. Where no cgroup can
// be had (a Linux host whose v2 hierarchy is not writable to us; the switch
// EVIDENT_CGROUPS=off) `noServiceCgroups` answers: nothing is created, nothing is a
// member, and `unavailable` says why, for the operator reading an unprovable leftover.
// Linux's implementation is linux-cgroups.ts. Every method answers a promise: the same
// proof on Windows is a job object, asked of the sampler process (windows-service-jobs.ts).
//
// A cgroup is named by its v2 path, as /proc/<pid>/cgroup's `0::` line shows it
// (`/evident-<fleet tag>/<service>`, below wherever the writable base is), so a pid file
// recording it means the same thing to every process that reads it.

export interface FleetCgroup {
  service: string;
  /** The v2 path, e.g. `/evident-3f0a…/web`. */
  path: string;
}

export interface ServiceCgroups {
  /** Why there is no cgroup proof on this host; null when there is one. */
  readonly unavailable: string | null;
  /** Creates (or finds) `<base>/evident-<fleetTag>/<service>`; its v2 path, or null when it cannot be had. */
  create(fleetTag: string, service: string): Promise<string | null>;
  /** Moves `pid` into the cgroup at `path`; false when the kernel refused (or it has gone). */
  moveInto(path: string, pid: number): Promise<boolean>;
  /** The pids in the cgroup at `path` (empty when it does not exist). */
  members(path: string): Promise<number[]>;
  /** The v2 cgroup path of `pid`, or null when it cannot be read. */
  cgroupOf(pid: number): Promise<string | null>;
  /**
   * The service cgroups of this fleet that exist now (found by name, whatever the pid files
   * say). `services`: the names to look for where the host cannot list by prefix (Windows'
   * job objects); Linux lists the fleet's folder, so it finds the cgroup of a service the
   * contract no longer has as well.
   */
  fleetCgroups(fleetTag: string, services?: readonly string[]): Promise<FleetCgroup[]>;
  /** Kills every member at once (cgroup.kill), or each listed member where the kernel has none. */
  killAll(path: string): Promise<void>;
  /** Removes the cgroup when it is empty, and the fleet's folder when that is empty too; true when it is gone. */
  removeIfEmpty(path: string): Promise<boolean>;
}

/** No cgroup proof here, and why (`switched off by EVIDENT_CGROUPS=off`). */
export function noServiceCgroups(reason: string): ServiceCgroups {
  return {
    unavailable: reason,
    create: async () => null,
    moveInto: async () => false,
    members: async () => [],
    cgroupOf: async () => null,
    fleetCgroups: async () => [],
    killAll: async () => {},
    removeIfEmpty: async () => true,
  };
}

/** What a recorded container is called: a job object on Windows (`Local\…`), a cgroup elsewhere. */
export function containerWord(path: string): 'cgroup' | 'job object' {
  return path.startsWith('Local\\') ? 'job object' : 'cgroup';
}

/** The folder of a fleet's cgroups below the base: one per state folder. */
export function fleetCgroupName(fleetTag: string): string {
  return `evident-${fleetTag}`;
}

/** The v2 path in `/proc/<pid>/cgroup` (its `0::` line), or null on a host without the v2 hierarchy. */
export function parseV2CgroupPath(text: string): string | null {
  for (const line of text.split('\n')) if (line.startsWith('0::')) return line.slice(3).trim() || null;
  return null;
}

/** The v2 hierarchy's mount in `/proc/self/mountinfo`: where it is mounted and which cgroup is its root. */
export function parseV2Mount(text: string): { mountPoint: string; root: string } | null {
  for (const line of text.split('\n')) {
    const [before, after] = line.split(' - ');
    if (after === undefined || after.split(' ')[0] !== 'cgroup2') continue;
    const fields = (before ?? '').split(' ');
    const root = fields[3];
    const mountPoint = fields[4];
    if (root === undefined || mountPoint === undefined) continue;
    return { mountPoint: unescapeMountPath(mountPoint), root: unescapeMountPath(root) };
  }
  return null;
}

/** mountinfo writes space, tab, newline and backslash as octal escapes (`\040`). */
function unescapeMountPath(text: string): string {
  return text.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(Number.parseInt(octal, 8)));
}

/** `cgroup.procs`: one pid a line. */
export function parsePidLines(text: string): number[] {
  return text
    .split('\n')
    .map((line) => Number(line.trim()))
    .filter((pid) => Number.isInteger(pid) && pid > 0);
}
