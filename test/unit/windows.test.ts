// Windows platform, checked from Linux: what it would execute and how it reads the
// sampler's rows (the sampler itself needs Windows).
import { describe, expect, it } from 'vitest';
import {
  RELOAD_REFUSAL,
  SAMPLER_SCRIPT,
  createWindowsPlatform,
  forceKillCommand,
  samplerCommand,
  toProcessInfo,
} from '../../src/platform/windows.ts';
import { processInfo } from './process-info.ts';
import { splitWindowsCommandLine } from '../../src/platform/windows-command-line.ts';
import { windowsTools } from '../../src/platform/windows-system-paths.ts';

describe('forceKillCommand', () => {
  it('is taskkill of the whole tree, forced', () => {
    expect(forceKillCommand(1234)).toEqual({ command: windowsTools().taskkill, args: ['/PID', '1234', '/T', '/F'] });
    expect(forceKillCommand(1234).command).toMatch(/^[A-Z]:\\.*\\System32\\taskkill\.exe$/);
  });
});

describe('samplerCommand', () => {
  const planned = samplerCommand();

  it('runs PowerShell without a profile and without prompts', () => {
    expect(planned.command).toBe(windowsTools().powershell);
    expect(planned.command).toMatch(/^[A-Z]:\\.*\\System32\\WindowsPowerShell\\v1\.0\\powershell\.exe$/);
    expect(planned.args).toContain('-NoProfile');
    expect(planned.args).toContain('-NonInteractive');
  });

  it('passes the script as -EncodedCommand: base64 of UTF-16LE that decodes back to the script', () => {
    const at = planned.args.indexOf('-EncodedCommand');
    expect(at).toBeGreaterThanOrEqual(0);
    expect(at).toBe(planned.args.length - 2);
    const encoded = planned.args[at + 1] ?? '';
    expect(encoded).toMatch(/^[A-Za-z0-9+/]+=*$/);
    const bytes = Buffer.from(encoded, 'base64');
    // UTF-16LE: ASCII characters are followed by a zero byte.
    expect(bytes[1]).toBe(0);
    expect(bytes.toString('utf16le')).toBe(SAMPLER_SCRIPT);
  });

  it('the script reads the process table and listeners and sends CTRL_BREAK (event 1)', () => {
    expect(SAMPLER_SCRIPT).toContain('Get-CimInstance Win32_Process');
    expect(SAMPLER_SCRIPT).toContain('Get-NetTCPConnection -State Listen');
    expect(SAMPLER_SCRIPT).toContain('GenerateConsoleCtrlEvent(1,');
    expect(SAMPLER_SCRIPT).not.toContain('GenerateConsoleCtrlEvent(0,');
  });
});

describe('splitWindowsCommandLine (CommandLineToArgvW rules)', () => {
  it('splits on spaces and tabs, collapsing runs of them', () => {
    expect(splitWindowsCommandLine('node.exe  server.js\t--port\t \t7000 ')).toEqual(['node.exe', 'server.js', '--port', '7000']);
    expect(splitWindowsCommandLine('')).toEqual([]);
    expect(splitWindowsCommandLine('   ')).toEqual([]);
  });

  it('groups a quoted string, spaces and tabs included, and drops the quotes', () => {
    expect(splitWindowsCommandLine('"C:\\Program Files\\nodejs\\node.exe" "my app.js" "a\tb"')).toEqual([
      'C:\\Program Files\\nodejs\\node.exe',
      'my app.js',
      'a\tb',
    ]);
    expect(splitWindowsCommandLine('"abc" d e')).toEqual(['abc', 'd', 'e']);
  });

  it('joins a quoted part embedded in an argument', () => {
    expect(splitWindowsCommandLine('a\\\\b d"e f"g h')).toEqual(['a\\\\b', 'de fg', 'h']);
    expect(splitWindowsCommandLine('--name="hello world"')).toEqual(['--name=hello world']);
  });

  it('reads \\" as a literal quote', () => {
    expect(splitWindowsCommandLine('"hello\\"there"')).toEqual(['hello"there']);
    expect(splitWindowsCommandLine('a\\"b c')).toEqual(['a"b', 'c']);
  });

  it('reads \\\\\\" (odd backslashes) as a backslash per pair plus a literal quote', () => {
    expect(splitWindowsCommandLine('a\\\\\\"b c d')).toEqual(['a\\"b', 'c', 'd']);
  });

  it('reads \\\\" (even backslashes) as a backslash per pair plus a quote that groups', () => {
    expect(splitWindowsCommandLine('a\\\\\\\\"b c" d e')).toEqual(['a\\\\b c', 'd', 'e']);
    expect(splitWindowsCommandLine('"C:\\dir\\\\" next')).toEqual(['C:\\dir\\', 'next']);
  });

  it('keeps backslashes that are not before a quote, trailing ones included', () => {
    expect(splitWindowsCommandLine('C:\\dir\\ D:\\x\\\\')).toEqual(['C:\\dir\\', 'D:\\x\\\\']);
    expect(splitWindowsCommandLine('\\\\server\\share\\file.txt')).toEqual(['\\\\server\\share\\file.txt']);
  });

  it('keeps an empty quoted argument', () => {
    expect(splitWindowsCommandLine('app.exe "" b')).toEqual(['app.exe', '', 'b']);
    expect(splitWindowsCommandLine('app.exe ""')).toEqual(['app.exe', '']);
  });

  it('ends an unterminated quote at the end of the line', () => {
    expect(splitWindowsCommandLine('app.exe "open ended')).toEqual(['app.exe', 'open ended']);
  });
});

describe('toProcessInfo', () => {
  const row = {
    pid: 4321,
    ppid: 1200,
    cmd: '"C:\\Program Files\\nodejs\\node.exe" server.js --port 7000',
    created: '2026-03-01T10:15:30.1234567Z',
    rss: 52_428_800,
    cpu100ns: 123_450_000,
  };

  it('uses the creation time as the start token and converts CPU from 100-ns units to ms', () => {
    expect(toProcessInfo(row)).toEqual({
      pid: 4321,
      ppid: 1200,
      pgid: null,
      sid: null,
      state: '?',
      startToken: '2026-03-01T10:15:30.1234567Z',
      startedAtMs: Date.parse('2026-03-01T10:15:30.123Z'),
      argv: ['C:\\Program Files\\nodejs\\node.exe', 'server.js', '--port', '7000'],
      cpuTimeMs: 12_345,
      rssBytes: 52_428_800,
    });
  });

  it('gives an empty argv when the command line cannot be read', () => {
    expect(toProcessInfo({ ...row, cmd: null }).argv).toEqual([]);
    expect(toProcessInfo({ ...row, cmd: '' }).argv).toEqual([]);
  });

  it('tells apart two processes that had the same pid by their creation time', () => {
    const later = toProcessInfo({ ...row, created: '2026-03-01T11:00:00.0000000Z' });
    expect(later.startToken).not.toBe(toProcessInfo(row).startToken);
  });
});

describe('signals on Windows', () => {
  it('refuses a reload, saying why, and sends nothing', async () => {
    const platform = createWindowsPlatform();
    expect(platform.reloadRefusal).toBe(RELOAD_REFUSAL);
    expect(RELOAD_REFUSAL).toMatch(/Windows has no SIGHUP/);
    await expect(platform.sendSignal(processInfo(4242, 1, { pgid: null, sid: null }), 'SIGHUP')).rejects.toThrow(/restart it instead/);
    platform.close();
  });
});
