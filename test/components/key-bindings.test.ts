import { describe, expect, it } from 'vitest';
import type { Key } from 'ink';
import { bindingsIn, commandFor, KEY_BINDINGS, keyName } from '../../components/key-bindings.ts';
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
    expect([fleet('?'), fleet('q'), fleet('ctrl+c'), fleet('Q'), fleet(null as unknown as string)]).toEqual(['help.open', 'quit.open', 'quit.open', null, null]);
  });

  it('gives modals their own keys and nothing else', () => {
    expect(commandFor('help', 'escape')).toBe('help.close');
    expect(commandFor('help', '?')).toBe('help.close');
    expect(commandFor('help', 'x')).toBeNull();
    expect(commandFor('quit', 's')).toBe('quit.stop-fleet');
    expect(commandFor('quit', 'l')).toBe('quit.leave-running');
    expect(commandFor('quit', 'escape')).toBe('quit.cancel');
    expect(commandFor('quit', 'x')).toBeNull();
  });

  it('has no key bound twice in one scope and marks what stops processes', () => {
    for (const scope of ['fleet', 'help', 'quit'] as const) {
      const keys = bindingsIn(scope).flatMap((b) => b.keys);
      expect(new Set(keys).size).toBe(keys.length);
    }
    const dangerous = KEY_BINDINGS.filter((b) => b.dangerous && b.scope === 'fleet').map((b) => b.command);
    expect(dangerous).toEqual(['service.stop', 'service.restart', 'fleet.stop-all', 'fleet.reap']);
  });

  it('builds the footer from the table and keeps help and quit when space is short', () => {
    expect(footerHints('fleet', 80)).toBe('s start  x stop  r restart  a start all  z stop all  R reap  ? help  q quit');
    const narrow = footerHints('fleet', 40);
    expect(narrow.length).toBeLessThanOrEqual(40);
    expect(narrow).toContain('? help');
    expect(narrow).toContain('q quit');
    expect(narrow).toContain('s start');
    expect(footerHints('quit', 80)).toBe('s stop the fleet  l leave running  Esc cancel');
  });
});
