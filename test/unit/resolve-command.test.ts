// On Windows a bare command is looked for on PATH only: CreateProcess and `which` would
// look in the current folder first, where a planted program would run in a service's place.
import { describe, expect, it } from 'vitest';
import { firstOnPath } from '../../src/platform/resolve-command.ts';

describe('firstOnPath (Windows)', () => {
  const path = ['C:\\Program Files\\nodejs', 'C:\\Windows\\System32'];

  it('passes over a match in the current folder for the first one on PATH', () => {
    expect(firstOnPath(['C:\\Users\\ana\\Downloads\\node.exe', 'C:\\Program Files\\nodejs\\node.exe'], 'C:\\Users\\ana\\Downloads', path)).toBe('C:\\Program Files\\nodejs\\node.exe');
  });

  it('compares folders without regard to case or a trailing backslash', () => {
    expect(firstOnPath(['c:\\users\\ANA\\downloads\\node.exe'], 'C:\\Users\\ana\\Downloads\\', path)).toBeNull();
  });

  it('finds nothing when the only match is in the current folder', () => {
    expect(firstOnPath(['C:\\work\\svc.exe'], 'C:\\work', path)).toBeNull();
    expect(firstOnPath([], 'C:\\work', path)).toBeNull();
  });

  it('keeps a match in the current folder when PATH itself names that folder (quoted or not)', () => {
    expect(firstOnPath(['C:\\work\\svc.exe'], 'C:\\work', [...path, 'C:\\work'])).toBe('C:\\work\\svc.exe');
    expect(firstOnPath(['C:\\my tools\\svc.exe'], 'C:\\my tools', ['"C:\\my tools"'])).toBe('C:\\my tools\\svc.exe');
  });
});
