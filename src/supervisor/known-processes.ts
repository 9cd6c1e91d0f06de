// Every process identity evident has on record: the services in state/pids/ and what
// they were seen to start, plus leftovers found by earlier checks.
import { readFileSync } from 'node:fs';
import type { StatePaths } from '../paths/state-paths.ts';
import type { KnownOwner } from './ownership.ts';
import { listPidFiles, readPidFile } from './pid-file.ts';

export function knownProcesses(paths: StatePaths): KnownOwner[] {
  const known: KnownOwner[] = [];
  for (const service of listPidFiles(paths.pids)) {
    const read = readPidFile(paths.pids, service);
    if (read.kind !== 'ok') continue;
    known.push({ service, known: read.record });
    for (const d of read.record.descendants) known.push({ service, known: d });
  }
  known.push(...readRecordedLeftovers(paths));
  return known;
}

/** Leftovers written by the last check (state/leftovers.json). */
export function readRecordedLeftovers(paths: StatePaths): KnownOwner[] {
  try {
    const parsed = JSON.parse(readFileSync(paths.leftovers, 'utf8')) as { processes?: KnownOwner[] };
    return Array.isArray(parsed.processes) ? parsed.processes : [];
  } catch {
    return [];
  }
}
