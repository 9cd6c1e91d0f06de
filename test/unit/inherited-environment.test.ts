// What a service inherits of evident's environment, and where its command is then looked
// for: all of it by default, none with inherit_env false, only the names listed otherwise.
import { describe, expect, it } from 'vitest';
import { POSIX_DEFAULT_PATH, resolveCommand } from '../../src/platform/resolve-command.ts';
import { inheritedEnvironment } from '../../src/supervisor/inherited-environment.ts';

const base = { PATH: '/opt/bin:/usr/bin', HOME: '/root', GITHUB_TOKEN: 'ghp_x', Path: 'odd' };

describe('inheritedEnvironment', () => {
  it('passes everything when inherit_env is absent or true', () => {
    expect(inheritedEnvironment({}, base)).toEqual(base);
    expect(inheritedEnvironment({ inherit_env: true }, base)).toEqual(base);
  });

  it('passes nothing when inherit_env is false', () => {
    expect(inheritedEnvironment({ inherit_env: false }, base)).toEqual({});
  });

  it.skipIf(process.platform === 'win32')('passes only the names listed, exactly as written on POSIX', () => {
    expect(inheritedEnvironment({ inherit_env: ['PATH', 'LANG'] }, base)).toEqual({ PATH: '/opt/bin:/usr/bin' });
  });
});

describe.skipIf(process.platform === 'win32')('resolveCommand without PATH', () => {
  it("looks where spawn will: the system's default path, and says so", () => {
    const found = resolveCommand('env', '/', {});
    expect(found.path).toBe('/usr/bin/env');
    expect(found.searched).toBe(`on the default path ${POSIX_DEFAULT_PATH} (the service's environment has no PATH)`);
  });

  it('looks on the PATH it is given otherwise', () => {
    expect(resolveCommand('env', '/', { PATH: '/nonexistent' }).path).toBeNull();
  });
});
