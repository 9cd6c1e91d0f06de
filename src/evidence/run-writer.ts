// A run's evidence, written as it happens: the run folder, its journal, its config
// snapshot and, when it ends, its seal (seal-run.ts): the summary (the registered judge's
// verdict over the journal), the manifest of every file, its sha256sum companion and its
// signature.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { artifactTimestamp, gateArtifactName, type ArtifactKind } from './artifact-name.ts';
import { appendCheckpoint, type Checkpoint } from './checkpoint.ts';
import { buildConfigSnapshot, configHash, writeConfigSnapshot, type ConfigSnapshotInput } from './config-snapshot.ts';
import { Journal } from './journal.ts';
import type { ContractRef, JournalRecord, RecordInput } from './journal-record.ts';
import { judgeFor } from './judge-registry.ts';
import { newRecordId } from './record-id.ts';
import { isReservedName, JOURNAL_FILE, PUBLIC_KEY_FILE } from './run-layout.ts';
import { sealRun, type SealedRun } from './seal-run.ts';
import { loadOrCreateSigningKey, signBytes, type SigningKey } from './signing-key.ts';
import { writeArtifact } from './write-artifact.ts';
import { readJournal } from './read-journal.ts';

export interface RunOptions {
  artifactsDir: string;
  /** Where the signing key lives (`state/keys`). */
  keysDir: string;
  /** The run kind; its judge must be registered. */
  kind: string;
  contract: ContractRef & { name: string; path: string };
  actor: string;
  criteria: Record<string, unknown>;
  parameters: Record<string, unknown>;
  /** Shortened parameters: a trial, labelled so in the summary. */
  trial?: boolean;
  /** The run id, when the caller needs it first (to name the run in the fleet lock); a new ULID otherwise. */
  id?: string;
  /** How artifacts are named (`gate1-summary-…`); the kind when absent. */
  label?: string;
  /** More of what the run is, written into its `run.start` record (the gate, the services, the pipeline). */
  start?: Record<string, unknown>;
  snapshot: Omit<ConfigSnapshotInput, 'contract'>;
}

export type FinishedRun = SealedRun;

export class RunWriter {
  readonly id: string;
  readonly dir: string;
  readonly journal: Journal;
  private readonly key: SigningKey;
  /** What the run is (the config snapshot is written once, at create). */
  private readonly options: Omit<RunOptions, 'snapshot'>;

  private constructor(id: string, dir: string, journal: Journal, key: SigningKey, options: Omit<RunOptions, 'snapshot'>) {
    this.id = id;
    this.dir = dir;
    this.journal = journal;
    this.key = key;
    this.options = options;
  }

  static async create(options: RunOptions): Promise<RunWriter> {
    if (!judgeFor(options.kind)) throw new Error(`no judge is registered for run kind "${options.kind}"`);
    const key = loadOrCreateSigningKey(options.keysDir);
    const id = options.id ?? newRecordId();
    const dir = join(options.artifactsDir, id);
    const snapshot = buildConfigSnapshot({ ...options.snapshot, contract: { version: options.contract.version, hash: options.contract.hash, path: options.contract.path } });
    writeConfigSnapshot(dir, snapshot);
    writeArtifact(dir, PUBLIC_KEY_FILE, key.publicKeyPem);
    // Only this writer writes a live run's journal: lines appended by anyone else are refused, never signed.
    const journal = await Journal.open(join(dir, JOURNAL_FILE), { contract: { version: options.contract.version, hash: options.contract.hash }, actor: options.actor, exclusive: true });
    const run = new RunWriter(id, dir, journal, key, options);
    await journal.append({
      type: 'run.start',
      correlation_id: id,
      payload: {
        run_id: id,
        kind: options.kind,
        ...options.start,
        contract_name: options.contract.name,
        parameters: options.parameters,
        criteria: options.criteria,
        trial: options.trial === true,
        key_id: key.keyId,
        config_hash: configHash(snapshot),
      },
    });
    return run;
  }

