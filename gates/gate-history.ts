// The gate runs and blockers a state view holds, in the shapes the sequencing rules read.
// Pure: a view in, runs and blockers out.
import type { StateView } from '../src/state/state-view.ts';
import type { Blocker, GateRun } from './gate-states.ts';

export function gateRunsOf(view: StateView): GateRun[] {
  return Object.entries(view.runs).flatMap(([runId, run]): GateRun[] =>
    run.gate === undefined
      ? []
      : [
          {
            run_id: runId,
            gate: run.gate,
            trial: run.trial,
            contract_hash: run.contract_hash,
            ...(run.pipeline_hash === undefined ? {} : { pipeline_hash: run.pipeline_hash }),
            started_at: run.started_at,
            ...(run.status === undefined ? {} : { status: run.status }),
            ...(run.ended_at === undefined ? {} : { ended_at: run.ended_at }),
            ...(run.reasons === undefined ? {} : { reasons: run.reasons }),
          },
        ],
  );
}

export function blockersOf(view: StateView): Blocker[] {
  return view.blockers.flatMap((entry): Blocker[] => {
    const text = (key: string) => (typeof entry[key] === 'string' ? (entry[key] as string) : '');
    if (text('gate') === '' || text('run_id') === '') return [];
    return [
      {
        record_id: entry.record_id,
        gate: text('gate'),
        run_id: text('run_id'),
        what_failed: text('what_failed'),
        root_cause: text('root_cause'),
        fix: text('fix'),
        ...(text('remediation') === '' ? {} : { remediation: text('remediation') }),
        actor: entry.actor,
        at: entry.at,
      },
    ];
  });
}
