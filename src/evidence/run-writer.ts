// A run's evidence, written as it happens: the run folder, its journal, its config
// snapshot and, when it ends, the summary (the registered judge's verdict over the
// journal), the manifest of every file, its sha256sum companion and its signature.
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { artifactTimestamp, gateArtifactName, type ArtifactKind } from './artifact-name.ts';
import { appendCheckpoint, type Checkpoint } from './checkpoint.ts';
import { buildConfigSnapshot, configHash, writeConfigSnapshot, type ConfigSnapshotInput } from './config-snapshot.ts';
import { hashFiles } from './hash-files.ts';
import { Journal } from './journal.ts';
import type { ContractRef, JournalRecord, RecordInput } from './journal-record.ts';
import { judgeFor, type Judge, type Verdict } from './judge-registry.ts';
import { renderManifest, renderSha256sum } from './manifest.ts';
import { newRecordId } from './record-id.ts';
import { isOutsideManifest, JOURNAL_FILE, PUBLIC_KEY_FILE, SHA256SUMS_FILE, SIGNATURE_SUFFIX } from './run-layout.ts';
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

export interface FinishedRun {
  dir: string;
  verdict: Verdict;
  summaryFile: string;
  manifestFile: string;
}

/** The summary's fields that describe the run, not its verdict. */
const SUMMARY_FIELDS = ['run_id', 'kind', 'title', 'timestamp', 'started_at', 'trial', 'contract', 'parameters', 'criteria'] as const;

export class RunWriter {
  readonly id: string;
  readonly dir: string;
  readonly journal: Journal;
  private readonly judge: Judge;
  private readonly key: SigningKey;
  /** What the run is (the config snapshot is written once, at create). */
  private readonly options: Omit<RunOptions, 'snapshot'>;
  private readonly startedAt: Date;

  private constructor(id: string, dir: string, journal: Journal, judge: Judge, key: SigningKey, options: Omit<RunOptions, 'snapshot'>, startedAt: Date) {
    this.id = id;
    this.dir = dir;
    this.journal = journal;
    this.judge = judge;
    this.key = key;
    this.options = options;
    this.startedAt = startedAt;
  }

  static async create(options: RunOptions): Promise<RunWriter> {
    const judge = judgeFor(options.kind);
    if (!judge) throw new Error(`no judge is registered for run kind "${options.kind}"`);
    const key = loadOrCreateSigningKey(options.keysDir);
    const id = options.id ?? newRecordId();
    const dir = join(options.artifactsDir, id);
    const startedAt = new Date();
    const snapshot = buildConfigSnapshot({ ...options.snapshot, contract: { version: options.contract.version, hash: options.contract.hash, path: options.contract.path } });
    writeConfigSnapshot(dir, snapshot);
    writeArtifact(dir, PUBLIC_KEY_FILE, key.publicKeyPem);
    const journal = await Journal.open(join(dir, JOURNAL_FILE), { contract: { version: options.contract.version, hash: options.contract.hash }, actor: options.actor });
    const run = new RunWriter(id, dir, journal, judge, key, options, startedAt);
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
    const judge = judgeFor(kind);
    if (!judge) throw new Error(`no judge is registered for run kind "${kind}"`);
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
    return new RunWriter(options.id as string, dir, journal, judge, loadOrCreateSigningKey(keysDir), options, new Date(start.event_time));
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
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name) || isOutsideManifest(name)) throw new RangeError(`evidence file name ${JSON.stringify(name)} must be a plain file name of the run`);
    if (existsSync(join(this.dir, name))) throw new Error(`evidence file ${name} already exists in ${this.dir}: evidence is written once`);
    writeArtifact(this.dir, name, content);
  }

  /** A signed mark of the journal's length and head, at a gate transition. */
  async checkpoint(reason: string): Promise<Checkpoint> {
    await this.journal.flush();
    return appendCheckpoint(this.dir, this.key, { count: this.journal.count, headHash: this.journal.headHash }, reason);
  }

  /**
   * Ends the run: the end record, the verdict judged from the journal as written on disk,
   * the verdict's status as a record of its own, the summary, a final checkpoint, then
   * the manifest over every file, its companion and the signature.
   */
  async finish(endPayload: Record<string, unknown> = {}): Promise<FinishedRun> {
    await this.journal.append({ type: 'run.end', correlation_id: this.id, payload: endPayload });
    await this.journal.flush();
    // Judged from the file, as verify reads it, up to run.end: the verdict record written
    // next is the judge's output, never its input.
    const written = readJournal(join(this.dir, JOURNAL_FILE)).records;
    const verdict = this.judge.judge(written.slice(0, written.findLastIndex((r) => r.type === 'run.end') + 1), this.options.criteria);
    // For views rebuilt from journals alone (state/): the status, after the records it was
    // judged from and before the final checkpoint, which signs it with the rest.
    const reasons = Array.isArray(verdict.reasons) ? verdict.reasons.slice(0, 5) : [];
    await this.journal.append({ type: 'run.verdict', correlation_id: this.id, payload: { status: verdict.status, reasons } });
    await this.journal.close();
    const reading = readJournal(join(this.dir, JOURNAL_FILE));
    const finishedAt = new Date();
    const stamp = artifactTimestamp(finishedAt);
    const label = this.options.label ?? this.options.kind;
    // The verdict is spread into the summary beside the run's own fields: a judge that
    // returned one of them would silently replace it (and verify would then disagree).
    const clash = SUMMARY_FIELDS.filter((field) => field in verdict);
    if (clash.length > 0) throw new Error(`the ${this.judge.kind} judge returned ${clash.join(', ')}, which the summary holds for the run itself`);
    const summary = {
      run_id: this.id,
      kind: this.options.kind,
      ...(this.options.start?.gate === undefined ? {} : { gate: this.options.start.gate }),
      title: this.judge.title,
      timestamp: finishedAt.toISOString(),
      started_at: this.startedAt.toISOString(),
      trial: this.options.trial === true,
      contract: { name: this.options.contract.name, version: this.options.contract.version, hash: this.options.contract.hash },
      parameters: this.options.parameters,
      criteria: this.options.criteria,
      ...verdict,
    };
    const summaryFile = gateArtifactName(label, 'summary', stamp, 'json');
    writeArtifact(this.dir, summaryFile, `${JSON.stringify(summary, null, 2)}\n`);
    appendCheckpoint(this.dir, this.key, { count: reading.records.length, headHash: reading.records.at(-1)?.hash ?? '' }, 'end of run', finishedAt);

    const names = readdirSync(this.dir).filter((name) => !isOutsideManifest(name)).sort();
    const entries = await hashFiles(this.dir, names);
    const manifestFile = gateArtifactName(label, 'manifest', stamp, 'sha256');
    // `# Gate 1 Evidence Manifest` for gate1; other runs by their label.
    const manifestGate = /^gate(\d+)$/.exec(label)?.[1] ?? label;
    const manifest = renderManifest({ gate: manifestGate, generated: finishedAt, status: verdict.status, entries });
    writeArtifact(this.dir, manifestFile, manifest);
    writeArtifact(this.dir, SHA256SUMS_FILE, renderSha256sum(entries));
    writeArtifact(this.dir, `${manifestFile}${SIGNATURE_SUFFIX}`, signBytes(this.key, Buffer.from(manifest, 'utf8')));
    return { dir: this.dir, verdict, summaryFile, manifestFile };
  }
}
