// Reads the command lines of a Markdown page's ```sh runnable blocks. Each line is
// `[NAME=value …] npx evident ARGS  # exit N[: text it prints]`: the exit code is
// required, so a runnable line can never be run without being checked. Variables such
// as "$RUN" are expanded when the line is run, from what earlier lines printed.
import { lexer, type Tokens } from 'marked';
import { parse } from 'shell-quote';

export interface DocLine {
  /** 1-based line in the page, for the failure message. */
  line: number;
  text: string;
}

export interface DocCommand {
  env: Record<string, string>;
  args: string[];
  exit: number;
  /** Text the output must contain, if the line names one. */
  prints?: string;
}

export function runnableLines(markdown: string): DocLine[] {
  const lines: DocLine[] = [];
  let searchFrom = 0;
  for (const token of lexer(markdown)) {
    if (token.type !== 'code') continue;
    const code = token as Tokens.Code;
    const at = markdown.indexOf(code.raw, searchFrom);
    searchFrom = at + code.raw.length;
    if (!(code.lang ?? '').split(/\s+/).includes('runnable')) continue;
    const firstLine = markdown.slice(0, at).split('\n').length + 1; // the line after the fence
    code.text.split('\n').forEach((text, i) => {
      if (text.trim() !== '') lines.push({ line: firstLine + i, text });
    });
  }
  return lines;
}

export function parseDocCommand(text: string, variables: Record<string, string> = {}): DocCommand {
  const tokens = parse(text, (name) => {
    const value = variables[name];
    if (value === undefined) throw new Error(`$${name} is not set yet: no earlier line printed it`);
    return value;
  });
  const words: string[] = [];
  let comment: string | undefined;
  for (const token of tokens) {
    if (typeof token === 'string') words.push(token);
    else if ('comment' in token) comment = token.comment;
    else throw new Error(`a runnable line is one plain command, not ${JSON.stringify(token)}`);
  }
  const env: Record<string, string> = {};
  while (words[0] && /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[0])) {
    const [name, ...value] = words.shift()!.split('=');
    env[name!] = value.join('=');
  }
  if (words[0] !== 'npx' || words[1] !== 'evident') throw new Error('a runnable line starts with `npx evident`');
  const expected = /^\s*exit (\d+)(?::\s*(.+?))?\s*$/.exec(comment ?? '');
  if (!expected) throw new Error('a runnable line ends with `# exit N` or `# exit N: text it prints`');
  return { env, args: words.slice(2), exit: Number(expected[1]), ...(expected[2] ? { prints: expected[2] } : {}) };
}
