// Reaping asks each leftover proven ours to stop with its own service's stop_signal (once),
// SIGTERM when the service is not known; checked on a platform that records what it is
// asked to send, so nothing is really signalled.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Contract, ResolvedService } from '../../src/contract/contract.ts';
import { resolveStatePaths } from '../../src/paths/state-paths.ts';
import type { Platform, ProcessInfo } from '../../src/platform/platform.ts';
import { noServiceCgroups } from '../../src/platform/service-cgroups.ts';
import { reapLeftovers } from '../../src/supervisor/reap.ts';
import type { SupervisorContext } from '../../src/supervisor/supervisor-context.ts';
import type { Leftover } from '../../src/telemetry/fleet-snapshot.ts';
import { processInfo } from './process-info.ts';

let dir = '';
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('reapLeftovers', () => {
  it("sends each leftover its service's stop_signal, once, and SIGTERM to one of no known service", async () => {
    dir = mkdtempSync(join(tmpdir(), 'evident-reap-signals-'));
    const paths = resolveStatePaths(join(dir, 'state'));
    const alive = new Map<number, ProcessInfo>([701, 702, 703].map((pid) => [pid, processInfo(pid, 1)]));
    const asked: { pids: number[]; signal: string | undefined }[] = [];
    const platform = {
      listProcesses: async () => [...alive.values()],
      readProcess: async (pid: number) => alive.get(pid) ?? null,
      readEnvironmentVariable: async (_pid: number, name: string) => (name === 'EVIDENT_FLEET' ? paths.fleetTag : null),
      requestStop: async (_root: ProcessInfo | null, members: ProcessInfo[], signal?: NodeJS.Signals) => {
        asked.push({ pids: members.map((m) => m.pid), signal });
        for (const m of members) alive.delete(m.pid);
        return { group: null, pids: members.map((m) => m.pid) };
      },
      forceKill: async () => {},
      cgroups: noServiceCgroups('not asked here'),
    } as unknown as Platform;
    const service = (name: string, stop_signal: ResolvedService['stop_signal']) => ({ name, stop_signal }) as ResolvedService;
    const context: SupervisorContext = {
      platform,
      paths,
      contract: { services: [service('nginx', 'SIGQUIT'), service('web', 'SIGTERM')] } as Contract,
      emit: () => {},
    };
    const leftover = (pid: number, svc: string | null): Leftover => ({ kind: 'orphan', service: svc, pid, ppid: 1, command: `proc-${pid}`, port: null, ours: true, proof: { kind: 'tag' } });
    const reaped = await reapLeftovers(context, [leftover(701, 'nginx'), leftover(702, 'web'), leftover(703, null), leftover(701, 'nginx')]);
    expect(reaped.map((p) => p.pid)).toEqual([701, 702, 703]);
    expect(asked).toEqual([
      { pids: [701], signal: 'SIGQUIT' },
      { pids: [702, 703], signal: 'SIGTERM' },
    ]);
  });
});
