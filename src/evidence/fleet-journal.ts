// What a fleet command records in the operator journal: every supervisor event (start,
// ready, stop, kill, adopt, leftovers…) and every operator action. The journal opens on
// first use; events wait for it in order. An operator action resolves only once its
// record is on disk, so the action is never acknowledged before it is recorded.
import type { SupervisorEvent } from '../supervisor/supervisor-event.ts';
import type { Journal } from './journal.ts';
import type { ContractRef, JournalRecord } from './journal-record.ts';
import { newRecordId } from './record-id.ts';
import { supervisorRecord } from './supervisor-record.ts';

export interface OperatorAction {
  /** `start`, `stop`, `restart`, `start-all`, `stop-all`, `reap`, `quit`… recorded as `operator.<name>`. */
  name: string;
  payload: Record<string, unknown>;
  /** The same key delivered twice is one record (and the caller learns it was a repeat). */
  idempotencyKey?: string;
}

/**
 * Events wait this long before the journal is opened: loading its schema and reading the
 * journal must not delay the console's first frame. Operator actions never wait.
 */
const FIRST_OPEN_DELAY_MS = 400;

export class FleetJournal {
  /** One id for everything this command or console session records. */
  readonly sessionId = newRecordId();
  private opening: Promise<Journal> | null = null;
  private tail: Promise<unknown> = Promise.resolve();
  private failure: Error | null = null;
  private waiting: (SupervisorEvent & { at: number })[] = [];
  private timer: ReturnType<typeof setTimeout> | null = null;
  readonly artifactsDir: string;
  /** The installation's keys: every batch of the operator journal is attested with its key. */
  private readonly keysDir: string;
  private readonly contract: ContractRef;
  /** Who this command or console session records its actions as. */
  readonly actor: string;
  private readonly onError: (error: Error) => void;

  constructor(artifactsDir: string, keysDir: string, contract: ContractRef, actor: string, onError: (error: Error) => void) {
    this.artifactsDir = artifactsDir;
    this.keysDir = keysDir;
    this.contract = contract;
    this.actor = actor;
    this.onError = onError;
  }

  /** Records a supervisor event; never throws (a journal failure is reported once). */
  event(event: SupervisorEvent & { at: number }): void {
    if (this.opening) return this.write(event);
    this.waiting.push(event);
    this.timer ??= setTimeout(() => this.drain(), FIRST_OPEN_DELAY_MS);
  }

  /** Records an operator action durably; rejects if it could not be recorded. */
  async action(action: OperatorAction): Promise<{ record: JournalRecord; repeated: boolean }> {
    this.drain();
    await this.tail;
    // A failure here is the caller's to report (the action is refused), not onError's.
    const journal = await this.open();
    // Each action is its own correlation: a repeat comes back with the first delivery's.
    const actionId = newRecordId();
    const record = await journal.append({
      type: `operator.${action.name}`,
      actor: this.actor,
      correlation_id: actionId,
      // Not named "session": a field of that name is masked as a secret by the journal.
      payload: { ...action.payload, invocation: this.sessionId },
      idempotency_key: action.idempotencyKey ?? actionId,
    });
    return { record, repeated: record.correlation_id !== actionId };
  }

  /** Waits for every event recorded so far, then closes the journal. */
  async close(): Promise<void> {
    this.drain();
    await this.tail;
    if (this.failure || !this.opening) return;
    const journal = await this.opening.catch(() => null);
    await journal?.close();
  }

  private open(): Promise<Journal> {
    // Loaded when first needed: the journal's schema (zod) is not on a command's start-up path.
    this.opening ??= import('./operator-journal.ts').then(({ openOperatorJournal }) => openOperatorJournal(this.artifactsDir, this.keysDir, this.contract, this.actor));
    return this.opening;
  }

  /** Opens the journal and writes the events that waited for it, in order. */
  private drain(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (!this.opening && this.waiting.length === 0) return;
    void this.open().catch((error: Error) => this.fail(error));
    for (const event of this.waiting.splice(0)) this.write(event);
  }

  private write(event: SupervisorEvent & { at: number }): void {
    this.tail = this.tail
      .then(() => this.open())
      .then((journal) => journal.append({ ...supervisorRecord(event), correlation_id: this.sessionId }))
      .catch((error: Error) => this.fail(error));
  }

  private fail(error: Error): void {
    if (this.failure) return;
    this.failure = error;
    this.onError(error);
  }
}
