// The shutdown check's verdict, from its journal alone: the fleet was stopped, and the
// leftover check that followed — re-judged here from the raw process table and listeners
// it recorded — found nothing of ours alive, nothing defunct, no listener on a contract
// port. Pure: the same records and criteria always give the same verdict.
import type { Judge, Verdict } from '../../src/evidence/judge-registry.ts';
import type { JournalRecord } from '../../src/evidence/journal-record.ts';
import type { LeftoverEvidenceJson } from '../../src/supervisor/leftover-evidence-json.ts';
import { recordedLeftovers } from '../recorded-leftovers.ts';

export interface ShutdownCriteria {
  /** Leftovers allowed (the hardening bar is 0). */
  max_leftovers: number;
  /** Services that may need a kill after their stop timeout; null: any number. */
  max_forced_kills: number | null;
}

export const DEFAULT_SHUTDOWN_CRITERIA: ShutdownCriteria = { max_leftovers: 0, max_forced_kills: null };

export function judgeShutdown(records: readonly JournalRecord[], criteria: Record<string, unknown>): Verdict {
  const maxLeftovers = typeof criteria.max_leftovers === 'number' ? criteria.max_leftovers : DEFAULT_SHUTDOWN_CRITERIA.max_leftovers;
  const maxKills = typeof criteria.max_forced_kills === 'number' ? criteria.max_forced_kills : null;
  const ofType = (type: string) => records.filter((r) => r.type === type);

  const stopped = ofType('supervisor.stopped').map((r) => ({ service: String(r.payload.service), graceful: r.payload.graceful === true, duration_ms: Number(r.payload.durationMs) }));
  const kills = ofType('supervisor.kill').map((r) => ({ service: String(r.payload.service), pids: (r.payload.pids as number[]) ?? [] }));
  const checks = ofType('supervisor.leftover-check');
  const lastCheck = checks.at(-1);
  const leftovers = recordedLeftovers(lastCheck);

  const reasons: string[] = [];
  if (!lastCheck) reasons.push('the leftover check never ran');
  if (leftovers.length > maxLeftovers) reasons.push(`${leftovers.length} leftover(s) found, ${maxLeftovers} allowed`);
  if (maxKills !== null && kills.length > maxKills) reasons.push(`${kills.length} service(s) needed a kill, ${maxKills} allowed`);
  const ended = records.some((r) => r.type === 'run.end');

  return {
    status: !ended ? 'INTERRUPTED' : reasons.length === 0 ? 'PASSED' : 'FAILED',
    services_stopped: stopped.length,
    stopped,
    forced_kills: kills.length,
    leftover_checks: checks.length,
    leftovers,
    zombie_pids_detected: leftovers.filter((l) => l.kind !== 'listener' && l.pid !== null).map((l) => l.pid),
    processes_seen_after_stop: lastCheck ? (lastCheck.payload.evidence as LeftoverEvidenceJson).table_total : 0,
    reasons: ended ? reasons : ['the run has no end record: it was interrupted', ...reasons],
  };
}

export const shutdownJudge: Judge = { kind: 'shutdown', title: 'Shutdown Check', judge: judgeShutdown };
