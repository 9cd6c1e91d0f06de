// The Ed25519 signing key on real files in a temporary folder; signatures checked by the
// real `openssl`, as a reviewer without evident would check them.
import { execFile, spawnSync } from 'node:child_process';
import { createHash, generateKeyPairSync } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadOrCreateSigningKey, PRIVATE_KEY_FILE, PUBLIC_KEY_FILE, signBytes, SigningKeyError, verifySignature } from '../../src/evidence/signing-key.ts';
import { isOwnerOnly, restrictToOwner, windowsOwnerOnlyCommand } from '../../src/platform/owner-only.ts';
import { windowsTools } from '../../src/platform/windows-system-paths.ts';

const execFileAsync = promisify(execFile);
const posix = process.platform !== 'win32';
const hasOpenssl = spawnSync('openssl', ['version']).status === 0;

let dir = '';
let keysDir = '';
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'evident-signing-'));
  keysDir = join(dir, 'state', 'keys');
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function openssl(args: string[]): { status: number | null; output: string } {
  const result = spawnSync('openssl', args, { encoding: 'utf8' });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

function flipByte(path: string, at: number): void {
  const bytes = readFileSync(path);
  bytes[at] = (bytes[at] as number) ^ 0x01;
  writeFileSync(path, bytes);
}

describe('loadOrCreateSigningKey', () => {
  it('creates an owner-only PKCS#8 key and an SPKI public key on first use, and reuses them after', () => {
    const first = loadOrCreateSigningKey(keysDir);
    const privatePem = readFileSync(join(keysDir, PRIVATE_KEY_FILE), 'utf8');
    expect(privatePem).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    expect(readFileSync(join(keysDir, PUBLIC_KEY_FILE), 'utf8')).toBe(first.publicKeyPem);
    expect(first.publicKeyPem).toMatch(/^-----BEGIN PUBLIC KEY-----\n/);
    expect(first.keyId).toMatch(/^[0-9a-f]{16}$/);
    if (posix) {
      expect(statSync(join(keysDir, PRIVATE_KEY_FILE)).mode & 0o777).toBe(0o600);
      expect(statSync(keysDir).mode & 0o777).toBe(0o700);
    }

    const second = loadOrCreateSigningKey(keysDir);
    expect(second.keyId).toBe(first.keyId);
    expect(second.publicKeyPem).toBe(first.publicKeyPem);
    expect(readFileSync(join(keysDir, PRIVATE_KEY_FILE), 'utf8')).toBe(privatePem);
    expect(readdirSync(keysDir).sort()).toEqual([PRIVATE_KEY_FILE, PUBLIC_KEY_FILE]);
  });

  it.skipIf(!hasOpenssl)('names the key by the SHA-256 of its DER public key, as openssl computes it', () => {
    const key = loadOrCreateSigningKey(keysDir);
    const der = spawnSync('openssl', ['pkey', '-pubin', '-in', join(keysDir, PUBLIC_KEY_FILE), '-outform', 'DER']);
    expect(der.status).toBe(0);
    expect(key.keyId).toBe(createHash('sha256').update(der.stdout).digest('hex').slice(0, 16));
  });

  it.skipIf(!posix)('refuses a private key that group or others can read', () => {
    loadOrCreateSigningKey(keysDir);
    chmodSync(join(keysDir, PRIVATE_KEY_FILE), 0o644);
    expect(() => loadOrCreateSigningKey(keysDir)).toThrow(SigningKeyError);
    expect(() => loadOrCreateSigningKey(keysDir)).toThrow(/can be read by other users \(mode 0644\)/);
    chmodSync(join(keysDir, PRIVATE_KEY_FILE), 0o640);
    expect(() => loadOrCreateSigningKey(keysDir)).toThrow(/mode 0640/);
  });

  it('gives every one of several processes racing to create the key the same key', async () => {
    const module = pathToFileURL(join(import.meta.dirname, '../../src/evidence/signing-key.ts')).href;
    // Every racer waits for the same instant, so they overlap rather than follow Node's start-up order.
    const startAt = Date.now() + 1500;
    const script = `const { loadOrCreateSigningKey } = await import(${JSON.stringify(module)}); while (Date.now() < ${startAt}); console.log(loadOrCreateSigningKey(${JSON.stringify(keysDir)}).keyId);`;
    const racers = Array.from({ length: 6 }, () => execFileAsync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' }));
    // Settled, not all: a racer that fails must not leave the others writing after cleanup.
    const settled = await Promise.allSettled(racers);
    expect(settled.filter((r) => r.status === 'rejected')).toEqual([]);
    const ids = settled.map((r) => (r.status === 'fulfilled' ? r.value.stdout.trim() : ''));
    expect(new Set(ids).size).toBe(1);
    expect(loadOrCreateSigningKey(keysDir).keyId).toBe(ids[0]);
    expect(readdirSync(keysDir).sort()).toEqual([PRIVATE_KEY_FILE, PUBLIC_KEY_FILE]);
  });

  it('refuses a public key that is not the private key’s', () => {
    loadOrCreateSigningKey(keysDir);
    const other = generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' });
    writeFileSync(join(keysDir, PUBLIC_KEY_FILE), other);
    expect(() => loadOrCreateSigningKey(keysDir)).toThrow(/does not match the private key/);
  });

  it('refuses a public key left without its private key rather than making a new pair', () => {
    loadOrCreateSigningKey(keysDir);
    rmSync(join(keysDir, PRIVATE_KEY_FILE));
    expect(() => loadOrCreateSigningKey(keysDir)).toThrow(/exists but its private key .* does not/);
    expect(readdirSync(keysDir)).toEqual([PUBLIC_KEY_FILE]);
  });

  it('restores a missing public key from the private key', () => {
    const key = loadOrCreateSigningKey(keysDir);
    rmSync(join(keysDir, PUBLIC_KEY_FILE));
    expect(loadOrCreateSigningKey(keysDir).keyId).toBe(key.keyId);
    expect(readFileSync(join(keysDir, PUBLIC_KEY_FILE), 'utf8')).toBe(key.publicKeyPem);
  });

  it('refuses a private key file that is not an Ed25519 key, saying which file', () => {
    mkdirSync(keysDir, { recursive: true, mode: 0o700 });
    writeFileSync(join(keysDir, PRIVATE_KEY_FILE), 'not a key\n', { mode: 0o600 });
    expect(() => loadOrCreateSigningKey(keysDir)).toThrow(new RegExp(`${PRIVATE_KEY_FILE} is not a readable private key`));
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' });
    writeFileSync(join(keysDir, PRIVATE_KEY_FILE), rsa, { mode: 0o600 });
    expect(() => loadOrCreateSigningKey(keysDir)).toThrow(/is a rsa key; evident signs with Ed25519/);
  });
});

describe('signatures', () => {
  it.skipIf(!hasOpenssl)('verify with openssl, and fail after one byte of the data or the signature changes', () => {
    const key = loadOrCreateSigningKey(keysDir);
    const dataPath = join(dir, 'manifest.sha256');
    const sigPath = join(dir, 'manifest.sha256.sig');
    const publicPath = join(keysDir, PUBLIC_KEY_FILE);
    writeFileSync(dataPath, '# Gate 1 Evidence Manifest\njournal.jsonl  ' + 'ab'.repeat(32) + '\n');
    const signature = signBytes(key, readFileSync(dataPath));
    expect(signature.byteLength).toBe(64);
    writeFileSync(sigPath, signature);
    const verifyArgs = ['pkeyutl', '-verify', '-pubin', '-inkey', publicPath, '-rawin', '-in', dataPath, '-sigfile', sigPath];

    const good = openssl(verifyArgs);
    expect(good.output).toContain('Signature Verified Successfully');
    expect(good.status).toBe(0);

    flipByte(dataPath, 5);
    expect(openssl(verifyArgs).status).not.toBe(0);
    flipByte(dataPath, 5);
    expect(openssl(verifyArgs).status).toBe(0);

    flipByte(sigPath, 10);
    const badSignature = openssl(verifyArgs);
    expect(badSignature.status).not.toBe(0);
    expect(badSignature.output).toContain('Signature Verification Failure');
  });

  it('verifySignature accepts the signer’s key only, and says false (not throw) to garbage', () => {
    const key = loadOrCreateSigningKey(keysDir);
    const data = Buffer.from('journal head 0f3a…');
    const signature = signBytes(key, data);
    expect(verifySignature(key.publicKeyPem, data, signature)).toBe(true);

    const otherPem = generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }).toString();
    expect(verifySignature(otherPem, data, signature)).toBe(false);
    expect(verifySignature(key.publicKeyPem, Buffer.from('journal head 0f3b…'), signature)).toBe(false);
    const tampered = Buffer.from(signature);
    tampered[0] = (tampered[0] as number) ^ 0x80;
    expect(verifySignature(key.publicKeyPem, data, tampered)).toBe(false);

    expect(verifySignature('not a key', data, signature)).toBe(false);
    const privatePem = readFileSync(join(keysDir, PRIVATE_KEY_FILE), 'utf8');
    expect(verifySignature(privatePem, data, signature)).toBe(false);
    expect(verifySignature(key.publicKeyPem, data, signature.subarray(0, 63))).toBe(false);
    expect(verifySignature(key.publicKeyPem, data, Buffer.alloc(0))).toBe(false);
    const rsaPem = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
    expect(verifySignature(rsaPem, data, signature)).toBe(false);
  });
});

