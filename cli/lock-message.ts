// The sentence shown when another evident process controls the fleet.
import type { LockHolder } from '../src/supervisor/fleet-lock.ts';
import { SUPERVISOR_PURPOSE } from '../src/supervisor/supervisor-leave-request.ts';

export function heldBy(holder: LockHolder): string {
  // Asked to leave, the background supervisor only keeps the fleet while it finishes an
  // operation in flight (a restart becoming healthy): waiting is the answer, not quitting it.
  if (holder.purpose === SUPERVISOR_PURPOSE) {
    return `the fleet is held by the background supervisor (pid ${holder.pid}, since ${holder.acquired_at}), still finishing a restart; try again in a moment (its lines: state/supervisor.log)`;
  }
  return `the fleet is controlled by ${holder.purpose} (pid ${holder.pid}, since ${holder.acquired_at}); quit it first, or use its keys`;
}
