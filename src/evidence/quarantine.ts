// A run that fails verification is moved out of the way, never deleted: into
// `<artifacts>/invalidated/<run>/`, with `<run>.why.txt` beside it saying what failed.
import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { syncFolder } from '../fs/atomic-write.ts';
import type { CheckResult } from './verify-run.ts';
import { writeArtifact } from './write-artifact.ts';

export const INVALIDATED_DIR = 'invalidated';

export function quarantineRun(runDir: string, failures: readonly CheckResult[], by: string, at = new Date()): { movedTo: string; reasonFile: string } {
  const parent = dirname(runDir);
  const target = basename(parent) === INVALIDATED_DIR ? parent : join(parent, INVALIDATED_DIR);
  mkdirSync(target, { recursive: true });
  let name = basename(runDir);
  // A run quarantined before under the same name keeps its place; this one gets a suffix.
  for (let n = 2; existsSync(join(target, name)) && join(target, name) !== runDir; n += 1) name = `${basename(runDir)}.${n}`;
  const movedTo = join(target, name);
  if (movedTo !== runDir) {
    renameSync(runDir, movedTo);
    syncFolder(parent);
    syncFolder(target);
  }
  const reasonFile = `${name}.why.txt`;
  const lines = [
    `run ${basename(runDir)} failed verification and was moved here from ${runDir}`,
    `by ${by} at ${at.toISOString()}`,
    '',
    ...failures.map((f) => `FAIL ${f.check}${f.file ? ` ${f.file}` : ''}: ${f.detail}`),
    '',
  ];
  if (!existsSync(join(target, reasonFile))) writeArtifact(target, reasonFile, lines.join('\n'));
  return { movedTo, reasonFile: join(target, reasonFile) };
}
