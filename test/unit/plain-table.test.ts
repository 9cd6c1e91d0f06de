// Plain-text tables for terminals that are not a TUI.
import { describe, expect, it } from 'vitest';
import { formatTable } from '../../cli/plain-table.ts';

describe('formatTable', () => {
  it('pads each column to its widest cell, two spaces apart, without padding the last', () => {
    const table = formatTable(
      ['SERVICE', 'PID', 'STATE'],
      [
        ['web', '12', 'running'],
        ['memory-engine', '34567', 'stopped'],
      ],
    );
    expect(table.split('\n')).toEqual([
      'SERVICE        PID    STATE',
      'web            12     running',
      'memory-engine  34567  stopped',
    ]);
  });

  it('widens a column for a header longer than its cells', () => {
    expect(formatTable(['A', 'LONG HEADER', 'Z'], [['x', 'y', 'z']])).toBe('A  LONG HEADER  Z\nx  y            z');
  });

  it('prints the header alone for no rows, and treats missing cells as empty', () => {
    expect(formatTable(['NAME', 'PID'], [])).toBe('NAME  PID');
    expect(formatTable(['NAME', 'PID', 'PORT'], [['web']])).toBe('NAME  PID  PORT\nweb');
  });
});
