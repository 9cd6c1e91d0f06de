// Runs a command's work while holding the fleet lock; if another evident process holds
// it, says who and exits 3 (the background supervisor is not such a holder: asked, it
// hands the fleet over). Always releases the lock and the platform's helpers, and closes
// the command's operator journal (kept beside the supervisor's context). Given the
// command's supervisor, it then hands a fleet that still runs back to a background
// supervisor, so nothing is left unsupervised when the command ends.
import type { FleetJournal } from '../src/evidence/fleet-journal.ts';
import type { FleetSupervisor } from '../src/supervisor/fleet-supervisor.ts';
import type { SupervisorContext } from '../src/supervisor/supervisor-context.ts';
import { acquireFleetLock } from '../src/supervisor/fleet-lock.ts';
import { EXIT } from '../src/errors/exit-codes.ts';
import { heldBy } from './lock-message.ts';
import { startBackgroundSupervisor } from './start-background-supervisor.ts';

export async function withFleetLock(
  fleet: { context: SupervisorContext; journal: FleetJournal; supervisor?: FleetSupervisor },
  purpose: string,
  work: () => Promise<number>,
  runId?: string,
): Promise<number> {
  const { context, journal, supervisor } = fleet;
  const lock = await acquireFleetLock(context.platform, context.paths.root, purpose, runId);
  if (!lock.ok) {
    console.error(heldBy(lock.holder));
    context.platform.close();
    await journal.close();
    return EXIT.blocked;
  }
  let handBack = false;
  try {
    return await work();
  } finally {
    if (supervisor) {
      // Nothing of this process acts on the fleet once the lock is gone.
      await supervisor.letGo();
      handBack = !supervisor.following && supervisor.supervising();
    }
    // Every event is on disk before the lock goes: the next controller's records follow ours.
    await journal.close();
    lock.release();
    context.platform.close();
    if (handBack) startBackgroundSupervisor(context, journal);
  }
}
