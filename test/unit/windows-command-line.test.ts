// Joining a service's argv into one Windows command line that CommandLineToArgvW's rules
// (splitWindowsCommandLine) give back exactly, whatever the arguments hold.
import { describe, expect, it } from 'vitest';
import { splitWindowsCommandLine, windowsCommandLine } from '../../src/platform/windows-command-line.ts';

describe('windowsCommandLine', () => {
  it('leaves plain arguments bare and quotes what needs it', () => {
    expect(windowsCommandLine(['C:\\nodejs\\node.exe', 'server.js', '--port', '7000'])).toBe('C:\\nodejs\\node.exe server.js --port 7000');
    expect(windowsCommandLine(['C:\\Program Files\\nodejs\\node.exe', 'my app.js', ''])).toBe('"C:\\Program Files\\nodejs\\node.exe" "my app.js" ""');
  });

  it('escapes a quote and doubles only the backslashes before a quote', () => {
    expect(windowsCommandLine(['p.exe', 'say "hi"'])).toBe('p.exe "say \\"hi\\""');
    expect(windowsCommandLine(['p.exe', 'C:\\dir with space\\'])).toBe('p.exe "C:\\dir with space\\\\"');
    expect(windowsCommandLine(['p.exe', 'a\\\\b c'])).toBe('p.exe "a\\\\b c"');
    expect(windowsCommandLine(['p.exe', 'C:\\plain\\'])).toBe('p.exe C:\\plain\\');
  });

  it('refuses a program path with a quote (no Windows path has one)', () => {
    expect(() => windowsCommandLine(['C:\\a"b.exe'])).toThrow(/cannot hold a quote/);
  });

  it('round-trips awkward arguments: spaces, tabs, quotes, backslashes, empty, non-ASCII', () => {
    const awkward = ['', ' ', '\t', '"', '\\', '\\\\', '\\"', 'a\\', 'a\\\\', 'a b\\', '"quoted"', 'x"y', 'tab\there', 'Zoë', '日本 語', 'C:\\Users\\Zoë\\', '--name="a b"', 'new\nline'];
    const argv = ['C:\\nodejs\\node.exe', ...awkward];
    expect(splitWindowsCommandLine(windowsCommandLine(argv))).toEqual(argv);
  });

  it('round-trips many random arguments (a fixed seed: the same cases every run)', () => {
    let seed = 20261202;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const alphabet = ['a', 'Z', ' ', '\t', '"', '\\', 'ë', '日', '-', '=', '/'];
    for (let round = 0; round < 500; round++) {
      const args = Array.from({ length: 1 + Math.floor(random() * 4) }, () =>
        Array.from({ length: Math.floor(random() * 8) }, () => alphabet[Math.floor(random() * alphabet.length)]).join(''),
      );
      const argv = ['C:\\Tools\\svc.exe', ...args];
      expect(splitWindowsCommandLine(windowsCommandLine(argv))).toEqual(argv);
    }
  });
});
