// What a recorded leftover check found, re-judged from the raw evidence it carries
// (`judgeLeftovers` over the process table and listeners), as plain JSON for a summary.
// Shared by every judge that reads `supervisor.leftover-check` records.
import { leftoverEvidenceFromJson, type LeftoverEvidenceJson } from '../src/supervisor/leftover-evidence-json.ts';
import { judgeLeftovers } from '../src/supervisor/leftovers.ts';

export interface RecordedLeftover {
  kind: string;
  service: string | null;
  pid: number | null;
  ppid: number | null;
  command: string;
  port: number | null;
}

export function recordedLeftovers(check: { payload: Record<string, unknown> } | undefined): RecordedLeftover[] {
  if (!check) return [];
  return judgeLeftovers(leftoverEvidenceFromJson(check.payload.evidence as LeftoverEvidenceJson)).map((l) => ({
    kind: l.kind,
    service: l.service,
    pid: l.pid,
    ppid: l.ppid,
    command: l.command,
    port: l.port,
  }));
}
