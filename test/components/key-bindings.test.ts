import { describe, expect, it } from 'vitest';
import type { Key } from 'ink';
import { bindingsIn, commandFor, GATE_COMMANDS, KEY_BINDINGS, keyName, SERVICE_COMMANDS } from '../../components/key-bindings.ts';
import { footerHints } from '../../components/footer-hints.ts';

const key = (over: Partial<Key> = {}): Key => ({
  upArrow: false,
  downArrow: false,
  leftArrow: false,
  rightArrow: false,
  pageDown: false,
  pageUp: false,
  home: false,
  end: false,
  return: false,
  escape: false,
  ctrl: false,
  shift: false,
  tab: false,
  backspace: false,
  delete: false,
  meta: false,
  super: false,
  hyper: false,
  capsLock: false,
  numLock: false,
  ...over,
});

describe('key bindings', () => {
  it('names keypresses the way the table writes them', () => {
    expect(keyName('', key({ upArrow: true }))).toBe('up');
    expect(keyName('', key({ downArrow: true }))).toBe('down');
    expect(keyName('', key({ escape: true }))).toBe('escape');
    expect(keyName('c', key({ ctrl: true }))).toBe('ctrl+c');
    expect(keyName('R', key({ shift: true }))).toBe('R');
    expect(keyName('x', key({ meta: true }))).toBeNull();
    expect(keyName('pasted', key())).toBeNull();
    expect(keyName('', key({ tab: true }))).toBe('tab');
    expect(keyName('', key({ tab: true, shift: true }))).toBe('shift+tab');
    expect(keyName('', key({ return: true }))).toBe('return');
    expect(keyName('', key({ pageDown: true }))).toBe('pagedown');
    expect(keyName('s', key({ ctrl: true }))).toBe('ctrl+s');
  });

  it('maps the fleet keys to their commands, case-sensitively', () => {
    const fleet = (name: string) => commandFor('fleet', name);
    expect([fleet('up'), fleet('k'), fleet('down'), fleet('j')]).toEqual(['select.previous', 'select.previous', 'select.next', 'select.next']);
    expect([fleet('s'), fleet('x'), fleet('r'), fleet('a'), fleet('z'), fleet('R')]).toEqual([
      'service.start',
      'service.stop',
      'service.restart',
      'fleet.start-all',
      'fleet.stop-all',
      'fleet.reap',
    ]);
    // q quits, Q quarantines: case matters.
    expect([fleet('?'), fleet('q'), fleet('ctrl+c'), fleet('Q'), fleet(null as unknown as string)]).toEqual(['help.open', 'quit.open', 'quit.open', 'gate.quarantine', null]);
  });

  it('gives modals their own keys and nothing else', () => {
    expect(commandFor('help', 'escape')).toBe('help.close');
    expect(commandFor('help', '?')).toBe('help.close');
    expect(commandFor('help', 'x')).toBeNull();
    expect(commandFor('quit', 's')).toBe('quit.stop-fleet');
    expect(commandFor('quit', 'l')).toBe('quit.leave-running');
    expect(commandFor('quit', 'escape')).toBe('quit.cancel');
    expect(commandFor('quit', 'x')).toBeNull();
    expect([commandFor('fleet', 'g'), commandFor('fleet', 'b'), commandFor('fleet', 'B'), commandFor('fleet', 'l'), commandFor('fleet', 'G')]).toEqual([
      'gate.run',
      'gate.blocker',
      'gate.blockers',
      'gate.log',
      'pane.toggle',
    ]);
    expect([commandFor('confirm', 'y'), commandFor('confirm', 'n'), commandFor('confirm', 'escape'), commandFor('confirm', 'x')]).toEqual(['confirm.yes', 'confirm.no', 'confirm.no', null]);
    // In the form, letters are typing: no letter is a command there.
    for (const letter of 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ?') expect(commandFor('form', letter)).toBeNull();
    expect([commandFor('form', 'tab'), commandFor('form', 'shift+tab'), commandFor('form', 'return'), commandFor('form', 'ctrl+s'), commandFor('form', 'escape')]).toEqual([
      'form.next',
      'form.previous',
      'form.enter',
      'form.submit',
      'form.cancel',
    ]);
    expect([commandFor('reader', 'pagedown'), commandFor('reader', 'q'), commandFor('reader', 'x')]).toEqual(['reader.page-down', 'reader.close', null]);
  });

  it('has no key bound twice in one scope and marks what stops processes', () => {
    for (const scope of ['fleet', 'help', 'quit', 'confirm', 'form', 'reader', 'soak', 'watch'] as const) {
      const keys = bindingsIn(scope).flatMap((b) => b.keys);
      expect(new Set(keys).size).toBe(keys.length);
    }
    const dangerous = KEY_BINDINGS.filter((b) => b.dangerous && b.scope === 'fleet').map((b) => b.command);
    // g hands the fleet to a runner, which stops whatever runs before its first cycle.
    expect(dangerous).toEqual(['service.stop', 'service.restart', 'fleet.stop-all', 'fleet.reap', 'gate.run']);
  });

  it('builds the footer from the table and keeps help, quit and the pane key when space is short', () => {
    expect(footerHints('fleet', 80, KEY_BINDINGS, { hidden: GATE_COMMANDS })).toBe('s start  x stop  r restart  a start all  z stop all  G gates  ? help  q quit');
    // h reload comes after the stop keys: at 80 columns it is the help's, never in place of z.
    expect(footerHints('fleet', 120, KEY_BINDINGS, { hidden: GATE_COMMANDS })).toBe('s start  x stop  r restart  a start all  z stop all  R reap  h reload  G gates  ? help  q quit');
    // Under the gates pane (or while a runner holds the fleet) the gate keys are shown instead.
    expect(footerHints('fleet', 80, KEY_BINDINGS, { hidden: SERVICE_COMMANDS, hints: { 'pane.toggle': 'detail' } })).toBe(
      'g run gate  b blocker  B blockers  l log  S soak  G detail  ? help  q quit',
    );
    expect(footerHints('form', 80)).toBe('Tab ↓ next  ⇧Tab ↑ back  Enter next/submit  Ctrl-S submit  Esc cancel');
    expect(footerHints('confirm', 80)).toBe('y yes  n Esc cancel');
    const narrow = footerHints('fleet', 40);
    expect(narrow.length).toBeLessThanOrEqual(40);
    expect(narrow).toContain('? help');
    expect(narrow).toContain('q quit');
    expect(narrow).toContain('s start');
    expect(footerHints('quit', 80)).toBe('s stop the fleet  l leave running  Esc cancel');
  });
});
