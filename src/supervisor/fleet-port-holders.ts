// Who holds the port of each service that is not running, so the console can say why a
// start would fail (and whether the holder is ours to reap) before anyone tries it.
import type { FleetState } from './fleet-state.ts';
import { describeHolders } from './port-holders.ts';

export async function refreshPortHolders(fleet: FleetState): Promise<void> {
  const idle = [...fleet.runtimes.values()].filter((r) => !r.record && r.state !== 'starting');
  if (idle.length === 0) return;
  const holders = await describeHolders(fleet.context, idle.map((r) => r.spec.port));
  for (const runtime of idle) runtime.portHolder = holders.find((h) => h.port === runtime.spec.port) ?? null;
}
