// Keys as data: one table drives key dispatch, the footer hints and the help overlay.
// A scope says where a binding applies; a modal's scope is the only one consulted while
// it is open, so its keys never reach the panes behind it.
import type { Key } from 'ink';

export type Scope = 'fleet' | 'help' | 'quit' | 'confirm' | 'form' | 'reader' | 'soak' | 'watch';

export type CommandId =
  | 'select.previous'
  | 'select.next'
  | 'service.start'
  | 'service.stop'
  | 'service.restart'
  | 'service.reload'
  | 'fleet.start-all'
  | 'fleet.stop-all'
  | 'fleet.reap'
  | 'gate.run'
  | 'gate.blocker'
  | 'gate.blockers'
  | 'gate.log'
  | 'gate.quarantine'
  | 'soak.open'
  | 'pane.toggle'
  | 'help.open'
  | 'help.close'
  | 'quit.open'
  | 'quit.stop-fleet'
  | 'quit.leave-running'
  | 'quit.cancel'
  | 'confirm.yes'
  | 'confirm.no'
  | 'form.next'
  | 'form.previous'
  | 'form.enter'
  | 'form.submit'
  | 'form.cancel'
  | 'reader.up'
  | 'reader.down'
  | 'reader.page-up'
  | 'reader.page-down'
  | 'reader.close'
  | 'soak.close'
  | 'soak.quit'
  | 'watch.quit';

/** The keys that act on services: off while another process (a gate runner) holds the fleet. */
export const SERVICE_COMMANDS: ReadonlySet<CommandId> = new Set(['service.start', 'service.stop', 'service.restart', 'service.reload', 'fleet.start-all', 'fleet.stop-all', 'fleet.reap']);

/** The gate keys: the footer shows them instead of the service keys under the gates pane or while following. */
export const GATE_COMMANDS: ReadonlySet<CommandId> = new Set(['gate.run', 'gate.blocker', 'gate.blockers', 'gate.log', 'gate.quarantine', 'soak.open']);

