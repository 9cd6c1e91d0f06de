// Reading where the cgroup v2 hierarchy is and which cgroup a process is in: the files
// as the kernel writes them, on a hybrid v1+v2 host and a pure-v2 one.
import { describe, expect, it } from 'vitest';
import { fleetCgroupName, noServiceCgroups, parsePidLines, parseV2CgroupPath, parseV2Mount } from '../../src/platform/service-cgroups.ts';

describe('parseV2CgroupPath', () => {
  it('takes the 0:: line among the v1 ones (hybrid) or alone (pure v2)', () => {
    expect(parseV2CgroupPath('9:name=systemd:/\n4:memory:/process_api/84\n0::/\n')).toBe('/');
    expect(parseV2CgroupPath('0::/user.slice/user-1000.slice/session-3.scope\n')).toBe('/user.slice/user-1000.slice/session-3.scope');
  });

  it('is null where there is no v2 hierarchy', () => {
    expect(parseV2CgroupPath('4:memory:/\n1:cpu:/\n')).toBeNull();
  });
});

describe('parseV2Mount', () => {
  it('finds the cgroup2 mount, its mount point and root, past the v1 mounts', () => {
    const mountinfo = [
      '35 30 0:30 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory',
      '40 30 0:37 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw',
    ].join('\n');
    expect(parseV2Mount(mountinfo)).toEqual({ mountPoint: '/sys/fs/cgroup/unified', root: '/' });
  });

  it('reads optional fields and octal escapes', () => {
    expect(parseV2Mount('29 23 0:26 /user.slice /sys/fs/my\\040cgroup rw,nosuid shared:4 - cgroup2 cgroup2 rw,nsdelegate')).toEqual({ mountPoint: '/sys/fs/my cgroup', root: '/user.slice' });
  });

  it('is null without a cgroup2 mount', () => {
    expect(parseV2Mount('35 30 0:30 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory\n')).toBeNull();
  });
});

describe('the rest', () => {
  it('reads cgroup.procs and names a fleet folder by its tag', () => {
    expect(parsePidLines('12\n345\n\n')).toEqual([12, 345]);
    expect(fleetCgroupName('3f0a')).toBe('evident-3f0a');
  });

  it('where there are no cgroups, says why, makes none and finds no member', async () => {
    const none = noServiceCgroups('Windows has no cgroups');
    expect(none.unavailable).toBe('Windows has no cgroups');
    expect(await none.create('3f0a', 'web')).toBeNull();
    expect(await none.moveInto('/evident-3f0a/web', process.pid)).toBe(false);
    expect(await none.members('/')).toEqual([]);
  });
});
