// Whether a gate run has ended: its folder holds its summary (written after `run.end`
// and the verdict). A run whose folder was never made has nothing left to end either.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { SUMMARY_PATTERN } from './run-layout.ts';

export function runEnded(artifactsDir: string, runId: string): boolean {
  try {
    return readdirSync(join(artifactsDir, runId)).some((name) => SUMMARY_PATTERN.test(name));
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT';
  }
}
