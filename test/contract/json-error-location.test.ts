import { describe, expect, it } from 'vitest';
import { findJsonSyntaxError, lineColumnAt } from '../../src/contract/json-error-location.ts';

/** `line:column message` for the first error in `text`. */
function located(text: string): string | undefined {
  const error = findJsonSyntaxError(text);
  return error === undefined ? undefined : `${error.line}:${error.column} ${error.message}`;
}

describe('lineColumnAt', () => {
  it('counts lines and columns from 1', () => {
    const text = 'ab\ncd\r\nef\rgh';
    expect(lineColumnAt(text, 0)).toEqual({ line: 1, column: 1 });
    expect(lineColumnAt(text, 4)).toEqual({ line: 2, column: 2 });
    expect(lineColumnAt(text, 7)).toEqual({ line: 3, column: 1 }); // after \r\n: one line break, not two
    expect(lineColumnAt(text, 10)).toEqual({ line: 4, column: 1 }); // a lone \r ends a line too
  });

  it('counts a character outside the BMP as one column, as an editor does', () => {
    expect(lineColumnAt('"😀" x', 5)).toEqual({ line: 1, column: 5 });
  });
});

describe('findJsonSyntaxError', () => {
  it('accepts valid JSON', () => {
    for (const text of ['{}', '[]', ' 1 ', '"\\u00e9\\n"', '{"a":[1,-2.5e+3,true,false,null,{"b":"c"}]}', '-0']) {
      expect(findJsonSyntaxError(text), text).toBeUndefined();
    }
  });

  it('points at the token that breaks the JSON and says what was expected', () => {
    const text = '{\n  "name": "x",\n  "port": 70o1\n}';
    expect(located(text)).toBe('3:11 expected a value, found "70o1"');
    expect(located('{"a" 1}')).toBe('1:6 expected ":", found "1"');
    expect(located('{"a":1 "b":2}')).toBe('1:8 expected "," or "}", found \'"\'');
    expect(located('[1 2]')).toBe('1:4 expected "," or "]", found "2"');
    expect(located('{"a":1}}')).toBe('1:8 expected the end of the file, found "}"');
  });

  it('explains the usual hand-written mistakes', () => {
    expect(located('{"a":1,}')).toBe('1:8 expected a property name in double quotes, found "}" (JSON allows no comma after the last item)');
    expect(located('[1,2,]')).toBe('1:6 expected a value, found "]" (JSON allows no comma after the last item)');
    expect(located("{'a':1}")).toBe('1:2 expected a property name in double quotes or "}", found "\'" (JSON strings use double quotes)');
    expect(located('{name:1}')).toBe('1:2 expected a property name in double quotes or "}", found "name" (property names need double quotes)');
    expect(located('{"a":1 // note\n}')).toBe('1:8 expected "," or "}", found "/" (JSON allows no comments)');
    expect(located('{"a":True}')).toBe('1:6 expected a value, found "True" (JSON spells it true)');
    expect(located('[007]')).toBe('1:2 expected a value or "]", found "007" (JSON numbers have no leading zeros)');
  });

  it('reports a truncated file at its end', () => {
    expect(located('{"a": [1,\n')).toBe('2:1 expected a value, found the end of the file');
    expect(located('')).toBe('1:1 expected a value, found the end of the file');
  });

  it('reports problems inside strings where they are', () => {
    expect(located('{"a": "open\n}')).toBe('1:12 expected a closing " for the string, found a line break');
    expect(located('{"a": "open')).toBe('1:12 expected a closing " for the string, found the end of the file');
    expect(located('["a\\qb"]')).toBe('1:4 expected an escape such as \\" \\\\ \\n or \\u00e9, found "\\q"');
    expect(located('["\\u12g4"]')).toBe('1:3 expected an escape such as \\" \\\\ \\n or \\u00e9, found "\\u"');
    expect(located('["a\tb"]')).toBe('1:4 expected \\t, found a raw control character inside a string');
  });

  it('handles nesting far deeper than a call stack would allow', () => {
    const deep = `${'['.repeat(200_000)}${']'.repeat(199_999)}`;
    expect(located(deep)).toBe('1:400000 expected "," or "]", found the end of the file');
  });

  it('agrees with JSON.parse on which texts are valid', () => {
    // Mutations of a valid document: every text JSON.parse rejects has an error, and only those.
    const base = '{"name":"x","services":[{"a":1.5e3,"b":[true,false,null],"c":"q\\"\\u00e9"}],"d":-0.1}';
    const alphabet = '{}[],:"\\ 1a.-etn\n\'';
    let seed = 12345;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31; // deterministic, so a failure reproduces
      return seed % n;
    };
    for (let k = 0; k < 5000; k++) {
      const chars = [...base];
      const at = random(chars.length);
      const op = random(3);
      const c = alphabet[random(alphabet.length)] ?? ' ';
      if (op === 0) chars.splice(at, 1);
      else if (op === 1) chars.splice(at, 0, c);
      else chars[at] = c;
      const text = chars.join('');
      let valid = true;
      try {
        JSON.parse(text);
      } catch {
        valid = false;
      }
      expect(findJsonSyntaxError(text) === undefined, text).toBe(valid);
    }
  });
});
