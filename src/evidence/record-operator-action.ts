// An operator action is on disk before it is carried out. A delivery whose idempotency
// key was already recorded is a repeat: it is reported and not carried out again.
import type { FleetJournal, OperatorAction } from './fleet-journal.ts';
import type { JournalRecord } from './journal-record.ts';
import { EXIT, UsageError } from '../errors/exit-codes.ts';

export type ActionOutcome = { repeated: false; record: JournalRecord } | { repeated: true; record: JournalRecord; message: string };

export async function recordOperatorAction(journal: FleetJournal, action: OperatorAction): Promise<ActionOutcome> {
  let result: { record: JournalRecord; repeated: boolean };
  try {
    result = await journal.action(action);
  } catch (error) {
    throw new UsageError(`evident: cannot record the ${action.name} action in the operator journal (${(error as Error).message}); nothing was done`, EXIT.usage);
  }
  if (!result.repeated) return { repeated: false, record: result.record };
  const { record } = result;
  return {
    repeated: true,
    record,
    message: `already recorded: ${record.type} with idempotency key ${record.idempotency_key} by ${record.actor} at ${record.process_time}; not carried out again`,
  };
}
