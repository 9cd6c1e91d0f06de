// The leftover check, after a stop, an exit or a reap: what of ours is still alive,
// defunct children, listeners on contract ports. Each finding is an event, and the
// snapshot shows the last check's findings.
import type { Leftover } from '../telemetry/fleet-snapshot.ts';
import { assertControl, type FleetState } from './fleet-state.ts';
import { leftoverEvidenceToJson } from './leftover-evidence-json.ts';
import { gatherLeftoverEvidence, judgeLeftovers, recordLeftovers } from './leftovers.ts';
import type { KnownOwner } from './ownership.ts';
import type { PidRecord } from './pid-file.ts';
import { emitNow, type SupervisorContext } from './supervisor-context.ts';

/** `everSeen`: processes known to have been the services' (a stop's or an exit's); `context`: where its events go. */
export async function checkLeftovers(fleet: FleetState, everSeen: KnownOwner[], context: SupervisorContext = fleet.context): Promise<Leftover[]> {
  assertControl(fleet);
  const running = [...fleet.runtimes.values()].filter((r) => r.record);
  const evidence = await gatherLeftoverEvidence(context, {
    everSeen,
    runningRoots: running.map((r) => (r.record as PidRecord).pid),
    runningServices: running.map((r) => r.spec.name),
  });
  const found = judgeLeftovers(evidence);
  recordLeftovers(context, found, evidence);
  for (const l of found) {
    emitNow(context, { type: 'leftover', kind: l.kind, service: l.service, pid: l.pid, ppid: l.ppid, command: l.command, port: l.port });
  }
  emitNow(context, { type: 'leftover-check', found: found.length, evidence: leftoverEvidenceToJson(evidence) });
  fleet.leftovers = found;
  fleet.leftoversCheckedAt = Date.now();
  fleet.publish();
  return found;
}
