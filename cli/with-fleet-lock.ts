// Runs a command's work while holding the fleet lock; if another evident process holds
// it, says who and exits 3. Always releases the lock and the platform's helpers, and
// closes the command's operator journal (kept beside the supervisor's context).
import type { FleetJournal } from '../src/evidence/fleet-journal.ts';
import type { SupervisorContext } from '../src/supervisor/supervisor-context.ts';
import { acquireFleetLock } from '../src/supervisor/fleet-lock.ts';
import { EXIT } from '../src/errors/exit-codes.ts';
import { heldBy } from './lock-message.ts';

export async function withFleetLock(fleet: { context: SupervisorContext; journal: FleetJournal }, purpose: string, work: () => Promise<number>, runId?: string): Promise<number> {
  const { context, journal } = fleet;
  const lock = await acquireFleetLock(context.platform, context.paths.root, purpose, runId);
  if (!lock.ok) {
    console.error(heldBy(lock.holder));
    context.platform.close();
    await journal.close();
    return EXIT.blocked;
  }
  try {
    return await work();
  } finally {
    // Every event is on disk before the lock goes: the next controller's records follow ours.
    await journal.close();
    lock.release();
    context.platform.close();
  }
}
