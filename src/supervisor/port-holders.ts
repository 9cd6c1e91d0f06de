// Who holds a port: pid, command, and whether it is a survivor of ours (which evident
// may reap) or anything else (which evident never touches).
import type { PortHolder } from '../telemetry/fleet-snapshot.ts';
import { provenOurs } from './proven-ours.ts';
import type { SupervisorContext } from './supervisor-context.ts';
import { commandLineText } from '../platform/command-line-text.ts';

export async function describeHolders(context: SupervisorContext, ports: number[]): Promise<PortHolder[]> {
  const listeners = await context.platform.listeners(ports);
  if (listeners.length === 0) return [];
  const ours = await provenOurs(context, listeners.flatMap((l) => (l.pid === null ? [] : [l.pid])));
  const holders: PortHolder[] = [];
  for (const listener of listeners) {
    const info = listener.pid === null ? null : await context.platform.readProcess(listener.pid);
    holders.push({
      port: listener.port,
      pid: listener.pid,
      command: info ? commandLineText(info.argv) : '',
      ours: listener.pid !== null && ours.has(listener.pid),
      proof: listener.pid === null ? null : (ours.get(listener.pid)?.proof ?? null),
    });
  }
  return holders;
}
