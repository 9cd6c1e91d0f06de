// The fleet's keyring: made owner-only with one key by the first service, read by the
// rest, rotated without a restart (the new key signs, the old one verifies until its
// retire_at, then is refused), and a broken file never replaces the last good keyring.
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ensureKeyring, Keyring, keyringPath, parseKeyring, rotateKeyring } from '../../fleet/lib/keyring.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'evident-keyring-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const T0 = Date.parse('2026-12-02T20:00:00Z');

describe('the keyring', () => {
  it('is made once, owner-only, with one 32-byte key; a second service reads the same one', () => {
    const path = keyringPath(dir);
    const first = ensureKeyring(path, T0);
    const second = ensureKeyring(path, T0 + 5);
    expect(second).toEqual(first);
    expect(first.keys).toHaveLength(1);
    expect(Buffer.from(first.keys[0]!.secret, 'base64url')).toHaveLength(32);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'secrets')).mode & 0o777).toBe(0o700);
  });

  it('rotates without a restart: the new key signs, the old verifies until retire_at, then is refused', () => {
    const path = keyringPath(dir);
    const service = new Keyring(path, T0);
    const old = service.signingKey(T0);
    expect(old.id).toBe('k1');
    const added = rotateKeyring(path, 60_000, T0 + 10_000);
    expect(added).toBe('k2');
    // Picked up at the next look (at most a second later), no restart.
    expect(service.signingKey(T0 + 11_000).id).toBe('k2');
    expect(service.keyFor('k1', T0 + 69_999)).toEqual(old.secret);
    expect(service.keyFor('k1', T0 + 70_000)).toBe('retired');
    expect(service.keyFor('k2', T0 + 70_000)).toBeInstanceOf(Buffer);
    expect(service.keyFor('k9', T0)).toBeNull();
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it('keeps the last good keyring when the file is broken, and says what is wrong with a bad one', () => {
    const path = keyringPath(dir);
    const service = new Keyring(path, T0);
    const key = service.signingKey(T0);
    writeFileSync(path, '{"keys": [');
    expect(service.signingKey(T0 + 2000)).toEqual(key);
    expect(() => parseKeyring('{"keys": []}')).toThrow(/at least one key/);
    expect(() => parseKeyring(JSON.stringify({ keys: [{ id: 'K1', secret: 'x', added_at: 'now', retire_at: null }] }))).toThrow(/unique id/);
    expect(() => parseKeyring(JSON.stringify({ keys: [{ id: 'k1', secret: 'c2hvcnQ', added_at: '2026-12-02T20:00:00Z', retire_at: null }] }))).toThrow(/at least 32 bytes/);
    expect(readFileSync(path, 'utf8')).toBe('{"keys": [');
  });
});
