// How a one-shot command (an exec probe) is started and ended on each platform: in a group
// of its own that one signal ends on Linux, by taskkill of its tree on Windows. The real
// kill on Linux is tested through the exec probe (health-probe.test.ts).
import { describe, expect, it } from 'vitest';
import { commandTreeSpawnOptions, planCommandTreeKill } from '../../src/platform/command-tree.ts';
import { windowsTools } from '../../src/platform/windows-system-paths.ts';

describe('a one-shot command tree', () => {
  it('on Linux is spawned detached (a group of its own) and ended by SIGKILL to that group', () => {
    expect(commandTreeSpawnOptions('linux')).toEqual({ detached: true, windowsHide: true });
    expect(planCommandTreeKill(4242, 'linux')).toEqual({ kind: 'group-signal', pgid: 4242, signal: 'SIGKILL' });
  });

  it('on Windows is spawned in the console it was given and ended by taskkill of its whole tree', () => {
    expect(commandTreeSpawnOptions('win32')).toEqual({ detached: false, windowsHide: true });
    expect(planCommandTreeKill(4242, 'win32')).toEqual({ kind: 'command', planned: { command: windowsTools().taskkill, args: ['/PID', '4242', '/T', '/F'] } });
  });
});
