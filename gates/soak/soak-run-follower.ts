// Follows a Gate 2 (soak) run from its folder, for the on-call view and `evident watch`:
// `run.start` is read once; each poll folds the minute files closed since the last one
// (from minute 1 when attached late) into the same SoakTally the runner and the judge use,
// so the view's criteria are what the verdict will say; and the journal's last bytes are
// looked at for the end. Reads files only. A minute document is folded once and dropped:
// what stays is one compact point per minute, so following a 48-hour run costs a few
// hundred KB, not the documents.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { readCriteria, readParameters } from './recorded-setup.ts';
import { MINUTE_METRICS_FORMAT, minuteMetricsFileName, storedPercentiles, type MinuteMetrics } from './minute-document.ts';
import { SoakTally, type Breach, type CriterionVerdict, type SoakCriteria } from './soak-tally.ts';
import type { JournalRecord } from '../../src/evidence/journal-record.ts';
import { JOURNAL_FILE, SUMMARY_PATTERN } from '../../src/evidence/run-layout.ts';
import { readFirstRecord, readTailRecords } from '../../src/state/journal-ends.ts';

export type SoakStatus = 'PASSED' | 'FAILED' | 'INTERRUPTED';

/** What the run is, from its `run.start` record. */
export interface SoakRunInfo {
  runId: string;
  gate: string;
  title: string;
  trial: boolean;
  /** The start record's event_time: minute m ends at start + m × minuteS. */
  startedAt: string;
  /** The services declared, then any others the minutes named, in the order first seen. */
  services: readonly string[];
  durationS: number;
  warmupS: number;
  minuteS: number;
  target: string | null;
  criteria: SoakCriteria;
  /** The first minute after warm-up: the RSS and p95 baselines. */
  baseline: number;
  /** Whole minutes the run is to have. */
  expected: number;
}

/** One closed minute, kept after its document is dropped. */
export interface SoakMinutePoint {
  minute: number;
  requests: number;
  sent: number;
  errors: number;
  achievedRate: number;
  targetRate: number;
  /** As written in the minute (verify checks them against its encoded histogram). */
  p50: number | null;
  p95: number | null;
  p99: number | null;
  /** Median RSS per service, in `SoakRunInfo.services` order (shorter for minutes before a service first appeared). */
  rss: readonly (number | null)[];
  /** Restarts seen in this minute, over every service. */
  restarts: number;
  /** After this minute: errors ÷ requests over the run so far. */
  errorRate: number;
  /** After this minute: the service whose memory grew most since the baseline minute. */
  worstGrowth: { service: string; growth: number } | null;
  /** Criteria first breached in this minute. */
  breaches: readonly Breach[];
}

export interface SoakRunEnd {
  /** The verdict's status; null between `run.end` and the verdict. */
  status: SoakStatus | null;
  reasons: readonly string[];
  /** The `run.end` record's event_time (null when only the summary told the end). */
  endedAt: string | null;
  summaryFile: string | null;
}

export interface SoakRunSnapshot {
  dir: string;
  /** Why the folder cannot be followed as a soak run; nothing more is read then. */
  error: string | null;
  /** A passing problem (a minute file that did not parse), retried at the next poll. */
  problem: string | null;
  /** Null until `run.start` is written. */
  run: SoakRunInfo | null;
  points: readonly SoakMinutePoint[];
  /** Every criterion as the judge would state it now. */
  criteria: readonly CriterionVerdict[];
  firstBreach: Breach | null;
  /** Minutes with no file while later ones have one. */
  missing: readonly number[];
  /** More minute files are waiting: poll again soon (a late attach catching up). */
  behind: boolean;
  /** Null while the run has no end record. */
  end: SoakRunEnd | null;
  /** Changes whenever anything above does. */
  version: number;
}

export interface SoakRunFollowerOptions {
  /** Minute files folded per poll at most, so catching up on two days never blocks a frame for long. */
  maxMinutesPerPoll?: number;
}

const MAX_MINUTES_PER_POLL = 240;

export class SoakRunFollower {
  readonly dir: string;
  private readonly maxPerPoll: number;
  private info: SoakRunInfo | null = null;
  private tally: SoakTally | null = null;
  private readonly serviceIndex = new Map<string, number>();
  private readonly points: SoakMinutePoint[] = [];
  private readonly missing: number[] = [];
  private next = 1;
  private journalSize = -1;
  private endState: SoakRunEnd | null = null;
  private summaryLooked = false;
  private current: SoakRunSnapshot;

  constructor(dir: string, options: SoakRunFollowerOptions = {}) {
    this.dir = dir;
    this.maxPerPoll = options.maxMinutesPerPoll ?? MAX_MINUTES_PER_POLL;
    this.current = { dir, error: null, problem: null, run: null, points: [], criteria: [], firstBreach: null, missing: [], behind: false, end: null, version: 0 };
  }

  get snapshot(): SoakRunSnapshot {
    return this.current;
  }