describe('owner-only permissions', () => {
  it.skipIf(!posix)('restrictToOwner leaves files 0600 and folders 0700, and isOwnerOnly sees the difference', () => {
    const file = join(dir, 'secret.pem');
    const folder = join(dir, 'keys');
    writeFileSync(file, 'x', { mode: 0o644 });
    mkdirSync(folder, { mode: 0o755 });
    chmodSync(file, 0o644);
    chmodSync(folder, 0o755);
    expect(isOwnerOnly(file)).toBe(false);
    restrictToOwner(file);
    restrictToOwner(folder);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(folder).mode & 0o777).toBe(0o700);
    expect(isOwnerOnly(file)).toBe(true);
    expect(isOwnerOnly(folder)).toBe(true);
  });

  it('on Windows would run icacls without a shell: inheritance removed, the account alone granted', () => {
    expect(windowsOwnerOnlyCommand('C:\\evident\\state\\keys\\evident-ed25519.key', 'CORP\\ana', false)).toEqual({
      command: windowsTools().icacls,
      args: ['C:\\evident\\state\\keys\\evident-ed25519.key', '/inheritance:r', '/grant:r', 'CORP\\ana:F'],
    });
    expect(windowsOwnerOnlyCommand('C:\\evident\\state\\keys', 'ana', true).args.at(-1)).toBe('ana:(OI)(CI)F');
  });
});
