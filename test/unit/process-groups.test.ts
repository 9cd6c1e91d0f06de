// Whether a process left its service's process group or session: the one decision the
// supervisor (recording an escape) and the judges (re-reading it) share.
import { describe, expect, it } from 'vitest';
import { leftServiceGroup } from '../../src/platform/process-groups.ts';

const SERVICE = { pgid: 100, sid: 100 };

describe('leftServiceGroup', () => {
  it('is null for a member still in the service group and session', () => {
    expect(leftServiceGroup(SERVICE, { pgid: 100, sid: 100 })).toBeNull();
  });

  it('names the session for a member that called setsid (which also makes a new group)', () => {
    expect(leftServiceGroup(SERVICE, { pgid: 555, sid: 555 })).toBe('session');
  });

  it('names the group for a member that only called setpgid', () => {
    expect(leftServiceGroup(SERVICE, { pgid: 555, sid: 100 })).toBe('group');
  });

  it('finds nothing where the platform reports no groups (Windows: null), on either side', () => {
    expect(leftServiceGroup({ pgid: null, sid: null }, { pgid: null, sid: null })).toBeNull();
    expect(leftServiceGroup(SERVICE, { pgid: null, sid: null })).toBeNull();
    expect(leftServiceGroup({ pgid: null, sid: null }, { pgid: 555, sid: 555 })).toBeNull();
  });

  it('decides on the group alone when the session is not known (a pid file from before sessions were kept)', () => {
    expect(leftServiceGroup({ pgid: 100, sid: null }, { pgid: 555, sid: 555 })).toBe('group');
    expect(leftServiceGroup({ pgid: 100, sid: null }, { pgid: 100, sid: 555 })).toBeNull();
  });
});
