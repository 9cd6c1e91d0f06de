// The footer's key hints for a scope, taken from the key table and fitted to a width.
import { bindingsIn, KEY_BINDINGS } from './key-bindings.ts';
import type { KeyBinding, Scope } from './key-bindings.ts';

const SEPARATOR = '  ';
/** Kept when the width forces hints out: without them nobody finds the rest. */
const ALWAYS = new Set(['help.open', 'quit.open']);

/** `s start  x stop  r restart  …  ? help  q quit`, dropping hints from the right (help and quit stay) until it fits. */
export function footerHints(scope: Scope, width: number, table: readonly KeyBinding[] = KEY_BINDINGS): string {
  const hinted = bindingsIn(scope, table).filter((b) => b.hint !== null);
  const text = (b: KeyBinding) => `${b.label} ${b.hint ?? ''}`;
  const all = hinted.map(text).join(SEPARATOR);
  if (all.length <= width) return all;
  const kept = hinted.filter((b) => ALWAYS.has(b.command));
  let used = kept.map(text).join(SEPARATOR).length;
  const chosen = new Set(kept);
  for (const b of hinted) {
    if (chosen.has(b)) continue;
    const extra = text(b).length + (chosen.size > 0 ? SEPARATOR.length : 0);
    if (used + extra > width) break;
    chosen.add(b);
    used += extra;
  }
  return hinted.filter((b) => chosen.has(b)).map(text).join(SEPARATOR);
}
