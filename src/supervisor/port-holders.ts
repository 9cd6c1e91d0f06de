// Who holds a port: pid, command, and whether it is a survivor of ours (which evident
// may reap) or anything else (which evident never touches).
import type { PortHolder } from '../telemetry/fleet-snapshot.ts';
import { knownProcesses } from './known-processes.ts';
import { ownershipOf } from './ownership.ts';
import type { SupervisorContext } from './supervisor-context.ts';

export async function describeHolders(context: SupervisorContext, ports: number[]): Promise<PortHolder[]> {
  const listeners = await context.platform.listeners(ports);
  if (listeners.length === 0) return [];
  const known = knownProcesses(context.paths);
  const holders: PortHolder[] = [];
  for (const listener of listeners) {
    const info = listener.pid === null ? null : await context.platform.readProcess(listener.pid);
    const ownership = info ? await ownershipOf(context, info, known) : { ours: false, service: null };
    holders.push({
      port: listener.port,
      pid: listener.pid,
      command: info ? info.argv.join(' ') : '',
      ours: ownership.ours,
    });
  }
  return holders;
}
