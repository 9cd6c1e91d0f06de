// The leftover check, after a stop, an exit or a reap: what of ours is still alive,
// defunct children, listeners on contract ports. Each finding is an event, and the
// snapshot shows the last check's findings. Asked for (`evident zombies`), it also lists
// the defunct children of running services (unreaped-children.ts): findings of the check
// on demand, never of a stop (the stop judge re-judges only what the stop left behind).
import type { Leftover } from '../telemetry/fleet-snapshot.ts';
import { assertControl, type FleetState } from './fleet-state.ts';
import { leftoverEvidenceToJson } from './leftover-evidence-json.ts';
import { gatherLeftoverEvidence, judgeLeftovers, recordLeftovers } from './leftovers.ts';
import type { KnownOwner } from './ownership.ts';
import type { PidRecord } from './pid-file.ts';
import { emitNow, type SupervisorContext } from './supervisor-context.ts';
import { unreapedChildren } from './unreaped-children.ts';

/**
 * `everSeen`: processes known to have been the services' (a stop's or an exit's); `context`:
 * where its events go; `unreaped`: list the running services' defunct children too.
 */
export async function checkLeftovers(
  fleet: FleetState,
  everSeen: KnownOwner[],
  context: SupervisorContext = fleet.context,
  options: { unreaped?: boolean } = {},
): Promise<Leftover[]> {
  assertControl(fleet);
  const running = [...fleet.runtimes.values()].filter((r) => r.record);
  const evidence = await gatherLeftoverEvidence(context, {
    everSeen,
    runningRoots: running.map((r) => (r.record as PidRecord).pid),
    runningServices: running.map((r) => r.spec.name),
  });
  const judged = judgeLeftovers(evidence);
  recordLeftovers(context, judged, evidence);
  const roots = running.map((r) => ({ service: r.spec.name, pid: (r.record as PidRecord).pid }));
  const unreaped: Leftover[] = (options.unreaped ? unreapedChildren(evidence.table, roots) : []).map((c) => ({
    kind: 'defunct',
    service: c.service,
    pid: c.pid,
    ppid: c.ppid,
    command: c.command ?? '(defunct)',
    port: null,
    ours: false,
    proof: null,
    awaitedBy: { service: c.service, pid: c.ppid },
  }));
  const found = [...judged, ...unreaped];
  for (const l of found) {
    emitNow(context, {
      type: 'leftover',
      kind: l.kind,
      service: l.service,
      pid: l.pid,
      ppid: l.ppid,
      command: l.command,
      port: l.port,
      ...(l.awaitedBy ? { awaited_by: l.awaitedBy } : {}),
    });
  }
  emitNow(context, { type: 'leftover-check', found: judged.length, evidence: leftoverEvidenceToJson(evidence) });
  fleet.leftovers = found;
  fleet.leftoversCheckedAt = Date.now();
  fleet.publish();
  return found;
}
