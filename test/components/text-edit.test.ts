import { describe, expect, it } from 'vitest';
import type { Key } from 'ink';
import { editText, textEditFor, textValue, visibleText } from '../../components/text-edit.ts';
import { wrapText } from '../../components/wrap-text.ts';

const key = (over: Partial<Key> = {}): Key =>
  ({
    upArrow: false, downArrow: false, leftArrow: false, rightArrow: false, pageDown: false, pageUp: false, home: false, end: false,
    return: false, escape: false, ctrl: false, shift: false, tab: false, backspace: false, delete: false, meta: false,
    super: false, hyper: false, capsLock: false, numLock: false, ...over,
  }) as Key;

describe('text fields', () => {
  it('inserts, deletes and moves the cursor', () => {
    let t = textValue('port');
    t = editText(t, { type: 'insert', text: ' held' });
    expect(t).toEqual({ value: 'port held', cursor: 9 });
    t = editText(editText(t, { type: 'left' }), { type: 'left' });
    t = editText(t, { type: 'backspace' });
    expect(t).toEqual({ value: 'port hld', cursor: 6 });
    t = editText(t, { type: 'delete' });
    expect(t).toEqual({ value: 'port hd', cursor: 6 });
    t = editText(t, { type: 'home' });
    expect(editText(t, { type: 'backspace' })).toBe(t);
    expect(editText(t, { type: 'left' })).toEqual(t);
    t = editText(editText(t, { type: 'end' }), { type: 'right' });
    expect(t.cursor).toBe(7);
    expect(editText({ value: 'abc def', cursor: 4 }, { type: 'clear-before' })).toEqual({ value: 'def', cursor: 0 });
  });

  it('takes a paste on one line, without control characters', () => {
    expect(editText(textValue(''), { type: 'insert', text: 'one\r\ntwo\tthree\u001B[31m\u0007' })).toEqual({ value: 'one two three[31m', cursor: 17 });
    expect(editText(textValue('x'), { type: 'insert', text: '\u0000' })).toEqual(textValue('x'));
  });

  it('maps keys to edits and leaves the form keys alone', () => {
    expect(textEditFor('a', key())).toEqual({ type: 'insert', text: 'a' });
    expect(textEditFor('', key({ backspace: true }))).toEqual({ type: 'backspace' });
    expect(textEditFor('', key({ delete: true }))).toEqual({ type: 'delete' });
    expect(textEditFor('a', key({ ctrl: true }))).toEqual({ type: 'home' });
    expect(textEditFor('e', key({ ctrl: true }))).toEqual({ type: 'end' });
    expect(textEditFor('s', key({ ctrl: true }))).toBeNull();
    for (const over of [{ tab: true }, { return: true }, { escape: true }, { upArrow: true }, { downArrow: true }, { meta: true }]) expect(textEditFor('', key(over))).toBeNull();
  });

  it('scrolls a long value sideways so the cursor stays in view', () => {
    expect(visibleText({ value: 'abcdefghij', cursor: 10 }, 5)).toEqual({ shown: 'ghij', cursorColumn: 4 });
    expect(visibleText({ value: 'abcdefghij', cursor: 2 }, 5)).toEqual({ shown: 'abcde', cursorColumn: 2 });
    expect(visibleText({ value: '', cursor: 0 }, 5)).toEqual({ shown: '', cursorColumn: 0 });
  });
});

describe('wrapping reader text', () => {
  it('wraps at spaces, keeps indentation and blank lines, and cuts words longer than the width', () => {
    expect(wrapText('one two three four\n\n  indented line that wraps\nabcdefghijkl', 10)).toEqual([
      'one two',
      'three four',
      '',
      '  indented',
      '  line',
      '  that',
      '  wraps',
      'abcdefghij',
      'kl',
    ]);
  });

  it('removes escape sequences from what it shows', () => {
    expect(wrapText('\u001B[31mred\u001B[0m', 80)).toEqual(['red']);
  });
});
