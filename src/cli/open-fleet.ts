// What every fleet command does first: load and validate the contract (exit 2 with
// every problem listed), find the state folder, and build the supervisor context.
import { currentPlatform } from '../platform/current-platform.ts';
import { prepareStateDir } from '../state/prepare-state-dir.ts';
import { resolveStatePaths } from '../state/state-paths.ts';
import { FleetSupervisor } from '../supervisor/fleet-supervisor.ts';
import type { SupervisorContext } from '../supervisor/supervisor-context.ts';
import type { EventSink } from '../supervisor/supervisor-event.ts';
import { UsageError } from './exit-codes.ts';
import { loadContractOrExit } from './load-contract-or-exit.ts';

export async function openFleet(values: { contract?: string; 'state-dir'?: string }, emit: EventSink): Promise<{ context: SupervisorContext; supervisor: FleetSupervisor }> {
  const paths = resolveStatePaths(values['state-dir']);
  const problem = prepareStateDir(paths);
  if (problem) throw new UsageError(`evident: ${problem} (--state-dir or EVIDENT_STATE_DIR)`);
  const contract = await loadContractOrExit(values.contract, paths.root);
  const context: SupervisorContext = { platform: currentPlatform(), paths, contract, emit };
  return { context, supervisor: new FleetSupervisor(context) };
}
