// The leftover check's raw evidence as plain JSON, so it can be journaled and the check
// re-judged later from the record alone (`judgeLeftovers(fromJson(record.payload))`).
import type { LeftoverEvidence } from './leftovers.ts';

export interface LeftoverEvidenceJson {
  table: LeftoverEvidence['table'];
  tagged: [number, string | null][];
  known: LeftoverEvidence['known'];
  listeners: LeftoverEvidence['listeners'];
  ports: [number, string][];
  running_roots: number[];
  running_services: string[];
  console_pid: number;
}

export function leftoverEvidenceToJson(evidence: LeftoverEvidence): LeftoverEvidenceJson {
  return {
    table: evidence.table,
    tagged: [...evidence.tagged],
    known: evidence.known,
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
    listeners: json.listeners,
    ports: new Map(json.ports),
    runningRoots: json.running_roots,
    runningServices: json.running_services,
    consolePid: json.console_pid,
  };
}
