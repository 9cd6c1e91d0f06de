// What evident has on record to prove a process its own: the identities in state/pids/
// (each service's process and what it was seen to start) and the leftovers found by the
// last check, and the process group and session each pid file records.
import { readFileSync } from 'node:fs';
import type { StatePaths } from '../paths/state-paths.ts';
import { serviceGroupOf, type KnownOwner, type ServiceGroup } from './ownership.ts';
import { listPidFiles, readPidFile, type PidRecord } from './pid-file.ts';

export function knownProcesses(paths: StatePaths): KnownOwner[] {
  const known: KnownOwner[] = [];
  for (const record of pidRecords(paths)) {
    known.push({ service: record.service, known: record });
    for (const d of record.descendants) known.push({ service: record.service, known: d });
  }
  known.push(...readRecordedLeftovers(paths));
  return known;
}

/** The process group and session of every service with a pid file. */
export function recordedGroups(paths: StatePaths): ServiceGroup[] {
  return pidRecords(paths).map(serviceGroupOf);
}

function pidRecords(paths: StatePaths): PidRecord[] {
  return listPidFiles(paths.pids).flatMap((service) => {
    const read = readPidFile(paths.pids, service);
    return read.kind === 'ok' ? [{ ...read.record, service }] : [];
  });
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
