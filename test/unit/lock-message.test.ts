import { describe, expect, it } from 'vitest';
import { heldBy } from '../../cli/lock-message.ts';

const holder = { pid: 4242, start_token: 'b:1', argv: [], acquired_at: '2026-12-02T10:00:00.000Z' };

describe('heldBy', () => {
  it('names another console or runner and says to quit it or use its keys', () => {
    expect(heldBy({ ...holder, purpose: 'evident console' })).toBe(
      'the fleet is controlled by evident console (pid 4242, since 2026-12-02T10:00:00.000Z); quit it first, or use its keys',
    );
  });

  it('says the background supervisor is finishing a restart, to be waited for, not quit', () => {
    const line = heldBy({ ...holder, purpose: 'evident supervisor' });
    expect(line).toContain('held by the background supervisor (pid 4242');
    expect(line).toContain('try again in a moment');
    expect(line).not.toContain('quit it first');
  });
});
