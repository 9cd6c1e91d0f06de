// What the execution log is rendered from, read from disk: the state view and gate states
// the caller has, plus each run folder's file names and the parameters in its journal's
// first record. `evident log` and the console's log overlay both build it here, so both
// show the same text.
import { closeSync, openSync, readdirSync, readSync } from 'node:fs';
import { join } from 'node:path';
import type { ExecutionLogInput, RunFolder } from '../execution-log.ts';
import type { GateState } from '../gate-states.ts';
import { JOURNAL_FILE } from '../../src/evidence/run-layout.ts';
import type { Pipeline } from '../../src/pipeline/pipeline.ts';
import type { StateView } from '../../src/state/state-view.ts';

// A run.start record is one line; far below this. A longer first line is not read.
const MAX_FIRST_LINE = 1024 * 1024;

export interface ExecutionLogSources {
  pipeline: Pick<Pipeline, 'name' | 'version' | 'gates'>;
  contract: { name: string; version: string; hash: string };
  states: readonly GateState[];
  view: StateView;
  artifactsDir: string;
  generatedAt: Date;
}

export function executionLogInput(sources: ExecutionLogSources): ExecutionLogInput {
  const { pipeline, contract, states, view, artifactsDir, generatedAt } = sources;
  return {
    pipeline,
    contract: { name: contract.name, version: contract.version, hash: contract.hash },
    states,
    view,
    artifactsDir,
    runFolders: runFolders(view),
    generatedAt,
  };
}

/** Each run folder's file names, and its parameters from the first record of its journal. */
function runFolders(view: StateView): Record<string, RunFolder> {
  const folders: Record<string, RunFolder> = {};
  for (const [runId, run] of Object.entries(view.runs)) {
    let files: string[] = [];
    try {
      files = readdirSync(run.dir, { withFileTypes: true })
        .filter((entry) => entry.isFile())
        .map((entry) => entry.name)
        .sort();
    } catch {
      // The folder is gone (quarantined since): the log shows the run without links.
    }
    const parameters = runParameters(join(run.dir, JOURNAL_FILE));
    folders[runId] = parameters === null ? { files } : { files, parameters };
  }
  return folders;
}

/** The parameters of a run's `run.start` record (its journal's first line), or null. */
function runParameters(journalPath: string): Record<string, unknown> | null {
  let fd: number;
  try {
    fd = openSync(journalPath, 'r');
  } catch {
    return null;
  }
  try {
    const chunks: Buffer[] = [];
    let total = 0;
    while (total < MAX_FIRST_LINE) {
      const chunk = Buffer.alloc(64 * 1024);
      const read = readSync(fd, chunk, 0, chunk.length, total);
      if (read === 0) break;
      const part = chunk.subarray(0, read);
      const newline = part.indexOf(0x0a);
      chunks.push(newline === -1 ? part : part.subarray(0, newline));
      total += read;
      if (newline !== -1) {
        const record = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { type?: unknown; payload?: { parameters?: unknown } };
        const parameters = record.type === 'run.start' ? record.payload?.parameters : undefined;
        return typeof parameters === 'object' && parameters !== null && !Array.isArray(parameters) ? (parameters as Record<string, unknown>) : null;
      }
    }
    return null;
  } catch {
    // Not JSON: verify reports a broken journal; the log just shows no parameters.
    return null;
  } finally {
    closeSync(fd);
  }
}
