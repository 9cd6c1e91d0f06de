// Leftovers as plain lines and as JSON, the same for `down` and `zombies`.
import type { Leftover } from '../telemetry/fleet-snapshot.ts';

export function describeLeftover(l: Leftover): string {
  const what = l.kind === 'listener' ? `listener on port ${l.port}` : l.kind === 'defunct' ? 'defunct process' : 'orphan process';
  const owner = l.service ? ` of ${l.service}` : '';
  const proof = l.ours ? 'ours' : 'not proven ours: left alone';
  const port = l.kind !== 'listener' && l.port !== null ? ` holding port ${l.port}` : '';
  return `${what}${owner}: pid ${l.pid ?? '?'} ppid ${l.ppid ?? '?'} ${l.command || '(command unknown)'}${port} [${proof}]`;
}

export function leftoverJson(l: Leftover) {
  return { kind: l.kind, service: l.service, pid: l.pid, ppid: l.ppid, command: l.command, port: l.port, ours: l.ours };
}