export interface KeyBinding {
  readonly command: CommandId;
  readonly scope: Scope;
  /** Key names as `keyName()` produces them: a printable character (`j`, `R`, `?`) or `up`, `down`, `pageup`, `pagedown`, `escape`, `return`, `tab`, `shift+tab`, `ctrl+c`. Case matters: `r` restarts, `R` reaps. */
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
  // After reap, so at 80 columns the footer drops it before any stop key: the help has it.
  { command: 'service.reload', scope: 'fleet', keys: ['h'], label: 'h', hint: 'reload', description: "send the selected service its reload_signal (SIGHUP: the hang-up), once", dangerous: false },
  { command: 'gate.run', scope: 'fleet', keys: ['g'], label: 'g', hint: 'run gate', description: 'run the next gate (asks first; runs detached, outlives the console)', dangerous: true },
  { command: 'gate.blocker', scope: 'fleet', keys: ['b'], label: 'b', hint: 'blocker', description: "document a failed gate's blocker (form pre-filled from the evidence)", dangerous: false },
  { command: 'gate.blockers', scope: 'fleet', keys: ['B'], label: 'B', hint: 'blockers', description: 'list the blockers documented', dangerous: false },
  { command: 'gate.log', scope: 'fleet', keys: ['l'], label: 'l', hint: 'log', description: 'show the execution log', dangerous: false },
  { command: 'gate.quarantine', scope: 'fleet', keys: ['Q'], label: 'Q', hint: null, description: 'quarantine a gate run that does not verify (asks first; recorded, moved to invalidated/)', dangerous: false },
  { command: 'soak.open', scope: 'fleet', keys: ['S'], label: 'S', hint: 'soak', description: "the Gate 2 soak's on-call view (S, f or Esc comes back)", dangerous: false },
  { command: 'pane.toggle', scope: 'fleet', keys: ['G'], label: 'G', hint: 'gates', description: 'show the gates pane or the service detail below the table', dangerous: false },
  { command: 'help.open', scope: 'fleet', keys: ['?'], label: '?', hint: 'help', description: 'show this help', dangerous: false },
  { command: 'quit.open', scope: 'fleet', keys: ['q', 'ctrl+c'], label: 'q', hint: 'quit', description: 'quit the console (asks what to do with the fleet)', dangerous: false },
  { command: 'help.close', scope: 'help', keys: ['escape', '?'], label: 'Esc ?', hint: 'close help', description: 'close the help', dangerous: false },
  { command: 'quit.stop-fleet', scope: 'quit', keys: ['s'], label: 's', hint: 'stop the fleet', description: 'stop the fleet', dangerous: true },
  { command: 'quit.leave-running', scope: 'quit', keys: ['l'], label: 'l', hint: 'leave running', description: 'leave it running for the next console to adopt', dangerous: false },
  { command: 'quit.cancel', scope: 'quit', keys: ['escape'], label: 'Esc', hint: 'cancel', description: 'cancel', dangerous: false },
  { command: 'confirm.yes', scope: 'confirm', keys: ['y'], label: 'y', hint: 'yes', description: 'run the gate (or quarantine the run)', dangerous: true },
  { command: 'confirm.no', scope: 'confirm', keys: ['n', 'escape'], label: 'n Esc', hint: 'cancel', description: 'do nothing', dangerous: false },
  { command: 'form.next', scope: 'form', keys: ['tab', 'down'], label: 'Tab ↓', hint: 'next', description: 'the next field', dangerous: false },
  { command: 'form.previous', scope: 'form', keys: ['shift+tab', 'up'], label: '⇧Tab ↑', hint: 'back', description: 'the previous field', dangerous: false },
  { command: 'form.enter', scope: 'form', keys: ['return'], label: 'Enter', hint: 'next/submit', description: 'the next field; on the last one, submit', dangerous: false },
  { command: 'form.submit', scope: 'form', keys: ['ctrl+s'], label: 'Ctrl-S', hint: 'submit', description: 'record the blocker', dangerous: false },
  { command: 'form.cancel', scope: 'form', keys: ['escape'], label: 'Esc', hint: 'cancel', description: 'close the form, recording nothing', dangerous: false },
  { command: 'reader.up', scope: 'reader', keys: ['up', 'k'], label: '↑↓', hint: 'scroll', description: 'scroll up a line', dangerous: false },
  { command: 'reader.down', scope: 'reader', keys: ['down', 'j'], label: '↓', hint: null, description: 'scroll down a line', dangerous: false },
  { command: 'reader.page-up', scope: 'reader', keys: ['pageup'], label: 'PgUp', hint: 'page up', description: 'scroll up a page', dangerous: false },
  { command: 'reader.page-down', scope: 'reader', keys: ['pagedown', ' '], label: 'PgDn', hint: 'page down', description: 'scroll down a page', dangerous: false },
  { command: 'reader.close', scope: 'reader', keys: ['escape', 'q'], label: 'Esc q', hint: 'close', description: 'close', dangerous: false },
  { command: 'soak.close', scope: 'soak', keys: ['S', 'f', 'escape'], label: 'S f Esc', hint: 'fleet view', description: 'back to the fleet view', dangerous: false },
  { command: 'soak.quit', scope: 'soak', keys: ['q', 'ctrl+c'], label: 'q', hint: 'quit', description: 'quit the console (asks what to do with the fleet, in the fleet view)', dangerous: false },
  // `evident watch`: the soak view alone; quitting it never touches the run.
  { command: 'watch.quit', scope: 'watch', keys: ['q', 'ctrl+c', 'escape'], label: 'q', hint: 'quit (the run goes on)', description: 'quit watching; the run goes on', dangerous: false },
];

/**
 * The name of a keypress as the table writes it, or null for keys nothing is bound to.
 * Several printable characters in one input are a paste, not keys: null, so pasted text
 * can never stop a service.
 */
export function keyName(input: string, key: Key): string | null {
  if (key.upArrow) return 'up';
  if (key.downArrow) return 'down';
  if (key.pageUp) return 'pageup';
  if (key.pageDown) return 'pagedown';
  if (key.escape) return 'escape';
  if (key.return) return 'return';
  if (key.tab) return key.shift ? 'shift+tab' : 'tab';
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
