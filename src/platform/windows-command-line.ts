// A Windows command line is one string; the program splits it itself, almost always by
// CommandLineToArgvW's rules (the C runtime's are the same for what matters here). A
// service's argv is joined so that those rules give it back exactly: an argument with a
// space, a tab, a quote or nothing at all is quoted, and backslashes are doubled only
// where they stand before a quote. The program's own path is quoted plainly (a path
// holds no quote).
const NEEDS_QUOTES = /[\s"]/;

/** Joins `argv` into a command line that CommandLineToArgvW splits back into `argv`. */
export function windowsCommandLine(argv: readonly string[]): string {
  return argv.map((arg, index) => (index === 0 ? quoteProgram(arg) : quoteArgument(arg))).join(' ');
}

function quoteProgram(path: string): string {
  if (path.includes('"')) throw new Error(`a program path cannot hold a quote: ${path}`);
  return path === '' || NEEDS_QUOTES.test(path) ? `"${path}"` : path;
}

function quoteArgument(arg: string): string {
  if (arg !== '' && !NEEDS_QUOTES.test(arg)) return arg;
  let quoted = '"';
  let slashes = 0;
  for (const ch of arg) {
    if (ch === '\\') {
      slashes++;
      continue;
    }
    // Backslashes before a quote are doubled, and the quote escaped; elsewhere they stand as they are.
    quoted += ch === '"' ? `${'\\'.repeat(slashes * 2 + 1)}"` : `${'\\'.repeat(slashes)}${ch}`;
    slashes = 0;
  }
  // Trailing backslashes stand before the closing quote: doubled.
  return `${quoted}${'\\'.repeat(slashes * 2)}"`;
}

/** CommandLineToArgvW's rules: quotes group, backslashes escape only before a quote. */
export function splitWindowsCommandLine(line: string): string[] {
  const args: string[] = [];
  let current = '';
  let inQuotes = false;
  let hasArg = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (ch === '\\') {
      let slashes = 0;
      while (line[i] === '\\') {
        slashes++;
        i++;
      }
      if (line[i] === '"') {
        current += '\\'.repeat(Math.floor(slashes / 2));
        if (slashes % 2 === 1) current += '"';
        else inQuotes = !inQuotes;
      } else {
        current += '\\'.repeat(slashes);
        i--;
      }
      hasArg = true;
    } else if (ch === '"') {
      inQuotes = !inQuotes;
      hasArg = true;
    } else if ((ch === ' ' || ch === '\t') && !inQuotes) {
      if (hasArg) args.push(current);
      current = '';
      hasArg = false;
    } else {
      current += ch;
      hasArg = true;
    }
  }
  if (hasArg) args.push(current);
  return args;
}
