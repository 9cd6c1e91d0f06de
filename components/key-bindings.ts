// Keys as data: one table drives key dispatch, the footer hints and the help overlay.
// A scope says where a binding applies; a modal's scope is the only one consulted while
// it is open, so its keys never reach the panes behind it.
import type { Key } from 'ink';

export type Scope = 'fleet' | 'help' | 'quit';

export type CommandId =
  | 'select.previous'
  | 'select.next'
  | 'service.start'
  | 'service.stop'
  | 'service.restart'
  | 'fleet.start-all'
  | 'fleet.stop-all'
  | 'fleet.reap'
  | 'help.open'
  | 'help.close'
  | 'quit.open'
  | 'quit.stop-fleet'
  | 'quit.leave-running'
  | 'quit.cancel';

export interface KeyBinding {
  readonly command: CommandId;
  readonly scope: Scope;
  /** Key names as `keyName()` produces them: a printable character (`j`, `R`, `?`) or `up`, `down`, `escape`, `ctrl+c`. Case matters: `r` restarts, `R` reaps. */
  readonly keys: readonly string[];
  /** The keys written for people: `↑ k`. */
  readonly label: string;
  /** One or two words for the footer; null keeps the binding out of the footer. */
  readonly hint: string | null;
  /** What the command does, for the help overlay and the quit question. */
  readonly description: string;
  /** Stops or kills processes. */
  readonly dangerous: boolean;
}

export const KEY_BINDINGS: readonly KeyBinding[] = [
  { command: 'select.previous', scope: 'fleet', keys: ['up', 'k'], label: '↑ k', hint: null, description: 'select the previous service', dangerous: false },
  { command: 'select.next', scope: 'fleet', keys: ['down', 'j'], label: '↓ j', hint: null, description: 'select the next service', dangerous: false },
  { command: 'service.start', scope: 'fleet', keys: ['s'], label: 's', hint: 'start', description: 'start the selected service', dangerous: false },
  { command: 'service.stop', scope: 'fleet', keys: ['x'], label: 'x', hint: 'stop', description: 'stop the selected service', dangerous: true },
  { command: 'service.restart', scope: 'fleet', keys: ['r'], label: 'r', hint: 'restart', description: 'restart the selected service', dangerous: true },
  { command: 'fleet.start-all', scope: 'fleet', keys: ['a'], label: 'a', hint: 'start all', description: 'start every service, dependencies first', dangerous: false },
  { command: 'fleet.stop-all', scope: 'fleet', keys: ['z'], label: 'z', hint: 'stop all', description: 'stop every service', dangerous: true },
  { command: 'fleet.reap', scope: 'fleet', keys: ['R'], label: 'R', hint: 'reap', description: 'kill leftovers and port holders proven ours', dangerous: true },
  { command: 'help.open', scope: 'fleet', keys: ['?'], label: '?', hint: 'help', description: 'show this help', dangerous: false },
  { command: 'quit.open', scope: 'fleet', keys: ['q', 'ctrl+c'], label: 'q', hint: 'quit', description: 'quit the console (asks what to do with the fleet)', dangerous: false },
  { command: 'help.close', scope: 'help', keys: ['escape', '?'], label: 'Esc ?', hint: 'close help', description: 'close the help', dangerous: false },
  { command: 'quit.stop-fleet', scope: 'quit', keys: ['s'], label: 's', hint: 'stop the fleet', description: 'stop the fleet', dangerous: true },
  { command: 'quit.leave-running', scope: 'quit', keys: ['l'], label: 'l', hint: 'leave running', description: 'leave it running for the next console to adopt', dangerous: false },
  { command: 'quit.cancel', scope: 'quit', keys: ['escape'], label: 'Esc', hint: 'cancel', description: 'cancel', dangerous: false },
];

/**
 * The name of a keypress as the table writes it, or null for keys nothing is bound to.
 * Several printable characters in one input are a paste, not keys: null, so pasted text
 * can never stop a service.
 */
export function keyName(input: string, key: Key): string | null {
  if (key.upArrow) return 'up';
  if (key.downArrow) return 'down';
  if (key.escape) return 'escape';
  if (key.ctrl) return input.length === 1 ? `ctrl+${input.toLowerCase()}` : null;
  if (key.meta) return null;
  return input.length === 1 ? input : null;
}

/** The command a key triggers in a scope, or null. */
export function commandFor(scope: Scope, name: string | null, table: readonly KeyBinding[] = KEY_BINDINGS): CommandId | null {
  if (name === null) return null;
  const binding = table.find((b) => b.scope === scope && b.keys.includes(name));
  return binding ? binding.command : null;
}

export function bindingsIn(scope: Scope, table: readonly KeyBinding[] = KEY_BINDINGS): KeyBinding[] {
  return table.filter((b) => b.scope === scope);
}

/** The binding for a command; every command has exactly one. */
export function bindingFor(command: CommandId, table: readonly KeyBinding[] = KEY_BINDINGS): KeyBinding {
  const binding = table.find((b) => b.command === command);
  if (!binding) throw new Error(`no key binding for command ${command}`);
  return binding;
}
