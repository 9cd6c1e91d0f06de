// The header's warning about processes left behind after a stop, as one line.
import type { Leftover } from '../src/telemetry/fleet-snapshot.ts';
import { truncate } from './format.ts';

/** `pid 123 (orphan of openclaw)`, `pid 77 (defunct, child of eva-os)`, `pid 4242 (listener on :7010)`. */
export function describeLeftover(leftover: Leftover): string {
  const who = leftover.pid === null ? 'unknown pid' : `pid ${leftover.pid}`;
  const of = leftover.service === null ? '' : ` of ${leftover.service}`;
  switch (leftover.kind) {
    case 'orphan':
      return `${who} (orphan${of})`;
    case 'defunct':
      return `${who} (defunct${leftover.service === null ? '' : `, child of ${leftover.service}`})`;
    case 'listener':
      return `${who} (listener${leftover.port === null ? '' : ` on :${leftover.port}`}${of})`;
    default: {
      const unknown: never = leftover.kind;
      throw new Error(`unknown leftover kind: ${String(unknown)}`);
    }
  }
}

/**
 * `2 leftovers: pid 123 (orphan of openclaw), pid 456 (listener on :7010) · R reaps 1 ours`,
 * cut to `width` in the middle of the list so the reap hint stays visible.
 */
export function leftoversLine(leftovers: readonly Leftover[], width: number): string {
  const noun = leftovers.length === 1 ? 'leftover' : 'leftovers';
  const ours = leftovers.filter((l) => l.ours).length;
  const hint = ours === 0 ? '' : ` · R reaps ${ours} ours`;
  const list = `${leftovers.length} ${noun}: ${leftovers.map(describeLeftover).join(', ')}`;
  return `${truncate(list, Math.max(1, width - hint.length))}${hint}`;
}
