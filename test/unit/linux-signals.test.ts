// What the Linux platform sends, and to whom, with process.kill watched and nothing really
// signalled: a stop reaches each process exactly once (the group the service's process
// leads, or its pid alone; then each member outside that group), in the contract's signal.
// A real process often cannot tell a doubled signal (the kernel merges a second SIGTERM
// still pending), which is why the count is checked here, at the call.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createLinuxPlatform } from '../../src/platform/linux.ts';
import { processInfo } from './process-info.ts';

const sent: [number, string][] = [];
afterEach(() => {
  vi.restoreAllMocks();
  sent.length = 0;
});

function watchKills(): void {
  vi.spyOn(process, 'kill').mockImplementation((pid: number, signal?: string | number) => {
    sent.push([pid, String(signal)]);
    return true;
  });
}

describe('requestStop', () => {
  it('sends a root that leads its group one signal, to the group, and its group members nothing more', async () => {
    const platform = createLinuxPlatform();
    watchKills();
    const root = processInfo(500, 1);
    const worker = processInfo(501, 500, { pgid: 500, sid: 500 });
    const delivery = await platform.requestStop(root, [worker], 'SIGQUIT');
    expect(sent).toEqual([[-500, 'SIGQUIT']]);
    expect(delivery).toEqual({ group: 500, pids: [], undelivered: [] });
  });

  it('sends a root that leads no group one signal, to its pid, and each member its own', async () => {
    const platform = createLinuxPlatform();
    watchKills();
    const root = processInfo(600, 1, { pgid: 42, sid: 42 });
    const child = processInfo(601, 600, { pgid: 42, sid: 42 });
    const delivery = await platform.requestStop(root, [child]);
    expect(sent).toEqual([
      [600, 'SIGTERM'],
      [601, 'SIGTERM'],
    ]);
    expect(delivery).toEqual({ group: null, pids: [600, 601], undelivered: [] });
  });

  it('sends members that left the group theirs, once each, and each member given twice once', async () => {
    const platform = createLinuxPlatform();
    watchKills();
    const root = processInfo(700, 1);
    const escapee = processInfo(702, 701, { pgid: 702, sid: 702 });
    await platform.requestStop(root, [escapee, escapee], 'SIGINT');
    expect(sent).toEqual([
      [-700, 'SIGINT'],
      [702, 'SIGINT'],
    ]);
  });

  it('without a root, sends each member its own', async () => {
    const platform = createLinuxPlatform();
    watchKills();
    await platform.requestStop(null, [processInfo(801, 1, { pgid: 800 }), processInfo(802, 1, { pgid: 800 })]);
    expect(sent).toEqual([
      [801, 'SIGTERM'],
      [802, 'SIGTERM'],
    ]);
  });
});

describe('requestStop, when a signal cannot be sent', () => {
  it('names each target the kernel refused (EPERM), and takes one already gone (ESRCH) for no failure', async () => {
    const platform = createLinuxPlatform();
    const refuse = (code: string) => Object.assign(new Error(`kill ${code}`), { code });
    vi.spyOn(process, 'kill').mockImplementation((pid: number) => {
      if (pid === -700) throw refuse('EPERM');
      if (pid === 702) throw refuse('ESRCH');
      return true;
    });
    const delivery = await platform.requestStop(processInfo(700, 1), [processInfo(701, 1, { pgid: 701 }), processInfo(702, 1, { pgid: 702 })]);
    expect(delivery).toEqual({
      group: null,
      pids: [701, 702],
      undelivered: [{ pid: 700, reason: 'SIGTERM to process group 700 was refused (EPERM)' }],
    });
  });
});

describe('sendSignal (a reload)', () => {
  it('sends the group a leader leads one signal, and a process that leads none its own', async () => {
    const platform = createLinuxPlatform();
    expect(platform.reloadRefusal).toBeNull();
    watchKills();
    expect(await platform.sendSignal(processInfo(900, 1), 'SIGHUP')).toEqual({ group: 900, pids: [], undelivered: [] });
    expect(await platform.sendSignal(processInfo(910, 1, { pgid: 3 }), 'SIGUSR2')).toEqual({ group: null, pids: [910], undelivered: [] });
    expect(sent).toEqual([
      [-900, 'SIGHUP'],
      [910, 'SIGUSR2'],
    ]);
  });
});
