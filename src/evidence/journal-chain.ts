// Checks a journal's lines the way a cold reviewer would: each line is a record of the
// right shape, its hash matches its content, it names the line before it by that line's
// hash, and ids increase. Pure: lines in, findings out.
import { GENESIS_HASH, recordHash, type JournalRecord } from './journal-record.ts';
import { recordShapeProblems } from './journal-record-shape.ts';

export type ChainCheck = 'parse' | 'shape' | 'hash' | 'chain' | 'order';

export interface ChainProblem {
  /** 1-based line number in the journal file. */
  line: number;
  check: ChainCheck;
  message: string;
}

export interface ChainReport {
  /** Records in the valid prefix: the lines before the first problem. */
  count: number;
  /** Hash of the last record of the valid prefix (the start's hash when there is none). */
  headHash: string;
  /** Id of the last record of the valid prefix (the start's id when there is none). */
  headId: string | null;
  /** The records of the valid prefix, in file order. */
  records: JournalRecord[];
  problems: ChainProblem[];
}

/** Where checked lines continue a chain: the journal's start, or the lines already read. */
export interface ChainStart {
  prevHash: string;
  prevId: string | null;
  /** The 1-based file line number of the first line handed in. */
  firstLine: number;
}

export const CHAIN_FROM_GENESIS: ChainStart = { prevHash: GENESIS_HASH, prevId: null, firstLine: 1 };

/** Checks `lines` (complete lines, without their newlines) as the continuation of `start`. */
export function checkChain(lines: readonly string[], start: ChainStart = CHAIN_FROM_GENESIS): ChainReport {
  const problems: ChainProblem[] = [];
  const records: JournalRecord[] = [];
  let headHash = start.prevHash;
  let headId = start.prevId;
  let prefixValid = true;
  // What the next line must name: the hash stored in the line before (null when that
  // line could not be read, so one bad line is reported once, not again by its neighbour).
  let prevHash: string | null = start.prevHash;
  let prevId = start.prevId;
  let prevIdLine = start.firstLine - 1;

  lines.forEach((line, index) => {
    const lineNo = start.firstLine + index;
    const problem = (check: ChainCheck, message: string) => problems.push({ line: lineNo, check, message: `line ${lineNo}: ${escapeControl(message)}` });
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch (error) {
      problem('parse', `not valid JSON (${(error as Error).message})`);
      prefixValid = false;
      prevHash = null;
      return;
    }
    const shapeProblems = recordShapeProblems(parsed);
    if (shapeProblems.length > 0) {
      const issues = shapeProblems.slice(0, 3).map((p) => `${p.path}: ${p.message}`);
      const more = shapeProblems.length > 3 ? ` (and ${shapeProblems.length - 3} more)` : '';
      problem('shape', `not a journal record: ${issues.join('; ')}${more}`);
      prefixValid = false;
      prevHash = null;
      return;
    }
    const record = parsed as JournalRecord;
    let lineValid = true;
    if (computedHash(record) !== record.hash) {
      problem('hash', 'hash does not match its content (edited?)');
      lineValid = false;
    }
    if (prevHash !== null && record.prev_hash !== prevHash) {
      problem(
        'chain',
        lineNo === 1 ? 'prev_hash is not the genesis hash (lines removed from the start?)' : `prev_hash does not match line ${lineNo - 1} (a line removed or reordered?)`,
      );
      lineValid = false;
    }
    if (prevId !== null && !(record.id > prevId)) {
      problem('order', `id ${record.id} does not come after line ${prevIdLine}'s id ${prevId} (reordered?)`);
      lineValid = false;
    }
    if (prefixValid && lineValid) {
      records.push(record);
      headHash = record.hash;
      headId = record.id;
    } else {
      prefixValid = false;
    }
    prevHash = record.hash;
    prevId = record.id;
    prevIdLine = lineNo;
  });
  return { count: records.length, headHash, headId, records, problems };
}

/** A damaged line quoted in a message must not drive the terminal it is shown on. */
function escapeControl(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** The record's hash, or null when its content cannot be hashed (a number too large for JSON, say). */
function computedHash(record: JournalRecord): string | null {
  try {
    return recordHash(record);
  } catch {
    return null;
  }
}

/** A chain's problems as one message: a header naming the journal, then one line each. */
export function formatChainProblems(journalPath: string, problems: readonly ChainProblem[], limit = 20): string {
  const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
  const shown = problems.slice(0, limit).map((p) => `  ${p.message}`);
  if (problems.length > limit) shown.push(`  … and ${problems.length - limit} more`);
  return [`journal ${journalPath} has ${count}:`, ...shown].join('\n');
}
