// A supervisor event as a journal record: `supervisor.<event>`, its fields as the
// payload, the time it happened as event_time.
import type { SupervisorEvent } from '../supervisor/supervisor-event.ts';
import type { RecordInput } from './journal-record.ts';

export function supervisorRecord(event: SupervisorEvent & { at: number }): RecordInput {
  const { type, at, ...payload } = event;
  return { type: `supervisor.${type}`, event_time: new Date(at).toISOString(), actor: 'evident', payload };
}
