// Who holds the port at readiness, judged over hand-built evidence: the service's own
// process, anything below it or proven the service's counts; anything else is foreign and
// named; a holder that cannot be seen is unknown, never foreign. Which probes it applies to.
import { describe, expect, it } from 'vitest';
import type { ResolvedService } from '../../src/contract/contract.ts';
import { describeForeignHolder, judgePortHolder, probesOwnPort, type PortHolderEvidence } from '../../src/supervisor/readiness-port-holder.ts';
import { processInfo } from './process-info.ts';

const table = [
  processInfo(1, 0, { argv: ['/sbin/init'] }),
  processInfo(500, 1, { argv: ['nginx: master process'] }),
  processInfo(501, 500, { argv: ['nginx: worker process'] }),
  processInfo(600, 1, { argv: ['python3', '-m', 'http.server', '7020'] }),
  processInfo(700, 1, { argv: ['escaped-worker'] }),
];

function evidence(extra: Partial<PortHolderEvidence>): PortHolderEvidence {
  return { service: 'web', port: 7020, rootPid: 500, listeners: [], table, owned: new Map(), ...extra };
}

describe('judgePortHolder', () => {
  it('accepts the service process and the workers below it that share its socket', () => {
    expect(judgePortHolder(evidence({ listeners: [{ port: 7020, pid: 500 }, { port: 7020, pid: 501 }] }))).toEqual({ status: 'service', pids: [500, 501] });
    expect(judgePortHolder(evidence({ listeners: [{ port: 7020, pid: 501 }] }))).toEqual({ status: 'service', pids: [501] });
  });

  it('accepts a holder outside the tree that ownership proves the service’s, and only this service’s', () => {
    const listeners = [{ port: 7020, pid: 700 }];
    expect(judgePortHolder(evidence({ listeners, owned: new Map([[700, { service: 'web', proof: { kind: 'tag' as const } }]]) }))).toEqual({ status: 'service', pids: [700] });
    expect(judgePortHolder(evidence({ listeners, owned: new Map([[700, { service: 'api', proof: { kind: 'tag' as const } }]]) })).status).toBe('foreign');
  });

  it('names a foreign holder, even beside the service’s own', () => {
    const verdict = judgePortHolder(evidence({ listeners: [{ port: 7020, pid: 501 }, { port: 7020, pid: 600 }] }));
    expect(verdict).toEqual({ status: 'foreign', holders: [{ pid: 600, command: 'python3 -m http.server 7020' }] });
    if (verdict.status !== 'foreign') throw new Error('foreign expected');
    expect(describeForeignHolder('api-gateway', 7020, verdict.holders)).toBe('port 7020 is held by pid 600 (python3 -m http.server 7020), not by api-gateway\'s process tree');
  });

  it('says unknown when no holder can be seen, and ignores other ports', () => {
    expect(judgePortHolder(evidence({ listeners: [{ port: 7020, pid: null }] }))).toEqual({ status: 'unknown', why: "the owner of the socket on port 7020 cannot be seen (another user's process, or the OS does not say)" });
    expect(judgePortHolder(evidence({ listeners: [{ port: 7021, pid: 600 }] }))).toEqual({ status: 'unknown', why: 'no listening socket on port 7020 can be seen here' });
    expect(judgePortHolder(evidence({ listeners: [{ port: 7020, pid: null }, { port: 7020, pid: 500 }] }))).toEqual({ status: 'service', pids: [500] });
  });
});

describe('probesOwnPort', () => {
  const service = (health: Record<string, unknown>) => ({ name: 'web', port: 7020, health }) as unknown as ResolvedService;
  it('holds for http and tcp probes of the service port on this host', () => {
    expect(probesOwnPort(service({ kind: 'http', path: '/healthz' }))).toBe(true);
    expect(probesOwnPort(service({ kind: 'tcp', host: '::1' }))).toBe(true);
    expect(probesOwnPort(service({ kind: 'tcp', host: 'localhost', port: 7020 }))).toBe(true);
    expect(probesOwnPort(service({ kind: 'http', host: '127.0.0.2' }))).toBe(true);
  });
  it('does not hold for exec probes, another port or another host', () => {
    expect(probesOwnPort(service({ kind: 'exec', command: 'true', args: [] }))).toBe(false);
    expect(probesOwnPort(service({ kind: 'http', port: 9090 }))).toBe(false);
    expect(probesOwnPort(service({ kind: 'tcp', host: 'db.internal' }))).toBe(false);
  });
});
