// What a stop or a leftover check found, as plain lines and as JSON, the same for `down`
// and `zombies`: leftovers, processes that left their service's group or session, and
// orphans that outlived their service until the kill.
import type { StopEscapee, StopLeftover } from '../gates/stop-findings.ts';
import type { Leftover, OwnershipProof } from '../src/telemetry/fleet-snapshot.ts';
import { reapedWhen } from '../src/supervisor/unreaped-children.ts';
import { containerWord } from '../src/platform/service-cgroups.ts';

export function describeLeftover(l: Leftover): string {
  if (l.awaitedBy) {
    const { service, pid } = l.awaitedBy;
    return `defunct child of ${service}: pid ${l.pid ?? '?'} ppid ${l.ppid ?? '?'} ${l.command || '(defunct)'} [not collected by its parent: ${reapedWhen({ service, ppid: pid })}; evident ends no running service for it]`;
  }
  const what = l.kind === 'listener' ? `listener on port ${l.port}` : l.kind === 'defunct' ? 'defunct process' : 'orphan process';
  const owner = l.service ? ` of ${l.service}` : '';
  const why = l.proof === null ? '' : l.kind === 'defunct' ? `: its parent is ours, ${describeProof(l.proof)}` : `: ${describeProof(l.proof)}`;
  const unproven = l.unproven ? ` (started ${l.unproven.started_at}; ${l.unproven.why.join('; ')})` : '';
  const proof = l.ours ? `ours${why}` : `not proven ours${unproven}: left alone`;
  const port = l.kind !== 'listener' && l.port !== null ? ` holding port ${l.port}` : '';
  return `${what}${owner}: pid ${l.pid ?? '?'} ppid ${l.ppid ?? '?'} ${l.command || '(command unknown)'}${port} [${proof}]`;
}

/** What made a process ours, in a few words: `by its service's process group 8397, whose leader is gone`. */
export function describeProof(proof: OwnershipProof): string {
  switch (proof.kind) {
    case 'cgroup':
      return `by its service's ${containerWord(proof.path)} ${proof.path}`;
    case 'recorded':
      return 'by its recorded pid and start time';
    case 'tag':
      return 'by the fleet tag in its environment';
    case 'group':
    case 'session': {
      const what = proof.kind === 'group' ? `process group ${proof.pgid}` : `session ${proof.sid}`;
      return `by its service's ${what}, ${proof.leader === 'recorded' ? 'led by the recorded process' : 'whose leader is gone'}`;
    }
  }
}

export function leftoverJson(l: Leftover) {
  const awaited = l.awaitedBy ? { awaited_by: { service: l.awaitedBy.service, pid: l.awaitedBy.pid, reaped_when: reapedWhen({ service: l.awaitedBy.service, ppid: l.awaitedBy.pid }) } } : {};
  return { kind: l.kind, service: l.service, pid: l.pid, ppid: l.ppid, command: l.command, port: l.port, ours: l.ours, proof: l.proof, ...awaited, ...(l.unproven ? { unproven: l.unproven } : {}) };
}

/** `escaped process of leaky: pid 4242 ppid 4240 pgid 4242 sid 4242 python3 escapee.py [left the service's session (pgid 4238 sid 4238); ended with the stop]` */
export function describeEscapee(e: StopEscapee): string {
  const left = e.left === 'session' ? 'session' : 'process group';
  const port = e.port !== null ? ` holding port ${e.port}` : '';
  const how = e.killed ? 'ignored the stop: killed' : 'ended with the stop';
  const group = `pgid ${e.service_group.pgid ?? '?'} sid ${e.service_group.sid ?? '?'}`;
  return `escaped process of ${e.service}: pid ${e.pid} ppid ${e.ppid} pgid ${e.pgid ?? '?'} sid ${e.sid ?? '?'} ${e.command || '(command unknown)'}${port} [left the service's ${left} (${group}); ${how}]`;
}

export function escapeeJson(e: StopEscapee) {
  return { service: e.service, pid: e.pid, ppid: e.ppid, pgid: e.pgid, sid: e.sid, left: e.left, command: e.command, port: e.port, service_group: e.service_group, killed: e.killed };
}

/** An orphan killed at the stop timeout after its service's own process had ended. */
export function describeOutlived(l: StopLeftover): string {
  return `orphan process of ${l.service ?? '?'}: pid ${l.pid ?? '?'} ppid ${l.ppid ?? '?'} ${l.command || '(command unknown)'} [outlived its service; killed after ${l.killed_after_ms ?? '?'} ms]`;
}
