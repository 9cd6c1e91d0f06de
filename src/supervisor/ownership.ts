// Is a process ours? Proven one of two ways: it carries this state folder's fleet tag in
// its environment (every service, and everything it starts, inherits it), or it matches
// the recorded identity (pid + start token + command line) of a process we started or saw.
import type { ProcessInfo } from '../platform/platform.ts';
import type { KnownProcess } from './pid-file.ts';
import { checkIdentity } from './process-identity.ts';
import type { SupervisorContext } from './supervisor-context.ts';

export interface Ownership {
  ours: boolean;
  /** The service it belongs to, when known. */
  service: string | null;
}

export interface KnownOwner {
  service: string;
  known: KnownProcess;
}

export async function ownershipOf(
  context: SupervisorContext,
  process_: ProcessInfo,
  known: readonly KnownOwner[],
): Promise<Ownership> {
  for (const owner of known) {
    if (owner.known.pid === process_.pid && checkIdentity(owner.known, process_).same) {
      return { ours: true, service: owner.service };
    }
  }
  if (process_.state === 'Z') return { ours: false, service: null };
  const tag = await context.platform.readEnvironmentVariable(process_.pid, 'EVIDENT_FLEET');
  if (tag !== context.paths.fleetTag) return { ours: false, service: null };
  const service = await context.platform.readEnvironmentVariable(process_.pid, 'EVIDENT_SERVICE');
  return { ours: true, service };
}
