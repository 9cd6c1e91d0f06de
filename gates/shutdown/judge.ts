// The shutdown check's verdict, from its journal alone: the fleet was stopped and the
// stop's findings (gates/stop-findings.ts, the judge `evident down` and Gate 1 share) are
// within the criteria: the leftover check that followed — re-judged here from the
// process table and listeners it recorded, and complete — found nothing of ours alive,
// nothing defunct, no listener on a contract port; no process left its service's group
// or session; no service's own process ended uncleanly (when evident could see it).
// Pure: the same records and criteria always give the same verdict.
import type { Judge, Verdict } from '../../src/evidence/judge-registry.ts';
import type { JournalRecord } from '../../src/evidence/journal-record.ts';
import { judgeStopFindings, readStopCriteria, type StopCriteria } from '../stop-findings.ts';

export type ShutdownCriteria = StopCriteria;

/** Nothing left, nobody outside its group, clean exits; a kill at the stop timeout is allowed (null: any number). */
export const DEFAULT_SHUTDOWN_CRITERIA: ShutdownCriteria = { max_leftovers: 0, max_forced_kills: null, allow_unclean_exits: false, allow_escaped_processes: false };

export function judgeShutdown(records: readonly JournalRecord[], criteria: Record<string, unknown>): Verdict {
  const findings = judgeStopFindings(records, readStopCriteria(criteria, DEFAULT_SHUTDOWN_CRITERIA));
  const checks = records.filter((r) => r.type === 'supervisor.leftover-check').length;

  const reasons = [...findings.reasons];
  const ended = records.some((r) => r.type === 'run.end');
  // Stopped before its check finished (its writer died, an operator aborted it): what it
  // found still fails it; what it never got to do makes it INTERRUPTED, not FAILED.
  const cutShort = records.find((r) => r.type === 'run.interrupted' || r.type === 'run.aborted' || r.type === 'run.error');
  let status: Verdict['status'];
  if (!ended) status = 'INTERRUPTED';
  else if (reasons.length > 0) status = 'FAILED';
  else if (cutShort !== undefined) status = 'INTERRUPTED';
  else if (findings.leftover_check === null) status = 'FAILED';
  else status = 'PASSED';
  if (cutShort !== undefined && status === 'INTERRUPTED' && ended) reasons.unshift(`the check was cut short (${cutShort.type}): ${String(cutShort.payload.detail ?? cutShort.payload.reason ?? cutShort.payload.message ?? 'no detail')}`);
  if (findings.leftover_check === null) reasons.push('the leftover check never ran');

  return {
    status,
    services_stopped: findings.stopped.length,
    stopped: findings.stopped,
    forced_kills: findings.forced_kills.length,
    kills: findings.forced_kills,
    unclean_exits: findings.unclean_exits,
    exits_not_observed: findings.exits_not_observed,
    escaped_processes: findings.escaped_processes,
    leftover_checks: checks,
    leftover_check: findings.leftover_check,
    leftovers: findings.leftovers,
    zombie_pids_detected: findings.zombie_pids.length,
    zombie_pids: findings.zombie_pids,
    processes_seen_after_stop: findings.leftover_check?.processes_total ?? 0,
    allowed: findings.allowed,
    reasons: ended ? reasons : ['the run has no end record: it was interrupted', ...reasons],
  };
}

export const shutdownJudge: Judge = { kind: 'shutdown', title: 'Shutdown Check', judge: judgeShutdown };
