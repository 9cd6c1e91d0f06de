// Short histories for sparklines: append a point, keep the last `length`. Returns a new
// array so snapshots holding the old one stay unchanged.
import { HISTORY_LENGTH } from './fleet-snapshot.ts';

export function appendPoint(history: readonly number[], value: number, length = HISTORY_LENGTH): number[] {
  const next = history.length >= length ? history.slice(history.length - length + 1) : history.slice();
  next.push(value);
  return next;
}
