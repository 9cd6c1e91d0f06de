// The leftover check's raw evidence as plain JSON, so it can be journaled and the check
// re-judged later from the record alone (`judgeLeftovers(fromJson(record.payload))`).
// Only the processes that concern the fleet are kept (`concernedProcesses`): the rest of
// the host's process table — other people's programs and their command lines — is
// counted, never recorded. Identity fields (pid, ppid, start token, start time) are kept
// as the OS gave them: they are what a re-judgement matches identities against.
import { concernedProcesses, type LeftoverEvidence } from './leftovers.ts';
import type { ServiceCgroup } from './ownership.ts';

export interface LeftoverEvidenceJson {
  /** The processes that concern the fleet, as the OS reported them; not the whole table. */
  table: LeftoverEvidence['table'];
  /** How many other processes the table held: counted, not recorded. */
  others_count: number;
  /** How many processes the whole table held when the check ran. */
  table_total: number;
  tagged: [number, string | null][];
  known: LeftoverEvidence['known'];
  /** The recorded process groups and sessions (absent from records written before they were kept). */
  groups?: LeftoverEvidence['groups'];
  /** The fleet's cgroups and their members, and why the host gives none (absent from records written before they were kept). */
  cgroups?: ServiceCgroup[];
  cgroups_unavailable?: string | null;
  listeners: LeftoverEvidence['listeners'];
  ports: [number, string][];
  running_roots: number[];
  running_services: string[];
  console_pid: number;
}

export function leftoverEvidenceToJson(evidence: LeftoverEvidence): LeftoverEvidenceJson {
  const table = concernedProcesses(evidence);
  return {
    table,
    others_count: evidence.table.length - table.length,
    table_total: evidence.table.length,
    tagged: [...evidence.tagged],
    known: evidence.known,
    groups: evidence.groups,
    ...(evidence.cgroups !== undefined ? { cgroups: evidence.cgroups } : {}),
    ...(evidence.cgroupsUnavailable !== undefined ? { cgroups_unavailable: evidence.cgroupsUnavailable } : {}),
    listeners: evidence.listeners,
    ports: [...evidence.ports],
    running_roots: evidence.runningRoots,
    running_services: evidence.runningServices,
    console_pid: evidence.consolePid,
  };
}

export function leftoverEvidenceFromJson(json: LeftoverEvidenceJson): LeftoverEvidence {
  return {
    table: json.table,
    tagged: new Map(json.tagged),
    known: json.known,
    groups: json.groups ?? [],
    ...(json.cgroups !== undefined ? { cgroups: json.cgroups } : {}),
    ...(json.cgroups_unavailable !== undefined ? { cgroupsUnavailable: json.cgroups_unavailable } : {}),
    listeners: json.listeners,
    ports: new Map(json.ports),
    runningRoots: json.running_roots,
    runningServices: json.running_services,
    consolePid: json.console_pid,
  };
}
