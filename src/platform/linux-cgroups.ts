// Service cgroups on Linux (service-cgroups.ts says what they prove). The base is found
// once, when the platform is made: the v2 hierarchy's mount (from /proc/self/mountinfo:
// /sys/fs/cgroup on a pure-v2 host, /sys/fs/cgroup/unified in the hybrid v1+v2 mode) and
// our own cgroup (the `0::` line of /proc/self/cgroup); the base is the nearest of our
// cgroup and its ancestors whose folder and cgroup.procs we may write (root at `0::/`; a
// delegated systemd scope for a user). The kernel lets a process be moved only by one who
// may write cgroup.procs of both the target and the common ancestor of where it is and
// where it goes: a service is spawned in our cgroup, so a base at or above it is that
// ancestor. In the hybrid mode the v2 hierarchy has no controllers, so a process may sit
// in any v2 cgroup whatever its v1 cgroups are; no controller is ever enabled here, so the
// "no processes in an inner cgroup" rule never applies.
import { accessSync, constants, mkdirSync, readdirSync, readFileSync, rmdirSync, writeFileSync, existsSync } from 'node:fs';
import { posix } from 'node:path';
import { fleetCgroupName, parsePidLines, parseV2CgroupPath, parseV2Mount, noServiceCgroups, type ServiceCgroups } from './service-cgroups.ts';

export function createLinuxCgroups(procRoot = '/proc'): ServiceCgroups {
  const found = findWritableBase(procRoot);
  if (typeof found === 'string') return noServiceCgroups(found);
  const { mountPoint, mountRoot, base } = found;

  /** The folder of a v2 path (one below the mount's root cgroup). */
  const folderOf = (path: string): string => posix.join(mountPoint, posix.relative(mountRoot, path));
  const readMembers = (path: string): number[] => {
    try {
      return parsePidLines(readFileSync(posix.join(folderOf(path), 'cgroup.procs'), 'utf8'));
    } catch {
      return [];
    }
  };

  return {
    unavailable: null,

    async create(fleetTag, service) {
      const path = posix.join(base, fleetCgroupName(fleetTag), service);
      try {
        mkdirSync(folderOf(path), { recursive: true });
        return path;
      } catch {
        return null;
      }
    },

    async moveInto(path, pid) {
      try {
        writeFileSync(posix.join(folderOf(path), 'cgroup.procs'), String(pid));
        return true;
      } catch {
        return false;
      }
    },

    members: async (path) => readMembers(path),

    async cgroupOf(pid) {
      try {
        return parseV2CgroupPath(readFileSync(`${procRoot}/${pid}/cgroup`, 'utf8'));
      } catch {
        return null;
      }
    },

    async fleetCgroups(fleetTag) {
      const fleetPath = posix.join(base, fleetCgroupName(fleetTag));
      try {
        return readdirSync(folderOf(fleetPath), { withFileTypes: true })
          .filter((entry) => entry.isDirectory())
          .map((entry) => ({ service: entry.name, path: posix.join(fleetPath, entry.name) }));
      } catch {
        return [];
      }
    },

    async killAll(path) {
      const folder = folderOf(path);
      const killFile = posix.join(folder, 'cgroup.kill');
      // cgroup.kill (kernel 5.14+) kills every member at once, even one forking meanwhile.
      if (existsSync(killFile)) {
        try {
          writeFileSync(killFile, '1');
          return;
        } catch {
          // Fall back to one kill each.
        }
      }
      for (const pid of readMembers(path)) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // Gone already.
        }
      }
    },

    async removeIfEmpty(path) {
      try {
        rmdirSync(folderOf(path));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') return false;
      }
      // The fleet's folder goes with its last service (a sibling still there keeps it).
      const parent = posix.dirname(path);
      if (posix.basename(parent).startsWith('evident-')) {
        try {
          rmdirSync(folderOf(parent));
        } catch {
          // Not empty, or already gone.
        }
      }
      return true;
    },
  };
}

interface WritableBase {
  mountPoint: string;
  /** The cgroup the mount shows as its root (`/` but in a cgroup namespace's view of a bind mount). */
  mountRoot: string;
  /** The v2 path below which the fleets' cgroups are made. */
  base: string;
}

/** The writable base, or why there is none. */
function findWritableBase(procRoot: string): WritableBase | string {
  const mountinfo = readText(`${procRoot}/self/mountinfo`);
  const mount = mountinfo === null ? null : parseV2Mount(mountinfo);
  if (mount === null) return 'no cgroup v2 hierarchy is mounted on this host';
  const own = parseV2CgroupPath(readText(`${procRoot}/self/cgroup`) ?? '');
  if (own === null) return 'this process is in no cgroup v2';
  for (let path = own; ; path = posix.dirname(path)) {
    const relative = posix.relative(mount.root, path);
    if (relative.startsWith('..')) break;
    const folder = posix.join(mount.mountPoint, relative);
    if (writable(folder) && writable(posix.join(folder, 'cgroup.procs'))) return { mountPoint: mount.mountPoint, mountRoot: mount.root, base: path };
    if (path === mount.root || path === '/') break;
  }
  return `the cgroup v2 hierarchy at ${mount.mountPoint} is not writable here (this process is in ${own})`;
}

function writable(path: string): boolean {
  try {
    accessSync(path, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

function readText(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}
