// What every fleet command does first: load and validate the contract (exit 2 with
// every problem listed), find the state folder, and build the supervisor context.
import { resolve } from 'node:path';
import type { Contract } from '../contract/contract.ts';
import { formatProblems } from '../contract/format-problems.ts';
import { loadContract } from '../contract/load-contract.ts';
import { currentPlatform } from '../platform/current-platform.ts';
import { prepareStateDir } from '../state/prepare-state-dir.ts';
import { resolveStatePaths } from '../state/state-paths.ts';
import { FleetSupervisor } from '../supervisor/fleet-supervisor.ts';
import type { SupervisorContext } from '../supervisor/supervisor-context.ts';
import type { EventSink } from '../supervisor/supervisor-event.ts';
import { UsageError } from './exit-codes.ts';

export const DEFAULT_CONTRACT = 'contracts/boot-contract.json';

export async function loadContractOrExit(path: string | undefined): Promise<Contract> {
  const file = resolve(path ?? process.env.EVIDENT_CONTRACT ?? DEFAULT_CONTRACT);
  const loaded = await loadContract(file);
  if (!loaded.ok) throw new UsageError(formatProblems(file, loaded.problems).trimEnd());
  return loaded.contract;
}

export async function openFleet(values: { contract?: string; 'state-dir'?: string }, emit: EventSink): Promise<{ context: SupervisorContext; supervisor: FleetSupervisor }> {
  const contract = await loadContractOrExit(values.contract);
  const paths = resolveStatePaths(values['state-dir']);
  const problem = prepareStateDir(paths);
  if (problem) throw new UsageError(`evident: ${problem} (--state-dir or EVIDENT_STATE_DIR)`);
  const context: SupervisorContext = { platform: currentPlatform(), paths, contract, emit };
  return { context, supervisor: new FleetSupervisor(context) };
}
