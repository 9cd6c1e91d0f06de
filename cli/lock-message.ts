// The sentence shown when another evident process controls the fleet.
import type { LockHolder } from '../src/supervisor/fleet-lock.ts';

export function heldBy(holder: LockHolder): string {
  return `the fleet is controlled by ${holder.purpose} (pid ${holder.pid}, since ${holder.acquired_at}); quit it first, or use its keys`;
}
