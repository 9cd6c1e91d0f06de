// Is a process ours, and by which proof? Pure over raw evidence, so the check that finds
// leftovers, the stop, the reap right before its signal and a re-judgement of a recorded
// check all decide alike. A process is ours when any of these holds (strongest first):
//
// - cgroup: it is in the cgroup evident created for the service (Linux, where the host
//   gives one: src/platform/service-cgroups.ts). Its members are read with their start
//   times, so a pid that changed hands between the read and the table is not taken. No
//   process leaves a cgroup by setsid, a double fork or a scrubbed environment.
// - recorded: evident started it or saw it under a service (a pid file, a stop, an earlier
//   check), and it is the same process: same pid, same start time (whatever it runs now);
// - group / session: it is in the process group (or session) evident created for the
//   service — spawned detached, the service leads both, their id is its pid — and either
//   that leader is still the recorded process, or the leader is gone and nothing in the
//   group (session) is proven foreign. The kernel never reuses a pid that is still some
//   live process's group or session id, so while the group has a member its id is ours; a
//   leader alive with another start time is a new group that took a reused pid: not ours.
//   What proves a member foreign: it started before the service did. (Programs that
//   rewrite their environment, nginx's workers, keep this proof.)
// - tag: it carries this state folder's fleet tag (EVIDENT_FLEET) in its environment.
//
// Another kind of proof is one more case of OwnershipProof (src/telemetry/fleet-snapshot.ts)
// and one more rule in proveOwnership.
import type { ProcessInfo } from '../platform/platform.ts';
import type { OwnershipProof } from '../telemetry/fleet-snapshot.ts';
import type { KnownProcess, PidRecord } from './pid-file.ts';

export type { OwnershipProof };

/** `recorded`: the group's leader is the service's recorded process; `gone`: it has ended (and nothing foreign is in the group). */
type LeaderState = 'recorded' | 'gone';

export interface KnownOwner {
  service: string;
  known: KnownProcess;
}

/** The process group and session evident created for a service, as its pid file records them. */
export interface ServiceGroup {
  service: string;
  pgid: number | null;
  sid: number | null;
  /** The identities recorded for the service whose pid is the group's or session's id: its leader. */
  leaders: KnownProcess[];
  /** When the service's process started (epoch ms): no member of its group can have started before. */
  startedAtMs: number;
}

/** A service's cgroup and who was in it when the check looked (pid and start time of each). */
export interface ServiceCgroup {
  service: string;
  /** Its v2 path. */
  path: string;
  members: { pid: number; start_token: string }[];
}

export interface Owned {
  /** The service it belongs to, when known (a tag without EVIDENT_SERVICE names none). */
  service: string | null;
  proof: OwnershipProof;
}

export interface OwnershipEvidence {
  table: readonly ProcessInfo[];
  /** pid → service, for processes carrying this fleet's tag. */
  tagged: ReadonlyMap<number, string | null>;
  known: readonly KnownOwner[];
  groups: readonly ServiceGroup[];
  /** The services' cgroups with their members (absent or empty where the host gives none). */
  cgroups?: readonly ServiceCgroup[];
}

export function serviceGroupOf(record: PidRecord): ServiceGroup {
  const ids = new Set([record.pgid, record.sid ?? null].filter((id) => id !== null));
  const leaders = [record, ...record.descendants]
    .filter((k) => ids.has(k.pid))
    .map((k) => ({ pid: k.pid, start_token: k.start_token, argv: k.argv }));
  return { service: record.service, pgid: record.pgid, sid: record.sid ?? null, leaders, startedAtMs: Date.parse(record.started_at) };
}

/** Every process of the table that is ours, with the service and the proof. */
export function proveOwnership(evidence: OwnershipEvidence): Map<number, Owned> {
  const { table } = evidence;
  const byPid = new Map(table.map((p) => [p.pid, p]));
  const owned = new Map<number, Owned>();
  for (const cgroup of evidence.cgroups ?? []) {
    for (const member of cgroup.members) {
      const seen = byPid.get(member.pid);
      if (seen && seen.startToken === member.start_token && !owned.has(seen.pid)) owned.set(seen.pid, { service: cgroup.service, proof: { kind: 'cgroup', path: cgroup.path } });
    }
  }
  for (const owner of evidence.known) {
    const seen = byPid.get(owner.known.pid);
    if (seen && seen.startToken === owner.known.start_token && !owned.has(seen.pid)) owned.set(seen.pid, { service: owner.service, proof: { kind: 'recorded' } });
  }
  const leaderState = groupLeaderStates(evidence, byPid);
  for (const p of table) {
    if (owned.has(p.pid)) continue;
    for (const group of evidence.groups) {
      const inGroup = group.pgid !== null && p.pgid === group.pgid ? leaderState.get(group)?.group : undefined;
      if (inGroup) {
        owned.set(p.pid, { service: group.service, proof: { kind: 'group', pgid: group.pgid as number, leader: inGroup } });
        break;
      }
      const inSession = group.sid !== null && p.sid === group.sid ? leaderState.get(group)?.session : undefined;
      if (inSession) {
        owned.set(p.pid, { service: group.service, proof: { kind: 'session', sid: group.sid as number, leader: inSession } });
        break;
      }
    }
  }
  for (const [pid, service] of evidence.tagged) if (byPid.has(pid) && !owned.has(pid)) owned.set(pid, { service, proof: { kind: 'tag' } });
  return owned;
}

/** For each recorded group and session: whether it still proves its members ours (and how), or undefined when it does not. */
function groupLeaderStates(evidence: OwnershipEvidence, byPid: Map<number, ProcessInfo>): Map<ServiceGroup, { group?: LeaderState; session?: LeaderState }> {
  const states = new Map<ServiceGroup, { group?: LeaderState; session?: LeaderState }>();
  for (const group of evidence.groups) {
    const state: { group?: LeaderState; session?: LeaderState } = {};
    if (group.pgid !== null) {
      const verdict = leaderVerdict(group, group.pgid, (p) => p.pgid === group.pgid, evidence.table, byPid);
      if (verdict) state.group = verdict;
    }
    if (group.sid !== null) {
      const verdict = leaderVerdict(group, group.sid, (p) => p.sid === group.sid, evidence.table, byPid);
      if (verdict) state.session = verdict;
    }
    states.set(group, state);
  }
  return states;
}

function leaderVerdict(
  group: ServiceGroup,
  id: number,
  isMember: (p: ProcessInfo) => boolean,
  table: readonly ProcessInfo[],
  byPid: Map<number, ProcessInfo>,
): LeaderState | null {
  const leader = byPid.get(id);
  if (leader) {
    const recorded = group.leaders.find((k) => k.pid === id);
    if (!recorded || recorded.start_token !== leader.startToken) return null;
    // Ended but not yet collected by its parent: it still holds the id, so the group is ours.
    return leader.state === 'Z' ? 'gone' : 'recorded';
  }
  return table.some((p) => isMember(p) && p.startedAtMs < group.startedAtMs) ? null : 'gone';
}

/** The pids the group proof looks at: every process in a recorded group or session, and each id's holder (so a recorded check can be re-judged alike). */
export function groupRows(table: readonly ProcessInfo[], groups: readonly ServiceGroup[]): ProcessInfo[] {
  const pgids = new Set(groups.flatMap((g) => (g.pgid === null ? [] : [g.pgid])));
  const sids = new Set(groups.flatMap((g) => (g.sid === null ? [] : [g.sid])));
  return table.filter((p) => (p.pgid !== null && pgids.has(p.pgid)) || (p.sid !== null && sids.has(p.sid)) || pgids.has(p.pid) || sids.has(p.pid));
}
