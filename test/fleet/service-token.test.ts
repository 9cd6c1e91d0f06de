// The service token's format and every refusal, with a fixed clock: what a callee accepts
// is exactly a token signed for it, for this request, with a live key, once, in time.
import { describe, expect, it } from 'vitest';
import { ReplayCache } from '../../fleet/lib/replay-cache.ts';
import { checkServiceToken, MAX_SKEW_MS, signServiceToken, type TokenContext } from '../../fleet/lib/service-token.ts';

const NOW = Date.parse('2026-12-02T20:00:00Z');
const K1 = { id: 'k1', secret: Buffer.alloc(32, 1) };
const K2 = { id: 'k2', secret: Buffer.alloc(32, 2) };
const request = { caller: 'api-gateway', callee: 'memory-engine', method: 'POST', path: '/v1/sessions?limit=5', body: '{"user":"ana"}' };
const received = { method: 'POST', path: '/v1/sessions?limit=5', body: '{"user":"ana"}' };

function context(overrides: Partial<TokenContext> = {}): TokenContext {
  const cache = new ReplayCache();
  return {
    callee: 'memory-engine',
    keyFor: (id) => (id === 'k1' ? K1.secret : id === 'k0' ? 'retired' : null),
    firstUse: (nonce, now) => cache.firstUse(nonce, now),
    nowMs: NOW,
    ...overrides,
  };
}

describe('service tokens', () => {
  it('accept a token signed for this callee, this request, with a live key, once', () => {
    const token = signServiceToken(K1, request, NOW);
    expect(token).toMatch(/^v1\.k1\.api-gateway\.memory-engine\.\d+\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}$/);
    const ctx = context();
    expect(checkServiceToken(token, received, ctx)).toEqual({ ok: true, caller: 'api-gateway', keyId: 'k1' });
    expect(checkServiceToken(token, received, ctx)).toEqual({ ok: false, reason: 'replayed nonce' });
  });

  it('bind the method, the path with its query, and the body', () => {
    const token = signServiceToken(K1, request, NOW);
    expect(checkServiceToken(token, { ...received, method: 'GET' }, context())).toEqual({ ok: false, reason: 'bad signature' });
    expect(checkServiceToken(token, { ...received, path: '/v1/sessions?limit=500' }, context())).toEqual({ ok: false, reason: 'bad signature' });
    expect(checkServiceToken(token, { ...received, body: '{"user":"eve"}' }, context())).toEqual({ ok: false, reason: 'bad signature' });
    expect(checkServiceToken(token, { ...received, method: 'post' }, context())).toMatchObject({ ok: true });
  });

  it('refuse each forgery with a short reason', () => {
    const token = signServiceToken(K1, request, NOW);
    const parts = token.split('.');
    const swap = (index: number, value: string) => parts.map((p, i) => (i === index ? value : p)).join('.');
    expect(checkServiceToken(undefined, received, context())).toEqual({ ok: false, reason: 'missing token' });
    expect(checkServiceToken('', received, context())).toEqual({ ok: false, reason: 'missing token' });
    expect(checkServiceToken('Bearer abc', received, context())).toEqual({ ok: false, reason: 'malformed token' });
    expect(checkServiceToken(swap(0, 'v2'), received, context())).toEqual({ ok: false, reason: 'malformed token' });
    expect(checkServiceToken(swap(1, 'k9'), received, context())).toEqual({ ok: false, reason: 'unknown key' });
    // A MAC of the right shape but wrong, and one made with another key.
    expect(checkServiceToken(swap(6, 'A'.repeat(43)), received, context())).toEqual({ ok: false, reason: 'bad signature' });
    expect(checkServiceToken(signServiceToken({ id: 'k1', secret: K2.secret }, request, NOW), received, context())).toEqual({ ok: false, reason: 'bad signature' });
    // The caller named in the token is covered by the MAC.
    expect(checkServiceToken(swap(2, 'pipecat'), received, context())).toEqual({ ok: false, reason: 'bad signature' });
  });

  it('refuse a token for another callee, a retired key and a timestamp out of the skew', () => {
    expect(checkServiceToken(signServiceToken(K1, { ...request, callee: 'openclaw' }, NOW), received, context())).toEqual({ ok: false, reason: 'token for another service' });
    expect(checkServiceToken(signServiceToken({ id: 'k0', secret: K1.secret }, request, NOW), received, context())).toEqual({ ok: false, reason: 'retired key' });
    expect(checkServiceToken(signServiceToken(K1, request, NOW - MAX_SKEW_MS - 1), received, context())).toEqual({ ok: false, reason: 'expired timestamp' });
    expect(checkServiceToken(signServiceToken(K1, request, NOW + MAX_SKEW_MS + 1), received, context())).toEqual({ ok: false, reason: 'expired timestamp' });
    expect(checkServiceToken(signServiceToken(K1, request, NOW - MAX_SKEW_MS), received, context())).toMatchObject({ ok: true });
  });

  it('refuse names that are not lowercase letters, digits and dashes when signing', () => {
    expect(() => signServiceToken({ id: 'K.1', secret: K1.secret }, request, NOW)).toThrow(/key id/);
    expect(() => signServiceToken(K1, { ...request, caller: 'api.gateway' }, NOW)).toThrow(/caller/);
  });
});

describe('ReplayCache', () => {
  it('forgets a nonce once no token carrying it could still be in time, and refuses when full of live ones', () => {
    const cache = new ReplayCache(1000, 2);
    expect(cache.firstUse('aaaaaaaaaaaaaaaa', 0)).toBe(true);
    expect(cache.firstUse('aaaaaaaaaaaaaaaa', 999)).toBe(false);
    expect(cache.firstUse('bbbbbbbbbbbbbbbb', 500)).toBe(true);
    // Full of live nonces: a new one is refused, never let through unchecked.
    expect(cache.firstUse('cccccccccccccccc', 600)).toBe(false);
    expect(cache.firstUse('aaaaaaaaaaaaaaaa', 1000)).toBe(true);
    expect(cache.size).toBe(2);
  });
});
