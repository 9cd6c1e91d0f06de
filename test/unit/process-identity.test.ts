// The proof that a pid is still the process we recorded.
import { describe, expect, it } from 'vitest';
import { changedCommandLine, checkIdentity, sameArgv, toKnown } from '../../src/supervisor/process-identity.ts';
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

  it('is the same process when only the command line changed (it exec\'d or renamed itself)', () => {
    expect(checkIdentity(known, { ...seen, argv: ['nginx: master process /usr/sbin/nginx'] })).toEqual({ same: true });
    expect(checkIdentity(known, { ...seen, argv: [...known.argv, '--extra'] })).toEqual({ same: true });
  });
});

describe('changedCommandLine', () => {
  it('names what the same process runs now, when it differs from the record', () => {
    expect(changedCommandLine(known, { ...seen, argv: ['node', 'service.mjs'] })).toEqual(['node', 'service.mjs']);
    // Same words, split differently, is another command line.
    expect(changedCommandLine(known, { ...seen, argv: ['python3', '-m', 'http.server 7000'] })).toEqual(['python3', '-m', 'http.server 7000']);
  });

  it('is null when nothing changed, or when it is not the same process at all', () => {
    expect(changedCommandLine(known, seen)).toBeNull();
    expect(changedCommandLine(known, { ...seen, startToken: 'boot:999999', argv: ['bash'] })).toBeNull();
    expect(changedCommandLine(known, { ...seen, state: 'Z', argv: [] })).toBeNull();
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
