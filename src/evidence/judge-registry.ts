// Where run kinds plug in their judge. A judge is pure: the verdict is a function of the
// run's journal records and the criteria written in its summary, nothing else, so
// `evident verify` can recompute it from the files alone.
import type { JournalRecord } from './journal-record.ts';

export type RunStatus = 'PASSED' | 'FAILED' | 'INTERRUPTED';

/** What a judge derives. Every field is written into the summary and checked by verify. */
export interface Verdict {
  status: RunStatus;
  [field: string]: unknown;
}

export interface Judge {
  /** The run kind this judge decides: `shutdown`, `gate1`, … */
  kind: string;
  /** Human title for manifests and reports: `Shutdown Check`, `Gate 1`. */
  title: string;
  judge(records: readonly JournalRecord[], criteria: Record<string, unknown>): Verdict;
  /**
   * Files a run kind writes beside its journal that must agree with it (Gate 2's
   * per-minute metrics files), checked by verify: the problems found, none when they
   * agree. `read` gives a file's text, or null when the run folder has no such file.
   */
  checkEvidenceFiles?(records: readonly JournalRecord[], names: readonly string[], read: (name: string) => string | null): string[];
}

const judges = new Map<string, Judge>();

export function registerJudge(judge: Judge): void {
  const existing = judges.get(judge.kind);
  if (existing && existing !== judge) throw new Error(`a judge for run kind "${judge.kind}" is already registered`);
  judges.set(judge.kind, judge);
}

export function judgeFor(kind: string): Judge | undefined {
  return judges.get(kind);
}

export function registeredKinds(): string[] {
  return [...judges.keys()].sort();
}
