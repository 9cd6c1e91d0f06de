// Every Windows tool evident runs, by absolute path under SystemRoot: never by bare name,
// which CreateProcess would look for in the current folder first.
import { describe, expect, it } from 'vitest';
import { DEFAULT_SYSTEM_ROOT, systemRoot, windowsTools } from '../../src/platform/windows-system-paths.ts';

describe('systemRoot', () => {
  it('reads SystemRoot in any case, as Windows variables are', () => {
    expect(systemRoot({ SystemRoot: 'D:\\WINNT' })).toBe('D:\\WINNT');
    expect(systemRoot({ SYSTEMROOT: 'C:\\Windows\\' })).toBe('C:\\Windows');
  });

  it('falls back to C:\\Windows when it is missing or not a plain absolute drive path', () => {
    for (const odd of [undefined, '', 'Windows', '\\\\server\\share', 'C:Windows', '"C:\\Windows"', 'C:\\Windows;C:\\evil', 'C:\\Windows\\..\\Users\\ana', '.\\Windows']) {
      expect(systemRoot(odd === undefined ? {} : { SystemRoot: odd })).toBe(DEFAULT_SYSTEM_ROOT);
    }
  });
});

describe('windowsTools', () => {
  it('names powershell, taskkill and icacls under System32', () => {
    expect(windowsTools({ SystemRoot: 'C:\\Windows' })).toEqual({
      powershell: 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe',
      taskkill: 'C:\\Windows\\System32\\taskkill.exe',
      icacls: 'C:\\Windows\\System32\\icacls.exe',
    });
  });
});
