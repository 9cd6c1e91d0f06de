// The processes a pid file keeps as seen under its service: the live ones. A process that
// ended is dropped (its pid and start time never name a live process again), so the list
// is as long as the tree, not as long as the service's history: a service that runs a
// short helper every second would otherwise grow it, and every rewrite of it, forever.
// A new stop or start begins a new record, so what is kept was also seen since then.
import type { ProcessInfo } from '../platform/platform.ts';
import type { KnownProcess, PidRecord } from './pid-file.ts';
import { toKnown } from './process-identity.ts';

/** The record's descendants still alive in `table`, then `members` seen for the first time; null when that is the list it already has. */
export function liveDescendants(record: PidRecord, members: readonly ProcessInfo[], table: readonly ProcessInfo[]): KnownProcess[] | null {
  const alive = new Set(table.filter((p) => p.state !== 'Z').map((p) => `${p.pid}/${p.startToken}`));
  const kept = record.descendants.filter((d) => alive.has(`${d.pid}/${d.start_token}`));
  const keptIds = new Set(kept.map((d) => `${d.pid}/${d.start_token}`));
  const fresh = members.filter((m) => m.state !== 'Z' && !keptIds.has(`${m.pid}/${m.startToken}`));
  if (fresh.length === 0 && kept.length === record.descendants.length) return null;
  return [...kept, ...fresh.map(toKnown)];
}