  /**
   * Takes over a run whose writer died before ending it (its runner was killed): the same
   * journal, key and criteria, read back from the run folder, so it can be ended — and
   * judged — by someone else. Null when the run has already ended.
   */
  static async reopen(dir: string, keysDir: string, actor: string): Promise<RunWriter | null> {
    const reading = readJournal(join(dir, JOURNAL_FILE));
    if (reading.problems.length > 0) throw new Error(`run ${dir}: its journal cannot be continued: ${reading.problems[0]?.message}`);
    const start = reading.records.find((r) => r.type === 'run.start');
    if (!start) throw new Error(`run ${dir}: its journal has no run.start record`);
    if (reading.records.some((r) => r.type === 'run.end')) return null;
    const p = start.payload;
    const kind = String(p.kind);
    if (!judgeFor(kind)) throw new Error(`no judge is registered for run kind "${kind}"`);
    const journal = await Journal.open(join(dir, JOURNAL_FILE), { contract: start.contract, actor });
    const pipelineGate = typeof p.gate === 'string' ? p.gate : undefined;
    const options: Omit<RunOptions, 'snapshot'> = {
      artifactsDir: dirname(dir),
      keysDir,
      kind,
      contract: { ...start.contract, name: String(p.contract_name ?? ''), path: '' },
      actor,
      criteria: (p.criteria ?? {}) as Record<string, unknown>,
      parameters: (p.parameters ?? {}) as Record<string, unknown>,
      trial: p.trial === true,
      id: String(p.run_id ?? start.correlation_id),
      ...(pipelineGate === undefined ? {} : { label: pipelineGate, start: { gate: pipelineGate } }),
    };
    return new RunWriter(options.id as string, dir, journal, loadOrCreateSigningKey(keysDir), options);
  }

  /** A durable record: on disk before this resolves. */
  record(input: RecordInput): Promise<JournalRecord> {
    return this.journal.append({ correlation_id: this.id, ...input });
  }

  /** A high-rate observation (a sample, a probe): group-committed. */
  observe(input: RecordInput): Promise<JournalRecord> {
    return this.journal.appendGrouped({ correlation_id: this.id, ...input });
  }

  /**
   * A file of evidence beside the journal (a diagnostic report, say), named by the gate
   * conventions (`prerequisites-report-<timestamp>.txt`); it goes into the manifest.
   */
  attach(kind: ArtifactKind, ext: string, content: string, at = new Date()): string {
    const name = gateArtifactName(this.options.label ?? this.options.kind, kind, artifactTimestamp(at), ext);
    writeArtifact(this.dir, name, content);
    return name;
  }

  /**
   * A file of evidence under a name its gate defines (`gate2-metrics-minute-0001.json`),
   * written atomically, once; it goes into the manifest. A plain new file name: never a
   * path, never one of the run's own files.
   */
  attachNamed(name: string, content: string): void {
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name) || isReservedName(name)) throw new RangeError(`evidence file name ${JSON.stringify(name)} must be a plain file name of the run`);
    if (existsSync(join(this.dir, name))) throw new Error(`evidence file ${name} already exists in ${this.dir}: evidence is written once`);
    writeArtifact(this.dir, name, content);
  }

  /** A signed mark of the journal's length and head, at a gate transition. */
  async checkpoint(reason: string): Promise<Checkpoint> {
    await this.journal.flush();
    return appendCheckpoint(this.dir, this.key, { count: this.journal.count, headHash: this.journal.headHash }, reason);
  }

  /**
   * Ends the run: the end record, then the seal (seal-run.ts): the verdict judged from the
   * journal as written on disk, its record, the summary, the end-of-run checkpoint, the
   * manifest over every file, its companion and the signature. Until the seal is whole
   * the run stands for nothing, whatever its records say.
   */
  async finish(endPayload: Record<string, unknown> = {}): Promise<FinishedRun> {
    await this.journal.append({ type: 'run.end', correlation_id: this.id, payload: endPayload });
    // Signed before anything else: an end no checkpoint signs ends nothing (seal-run.ts).
    await this.checkpoint('run ended');
    await this.journal.close();
    return sealRun(this.dir, this.key);
  }
}
