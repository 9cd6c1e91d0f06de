// Reaping what is ours and was left behind: the last leftover check's findings and the
// holders of contract ports proven ours. reap.ts re-checks each one's identity right
// before the signal, so nothing that is not ours is ever touched. Afterwards the fleet
// looks again, so the console shows what is still there.
import type { Leftover } from '../telemetry/fleet-snapshot.ts';
import { checkLeftovers } from './fleet-leftover-check.ts';
import { refreshPortHolders } from './fleet-port-holders.ts';
import { assertControl, setActivity, type FleetState } from './fleet-state.ts';
import { reapLeftovers } from './reap.ts';

export async function reapOurs(fleet: FleetState): Promise<void> {
  assertControl(fleet);
  const holders: Leftover[] = [];
  for (const runtime of fleet.runtimes.values()) {
    const h = runtime.portHolder;
    if (h?.ours) holders.push({ kind: 'listener', service: runtime.spec.name, pid: h.pid, ppid: null, command: h.command, port: h.port, ours: true, proof: h.proof });
  }
  setActivity(fleet, 'reaping leftovers of ours');
  try {
    await reapLeftovers(fleet.context, [...fleet.leftovers, ...holders]);
    await checkLeftovers(fleet, []);
    await refreshPortHolders(fleet);
  } finally {
    setActivity(fleet, null);
  }
}
