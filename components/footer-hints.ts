// The footer's key hints for a scope, taken from the key table and fitted to a width.
import { bindingsIn, KEY_BINDINGS } from './key-bindings.ts';
import type { CommandId, KeyBinding, Scope } from './key-bindings.ts';

const SEPARATOR = '  ';
/** Kept when the width forces hints out: without them nobody finds the rest. */
const ALWAYS = new Set<CommandId>(['help.open', 'quit.open', 'pane.toggle']);

export interface HintOptions {
  /** Commands left out of the hints (they are off, or another group is shown). */
  hidden?: ReadonlySet<CommandId>;
  /** A hint that depends on the moment (`G detail` while the gates pane is shown). */
  hints?: Partial<Record<CommandId, string>>;
}

/** `s start  x stop  r restart  …  ? help  q quit`, dropping hints from the right (help, quit and the pane key stay) until it fits. */
export function footerHints(scope: Scope, width: number, table: readonly KeyBinding[] = KEY_BINDINGS, options: HintOptions = {}): string {
  const hinted = bindingsIn(scope, table).filter((b) => b.hint !== null && !options.hidden?.has(b.command));
  const text = (b: KeyBinding) => `${b.label} ${options.hints?.[b.command] ?? b.hint ?? ''}`;
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