  /** Reads what changed since the last poll; true when the snapshot changed. */
  poll(): boolean {
    if (this.current.error !== null) return false;
    try {
      let startedNow = false;
      if (this.info === null) {
        const started = this.readStart();
        if (started !== null) return this.publish({ error: started });
        if (this.info === null) return false;
        // Shown at once: a view must not wait a whole minute for the first file to say what runs.
        startedNow = true;
      }
      // The end first: every minute file is written before `run.end`, so the minutes read
      // next are complete once the end is seen.
      const ended = this.readEnd();
      const minutes = this.readMinutes();
      if (!startedNow && !ended && !minutes.changed && minutes.problem === this.current.problem && minutes.behind === this.current.behind) return false;
      return this.publish({ problem: minutes.problem, behind: minutes.behind });
    } catch (error) {
      // A file that cannot be read at all (permissions, I/O): said, and tried again next poll.
      const problem = `cannot read ${this.dir}: ${(error as Error).message}`;
      if (problem === this.current.problem) return false;
      return this.publish({ problem });
    }
  }

  private publish(change: Partial<Pick<SoakRunSnapshot, 'error' | 'problem' | 'behind'>>): true {
    const tally = this.tally;
    this.current = {
      ...this.current,
      ...change,
      run: this.info,
      points: [...this.points],
      criteria: tally === null ? [] : tally.criteriaResults(),
      firstBreach: tally === null ? null : tally.firstBreach(),
      missing: [...this.missing],
      end: this.endState,
      version: this.current.version + 1,
    };
    return true;
  }

