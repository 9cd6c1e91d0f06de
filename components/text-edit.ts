// A one-line text field's editing, as pure functions: a value and a cursor in, the edited
// value and cursor out; and which keypress is which edit. Pasted text arrives whole and
// is inserted on one line (line breaks become spaces, control characters are dropped).
import type { Key } from 'ink';

export interface TextValue {
  readonly value: string;
  /** Characters before the cursor: 0 … value.length. */
  readonly cursor: number;
}

export type TextEdit =
  | { type: 'insert'; text: string }
  | { type: 'backspace' }
  | { type: 'delete' }
  | { type: 'left' }
  | { type: 'right' }
  | { type: 'home' }
  | { type: 'end' }
  | { type: 'clear-before' };

// C0 and C1 controls and DEL; line breaks are turned into spaces first.
const CONTROL = /[\u0000-\u001F\u007F-\u009F]/g;

export function textValue(value: string): TextValue {
  return { value, cursor: value.length };
}

export function editText(text: TextValue, edit: TextEdit): TextValue {
  const { value } = text;
  const cursor = Math.min(Math.max(0, text.cursor), value.length);
  switch (edit.type) {
    case 'insert': {
      const clean = edit.text.replace(/\r\n|\r|\n|\t/g, ' ').replace(CONTROL, '');
      if (clean === '') return text;
      return { value: value.slice(0, cursor) + clean + value.slice(cursor), cursor: cursor + clean.length };
    }
    case 'backspace':
      return cursor === 0 ? text : { value: value.slice(0, cursor - 1) + value.slice(cursor), cursor: cursor - 1 };
    case 'delete':
      return cursor === value.length ? text : { value: value.slice(0, cursor) + value.slice(cursor + 1), cursor };
    case 'left':
      return { value, cursor: Math.max(0, cursor - 1) };
    case 'right':
      return { value, cursor: Math.min(value.length, cursor + 1) };
    case 'home':
      return { value, cursor: 0 };
    case 'end':
      return { value, cursor: value.length };
    case 'clear-before':
      return { value: value.slice(cursor), cursor: 0 };
    default: {
      const unknown: never = edit;
      throw new Error(`unknown text edit: ${JSON.stringify(unknown)}`);
    }
  }
}

/** The edit a keypress makes in a text field, or null (keys the field leaves to others). */
export function textEditFor(input: string, key: Key): TextEdit | null {
  if (key.backspace) return { type: 'backspace' };
  if (key.delete) return { type: 'delete' };
  if (key.leftArrow) return { type: 'left' };
  if (key.rightArrow) return { type: 'right' };
  if (key.home) return { type: 'home' };
  if (key.end) return { type: 'end' };
  if (key.ctrl) {
    if (input === 'a') return { type: 'home' };
    if (input === 'e') return { type: 'end' };
    if (input === 'u') return { type: 'clear-before' };
    return null;
  }
  if (key.meta || key.escape || key.return || key.tab || key.upArrow || key.downArrow || key.pageUp || key.pageDown) return null;
  return input === '' ? null : { type: 'insert', text: input };
}

/**
 * The part of the value shown in `width` columns, scrolled so the cursor is in view
 * (with one column for the cursor at the end), and the cursor's column in it.
 */
export function visibleText(text: TextValue, width: number): { shown: string; cursorColumn: number } {
  if (width <= 0) return { shown: '', cursorColumn: 0 };
  const cursor = Math.min(Math.max(0, text.cursor), text.value.length);
  const start = Math.max(0, cursor - (width - 1));
  return { shown: text.value.slice(start, start + width), cursorColumn: cursor - start };
}
