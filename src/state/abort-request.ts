// How an operator asks a running gate to stop: a small file in state/runs/ naming the run,
// who asked and why. The runner looks for it every half second (a file works the same on
// every platform and survives the asking process), records who asked, stops the fleet
// and ends the run INTERRUPTED.
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../fs/atomic-write.ts';
import type { StatePaths } from '../paths/state-paths.ts';

export interface AbortRequest {
  run_id: string;
  actor: string;
  reason: string;
  requested_at: string;
  /** The operator journal record of the request. */
  record_id: string | null;
}

export function abortRequestPath(paths: StatePaths, runId: string): string {
  return join(paths.root, 'runs', `${runId}.abort.json`);
}

export function writeAbortRequest(paths: StatePaths, request: AbortRequest): void {
  writeFileAtomic(abortRequestPath(paths, request.run_id), `${JSON.stringify(request, null, 2)}\n`);
}

export function readAbortRequest(paths: StatePaths, runId: string): AbortRequest | null {
  try {
    const parsed = JSON.parse(readFileSync(abortRequestPath(paths, runId), 'utf8')) as AbortRequest;
    return parsed.run_id === runId ? parsed : null;
  } catch {
    return null;
  }
}

export function removeAbortRequest(paths: StatePaths, runId: string): void {
  rmSync(abortRequestPath(paths, runId), { force: true });
}