  /** Reads `run.start`; returns why the folder is not a soak run, or null (started, or not yet). */
  private readStart(): string | null {
    if (!existsSync(this.dir)) return `no run folder at ${this.dir}`;
    let first: JournalRecord | null;
    try {
      first = readFirstRecord(join(this.dir, JOURNAL_FILE));
    } catch (error) {
      // A run folder is made before its journal's first line: wait for it.
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
    if (first === null) return null;
    if (first.type !== 'run.start') return `${this.dir} is not a run folder: its journal starts with ${first.type}, not run.start`;
    const p = first.payload;
    if (p.kind !== 'soak') return `${this.dir} holds a ${String(p.kind ?? 'unknown')} run, not a soak run (Gate 2)`;
    const parameters = readParameters(p.parameters);
    const services = Array.isArray(p.services) ? (p.services as unknown[]).filter((s): s is string => typeof s === 'string') : [];
    const criteria = readCriteria((p.criteria ?? {}) as Record<string, unknown>);
    // The percentiles written in each minute: verify checks them against its histogram, and
    // the console then follows a soak without loading the histogram code (~20 MB).
    this.tally = new SoakTally({ ...parameters, services, criteria, percentiles: storedPercentiles });
    for (const name of services) if (!this.serviceIndex.has(name)) this.serviceIndex.set(name, this.serviceIndex.size);
    const raw = (p.parameters ?? {}) as Record<string, unknown>;
    this.info = {
      runId: String(p.run_id ?? first.correlation_id),
      gate: typeof p.gate === 'string' ? p.gate : 'gate2',
      title: typeof p.title === 'string' ? p.title : 'Gate 2',
      trial: p.trial === true,
      startedAt: first.event_time,
      services: [...this.serviceIndex.keys()],
      durationS: parameters.duration_s,
      warmupS: parameters.warmup_s,
      minuteS: parameters.minute_s,
      target: typeof raw.target === 'string' ? raw.target : null,
      criteria,
      baseline: this.tally.baseline,
      expected: this.tally.expected,
    };
    return null;
  }

  /** Looks for `run.end` and `run.verdict` in the journal's tail when it grew, and for the summary once it ended. */
  private readEnd(): boolean {
    if (this.endState?.status != null && this.endState.summaryFile !== null) return false;
    let changed = false;
    const size = statSync(join(this.dir, JOURNAL_FILE)).size;
    if (size !== this.journalSize) {
      this.journalSize = size;
      for (const record of readTailRecords(join(this.dir, JOURNAL_FILE), size)) {
        if (record.type === 'run.end' && this.endState?.endedAt == null) {
          this.endState = { status: this.endState?.status ?? null, reasons: this.endState?.reasons ?? [], endedAt: record.event_time, summaryFile: this.endState?.summaryFile ?? null };
          changed = true;
        } else if (record.type === 'run.verdict' && this.endState?.status == null && isStatus(record.payload.status)) {
          const reasons = Array.isArray(record.payload.reasons) ? record.payload.reasons.map(String) : [];
          this.endState = { status: record.payload.status, reasons, endedAt: this.endState?.endedAt ?? null, summaryFile: this.endState?.summaryFile ?? null };
          changed = true;
        }
      }
    }
    // The summary is written after the verdict record; a journal whose tail told nothing
    // (attached to an old run) is checked once too.
    if ((this.endState !== null || !this.summaryLooked) && this.endState?.summaryFile == null) {
      this.summaryLooked = true;
      const summary = this.readSummary();
      if (summary !== null) {
        this.endState = {
          status: this.endState?.status ?? summary.status,
          reasons: this.endState?.reasons.length ? this.endState.reasons : summary.reasons,
          endedAt: this.endState?.endedAt ?? null,
          summaryFile: summary.file,
        };
        changed = true;
      }
    }
    return changed;
  }

  private readSummary(): { file: string; status: SoakStatus | null; reasons: string[] } | null {
    const file = readdirSync(this.dir).find((name) => SUMMARY_PATTERN.test(name));
    if (file === undefined) return null;
    try {
      const summary = JSON.parse(readFileSync(join(this.dir, file), 'utf8')) as { status?: unknown; reasons?: unknown };
      return { file, status: isStatus(summary.status) ? summary.status : null, reasons: Array.isArray(summary.reasons) ? summary.reasons.map(String) : [] };
    } catch {
      // Written atomically, so unreadable means damaged: the journal's verdict still counts.
      return { file, status: null, reasons: [] };
    }
  }

  /** Folds the minute files from the next one on, as far as they exist (at most maxPerPoll). */
  private readMinutes(): { changed: boolean; problem: string | null; behind: boolean } {
    const tally = this.tally as SoakTally;
    let changed = false;
    for (let read = 0; read < this.maxPerPoll; read++) {
      const name = minuteMetricsFileName(this.next);
      let text: string;
      try {
        text = readFileSync(join(this.dir, name), 'utf8');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
        if (!this.skipMissingMinute()) return { changed, problem: null, behind: false };
        changed = true;
        continue;
      }
      let doc: MinuteMetrics;
      try {
        doc = JSON.parse(text) as MinuteMetrics;
        if (doc.format !== MINUTE_METRICS_FORMAT || doc.minute !== this.next) throw new Error(`not the document of minute ${this.next} (format ${String(doc.format)}, minute ${String(doc.minute)})`);
      } catch (error) {
        return { changed, problem: `${name}: ${(error as Error).message}; read again at the next poll`, behind: false };
      }
      const before = tally.breaches().length;
      tally.add(doc);
      this.points.push(this.pointOf(doc, tally, before));
      this.next += 1;
      changed = true;
    }
    return { changed, problem: null, behind: existsSync(join(this.dir, minuteMetricsFileName(this.next))) };
  }

  /**
   * The next minute has no file: skipped (true) when a later minute has one — the runner
   * writes them in order, so this one will never come — else not closed yet (false).
   */
  private skipMissingMinute(): boolean {
    let later = existsSync(join(this.dir, minuteMetricsFileName(this.next + 1)));
    // Once the run ended, a longer gap is looked for in the folder, once.
    if (!later && this.endState !== null) {
      const prefix = minuteMetricsFileName(0).replace(/0000\.json$/, '');
      later = readdirSync(this.dir).some((n) => n.startsWith(prefix) && Number(n.slice(prefix.length, -'.json'.length)) > this.next);
    }
    if (!later) return false;
    this.missing.push(this.next);
    this.next += 1;
    return true;
  }

  private pointOf(doc: MinuteMetrics, tally: SoakTally, breachesBefore: number): SoakMinutePoint {
    const rss: (number | null)[] = [];
    let restarts = 0;
    for (const s of doc.services ?? []) {
      if (!this.serviceIndex.has(s.name)) {
        this.serviceIndex.set(s.name, this.serviceIndex.size);
        this.info = { ...(this.info as SoakRunInfo), services: [...this.serviceIndex.keys()] };
      }
      rss[this.serviceIndex.get(s.name) as number] = typeof s.rss_bytes === 'number' ? s.rss_bytes : null;
      restarts += s.restarts ?? 0;
    }
    for (let i = 0; i < rss.length; i++) rss[i] ??= null;
    const latency = storedPercentiles(doc);
    const results = tally.criteriaResults();
    const rate = results.find((c) => c.name === 'max_error_rate')?.measured ?? 0;
    let worstGrowth: SoakMinutePoint['worstGrowth'] = null;
    for (const c of results) {
      if (c.name !== 'max_memory_growth' || c.measured === null || c.service === undefined) continue;
      if (worstGrowth === null || c.measured > worstGrowth.growth) worstGrowth = { service: c.service, growth: c.measured };
    }
    const breaches = tally.breaches();
    const o = doc.overall;
    return {
      minute: doc.minute,
      requests: o?.requests ?? 0,
      sent: o?.sent ?? 0,
      errors: o?.errors_total ?? 0,
      achievedRate: o?.achieved_rate_per_s ?? 0,
      targetRate: o?.target_rate_per_s ?? 0,
      p50: latency.p50_ms,
      p95: latency.p95_ms,
      p99: latency.p99_ms,
      rss,
      restarts,
      errorRate: rate,
      worstGrowth,
      breaches: breaches.length > breachesBefore ? breaches.filter((b) => b.minute === doc.minute) : [],
    };
  }
}

function isStatus(value: unknown): value is SoakStatus {
  return value === 'PASSED' || value === 'FAILED' || value === 'INTERRUPTED';
}
