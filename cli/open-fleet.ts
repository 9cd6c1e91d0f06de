// What every fleet command does first: load and validate the contract (exit 2 with
// every problem listed), find the state folder, and build the supervisor context.
import { currentPlatform } from '../src/platform/current-platform.ts';
import { prepareStateDir } from '../src/state/prepare-state-dir.ts';
import { resolveArtifactsDir, resolveStatePaths } from '../src/paths/state-paths.ts';
import { FleetJournal } from '../src/evidence/fleet-journal.ts';
import { currentActor } from './current-actor.ts';
import { FleetSupervisor } from '../src/supervisor/fleet-supervisor.ts';
import type { SupervisorContext } from '../src/supervisor/supervisor-context.ts';
import type { EventSink } from '../src/supervisor/supervisor-event.ts';
import { UsageError } from '../src/errors/exit-codes.ts';
import { loadContractOrExit } from './load-contract-or-exit.ts';

export interface FleetCommandValues {
  contract?: string;
  'state-dir'?: string;
  'artifacts-dir'?: string;
  actor?: string;
}

/**
 * Every supervisor event is also recorded in the operator journal
 * (`<artifacts>/operator/journal.jsonl`); `withFleetLock` waits for those records before
 * the command exits.
 */
export async function openFleet(
  values: FleetCommandValues,
  emit: EventSink,
  options: { operatorEvents?: boolean; restartOnExit?: boolean } = {},
): Promise<{ context: SupervisorContext; supervisor: FleetSupervisor; journal: FleetJournal }> {
  const paths = resolveStatePaths(values['state-dir']);
  const problem = prepareStateDir(paths);
  if (problem) throw new UsageError(`evident: ${problem} (--state-dir or EVIDENT_STATE_DIR)`);
  const contract = await loadContractOrExit(values.contract, paths.root);
  const artifactsDir = resolveArtifactsDir(values['artifacts-dir']);
  const journal = new FleetJournal(artifactsDir, paths.keys, { version: contract.version, hash: contract.hash }, currentActor(values.actor), (error) =>
    console.error(`evident: cannot write the operator journal in ${artifactsDir}: ${error.message}`),
  );
  const context: SupervisorContext = {
    platform: currentPlatform(),
    paths,
    contract,
    emit: (event) => {
      emit(event);
      // A gate runner records its events in the run's journal instead.
      if (options.operatorEvents !== false) journal.event(event);
    },
    restartOnExit: options.restartOnExit === true,
  };
  return { context, supervisor: new FleetSupervisor(context), journal };
}
