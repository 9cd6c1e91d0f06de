// Where JSON text stops being valid, as line:column and "expected X, found Y".
// JSON.parse's messages differ between Node versions and some carry no position, so
// this scans the text itself (iteratively, so deep nesting cannot overflow the stack).

export interface JsonSyntaxError {
  /** Offset in UTF-16 code units from the start of the text. */
  offset: number;
  /** 1-based line number. */
  line: number;
  /** 1-based column, counted in characters (code points) as editors show them. */
  column: number;
  /** What was expected and what was found, such as `expected "," or "}", found "port"`. */
  message: string;
}

/** The first syntax error in `text`, or undefined when it is valid JSON. */
export function findJsonSyntaxError(text: string): JsonSyntaxError | undefined {
  const failure = scan(text);
  if (failure === undefined) return undefined;
  return { offset: failure.offset, ...lineColumnAt(text, failure.offset), message: failure.message };
}

/** Line and column (both 1-based) of a UTF-16 offset; `\r\n`, `\n` and a lone `\r` each end a line. */
export function lineColumnAt(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(offset, text.length);
  for (let i = 0; i < end; i++) {
    const c = text[i];
    if (c === '\n' || (c === '\r' && text[i + 1] !== '\n')) {
      line++;
      lineStart = i + 1;
    }
  }
  // Code points, not code units: an emoji earlier on the line is one column, as in an editor.
  const column = [...text.slice(lineStart, end)].length + 1;
  return { line, column };
}

type State = 'value' | 'value-or-close' | 'key' | 'key-or-close' | 'colon' | 'comma-or-close' | 'end';

interface Failure {
  offset: number;
  message: string;
}

const WHITESPACE = new Set([' ', '\t', '\n', '\r']);
const NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;
// A run of characters that an operator would see as one word: `70o1`, `True`, `undefined`.
const WORD = /^[A-Za-z0-9_$.+-]+/;
const ESCAPES = new Set(['"', '\\', '/', 'b', 'f', 'n', 'r', 't', 'u']);

function scan(text: string): Failure | undefined {
  const containers: ('{' | '[')[] = [];
  let state: State = 'value';
  let afterComma = false;
  let i = 0;

  // After a complete value: the end of the text at top level, else a comma or a close.
  const afterValue = (): State => (containers.length === 0 ? 'end' : 'comma-or-close');

  for (;;) {
    while (i < text.length && WHITESPACE.has(text[i] ?? '')) i++;
    if (i >= text.length) {
      return state === 'end' ? undefined : { offset: i, message: `expected ${expectation(state, containers)}, found the end of the file` };
    }
    const c = text[i] ?? '';
    const wasAfterComma = afterComma;
    afterComma = false;

    if ((state === 'value-or-close' && c === ']') || (state === 'key-or-close' && c === '}')) {
      containers.pop();
      i++;
      state = afterValue();
    } else if (state === 'value' || state === 'value-or-close') {
      if (c === '{' || c === '[') {
        containers.push(c);
        state = c === '{' ? 'key-or-close' : 'value-or-close';
        i++;
      } else if (c === '"') {
        const end = scanString(text, i);
        if (typeof end !== 'number') return end;
        i = end;
        state = afterValue();
      } else {
        const word = WORD.exec(text.slice(i))?.[0];
        if (word === undefined || !(word === 'true' || word === 'false' || word === 'null' || NUMBER.test(word))) {
          return unexpected(text, i, expectation(state, containers), wasAfterComma);
        }
        i += word.length;
        state = afterValue();
      }
    } else if (state === 'key' || state === 'key-or-close') {
      if (c !== '"') return unexpected(text, i, expectation(state, containers), wasAfterComma);
      const end = scanString(text, i);
      if (typeof end !== 'number') return end;
      i = end;
      state = 'colon';
    } else if (state === 'colon') {
      if (c !== ':') return unexpected(text, i, expectation(state, containers), false);
      i++;
      state = 'value';
    } else if (state === 'comma-or-close') {
      const open = containers.at(-1);
      if (c === ',') {
        i++;
        state = open === '{' ? 'key' : 'value';
        afterComma = true;
      } else if (c === (open === '{' ? '}' : ']')) {
        containers.pop();
        i++;
        state = afterValue();
      } else {
        return unexpected(text, i, expectation(state, containers), false);
      }
    } else {
      return unexpected(text, i, expectation(state, containers), false);
    }
  }
}

/** Scans the string starting at the quote at `start`; returns the offset after its closing quote. */
function scanString(text: string, start: number): number | Failure {
  let i = start + 1;
  while (i < text.length) {
    const c = text[i] ?? '';
    if (c === '"') return i + 1;
    if (c === '\\') {
      const next = text[i + 1] ?? '';
      if (!ESCAPES.has(next) || (next === 'u' && !/^[0-9A-Fa-f]{4}$/.test(text.slice(i + 2, i + 6)))) {
        return {
          offset: i,
          message: `expected an escape such as \\" \\\\ \\n or \\u00e9, found ${quote(text.slice(i, i + 2))}`,
        };
      }
      i += next === 'u' ? 6 : 2;
    } else if (c < ' ') {
      // JSON strings cannot hold raw control characters; a line break here is almost
      // always a string whose closing quote is missing.
      if (c === '\n' || c === '\r') return { offset: i, message: 'expected a closing " for the string, found a line break' };
      const code = `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
      const escape = c === '\t' ? '\\t' : code;
      return { offset: i, message: `expected ${escape}, found a raw control character inside a string` };
    } else {
      i++;
    }
  }
  return { offset: i, message: 'expected a closing " for the string, found the end of the file' };
}

function expectation(state: State, containers: readonly ('{' | '[')[]): string {
  switch (state) {
    case 'value':
      return 'a value';
    case 'value-or-close':
      return 'a value or "]"';
    case 'key':
      return 'a property name in double quotes';
    case 'key-or-close':
      return 'a property name in double quotes or "}"';
    case 'colon':
      return '":"';
    case 'comma-or-close':
      return containers.at(-1) === '{' ? '"," or "}"' : '"," or "]"';
    case 'end':
      return 'the end of the file';
  }
}

function unexpected(text: string, offset: number, expected: string, afterComma: boolean): Failure {
  const word = WORD.exec(text.slice(offset))?.[0];
  // Long runs are cut: the location already says where; the quote only has to be recognisable.
  const found = word === undefined ? String.fromCodePoint(text.codePointAt(offset) ?? 0) : word.slice(0, 30);
  return { offset, message: `expected ${expected}, found ${quote(found)}${hint(found, expected, afterComma)}` };
}

/** A short reason for the mistakes people make most when writing JSON by hand. */
function hint(found: string, expected: string, afterComma: boolean): string {
  if (afterComma && (found === '}' || found === ']')) return ' (JSON allows no comma after the last item)';
  if (found === "'") return ' (JSON strings use double quotes)';
  if (found === '/') return ' (JSON allows no comments)';
  const lower = found.toLowerCase();
  if (expected.startsWith('a value') && (lower === 'true' || lower === 'false' || lower === 'null')) {
    return ` (JSON spells it ${lower})`;
  }
  if (/^-?0\d/.test(found)) return ' (JSON numbers have no leading zeros)';
  if (expected.startsWith('a property name') && /^[A-Za-z_$]/.test(found)) return ' (property names need double quotes)';
  return '';
}

function quote(token: string): string {
  return token.includes('"') ? `'${token}'` : `"${token}"`;
}
