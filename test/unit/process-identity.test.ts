// The proof that a pid is still the process we recorded.
import { describe, expect, it } from 'vitest';
import { checkIdentity, sameArgv, toKnown } from '../../src/supervisor/process-identity.ts';
import { processInfo } from './process-info.ts';

const known = { pid: 4242, start_token: 'boot:987654', argv: ['python3', '-m', 'http.server', '7000'] };
const seen = processInfo(4242, 1, { startToken: 'boot:987654', argv: ['python3', '-m', 'http.server', '7000'] });

describe('checkIdentity', () => {
  it('is the same process when start token and command line match', () => {
    expect(checkIdentity(known, seen)).toEqual({ same: true });
  });

  it('is not when the pid is gone', () => {
    expect(checkIdentity(known, null)).toEqual({ same: false, reason: 'pid 4242 is gone' });
  });

  it('is not when the process is defunct, even with the same start token', () => {
    expect(checkIdentity(known, { ...seen, state: 'Z', argv: [] })).toEqual({
      same: false,
      reason: 'pid 4242 has exited (defunct)',
    });
  });

  it('is not when the start token differs (the pid was reused), even with the same argv', () => {
    expect(checkIdentity(known, { ...seen, startToken: 'boot:999999' })).toEqual({
      same: false,
      reason: 'pid 4242 now belongs to another process (start time differs)',
    });
  });

  it('is not when the command line differs, naming both', () => {
    expect(checkIdentity(known, { ...seen, argv: ['bash'] })).toEqual({
      same: false,
      reason: 'pid 4242 now runs `bash`, not `python3 -m http.server 7000`',
    });
    // Same words, split differently, is another command line.
    expect(checkIdentity(known, { ...seen, argv: ['python3', '-m', 'http.server 7000'] }).same).toBe(false);
    expect(checkIdentity(known, { ...seen, argv: [...known.argv, '--extra'] }).same).toBe(false);
  });
});

describe('sameArgv and toKnown', () => {
  it('compares element by element', () => {
    expect(sameArgv(['a', 'b'], ['a', 'b'])).toBe(true);
    expect(sameArgv([], [])).toBe(true);
    expect(sameArgv(['a', 'b'], ['a'])).toBe(false);
    expect(sameArgv(['a'], ['a', ''])).toBe(false);
    expect(sameArgv(['a', 'b'], ['b', 'a'])).toBe(false);
  });

  it('records the pid, start token and argv of a process', () => {
    expect(toKnown(seen)).toEqual(known);
    expect(checkIdentity(toKnown(seen), seen)).toEqual({ same: true });
  });
});
