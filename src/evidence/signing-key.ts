// The Ed25519 key that signs evidence manifests, kept in the keys folder as PKCS#8 PEM
// (owner-only) beside its SPKI public key. Made on first use and never replaced: a new
// key would silently orphan every signature made with the old one, so anything odd on
// disk (a key others can read, a pair that does not match, a public key without its
// private key) stops evident with a message instead.
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../fs/atomic-write.ts';
import { isOwnerOnly, restrictToOwner } from '../platform/owner-only.ts';
import { ArtifactExistsError, writeArtifact } from './write-artifact.ts';

export const PRIVATE_KEY_FILE = 'evident-ed25519.key';
export const PUBLIC_KEY_FILE = 'evident-ed25519.pub';

export interface SigningKey {
  privateKey: KeyObject;
  /** SPKI PEM, as `openssl pkeyutl -verify -pubin -inkey` reads it. */
  publicKeyPem: string;
  /** First 16 hex digits of the SHA-256 of the DER public key: names the key in evidence. */
  keyId: string;
  /** The folder it was loaded from (`state/keys`): the installation it belongs to. */
  keysDir: string;
}

export class SigningKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SigningKeyError';
  }
}

export function loadOrCreateSigningKey(keysDir: string): SigningKey {
  const privatePath = join(keysDir, PRIVATE_KEY_FILE);
  const publicPath = join(keysDir, PUBLIC_KEY_FILE);
  if (!existsSync(privatePath)) {
    if (existsSync(publicPath)) {
      throw new SigningKeyError(`${publicPath} exists but its private key ${privatePath} does not: restore the private key, or move the public key away to make a new pair`);
    }
    try {
      createKeyPair(keysDir, privatePath);
    } catch (error) {
      // Another evident made the key between our check and our write: use theirs.
      if (!(error instanceof ArtifactExistsError)) throw error;
    }
  }
  return { ...loadKeyPair(privatePath, publicPath), keysDir };
}

/** The raw 64-byte Ed25519 signature of `data`. */
export function signBytes(key: SigningKey, data: Uint8Array): Buffer {
  return sign(null, data, key.privateKey);
}

/** True only for a valid Ed25519 signature of `data` by `publicKeyPem`; false for anything malformed. */
export function verifySignature(publicKeyPem: string, data: Uint8Array, signature: Uint8Array): boolean {
  // createPublicKey would also accept a private key and derive its public half; a run
  // folder holding a private key is not something to call verified.
  if (!publicKeyPem.includes('-----BEGIN PUBLIC KEY-----')) return false;
  try {
    const publicKey = createPublicKey(publicKeyPem);
    if (publicKey.asymmetricKeyType !== 'ed25519' || signature.byteLength !== 64) return false;
    return verify(null, data, publicKey, signature);
  } catch {
    return false;
  }
}

/** `keyId` of a public key: the first 16 hex digits of the SHA-256 of its DER (SPKI) form. */
export function publicKeyId(publicKey: KeyObject): string {
  return createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('hex').slice(0, 16);
}

function createKeyPair(keysDir: string, privatePath: string): void {
  mkdirSync(keysDir, { recursive: true });
  // Before the key exists in it; a mode given to mkdir would be cut by the umask, applied
  // to every parent it creates too, and ignored for a folder that already exists.
  restrictToOwner(keysDir);
  const { privateKey } = generateKeyPairSync('ed25519');
  // Linked into place, never renamed over: a key another process just made is kept.
  writeArtifact(keysDir, PRIVATE_KEY_FILE, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  restrictToOwner(privatePath);
}

function loadKeyPair(privatePath: string, publicPath: string): Omit<SigningKey, 'keysDir'> {
  if (!isOwnerOnly(privatePath)) {
    throw new SigningKeyError(`${privatePath} can be read by other users (mode ${modeText(privatePath)}): a signing key must be owner-only; run chmod 600 ${privatePath} if it has not leaked, or replace the pair`);
  }
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(readFileSync(privatePath));
  } catch (error) {
    throw new SigningKeyError(`${privatePath} is not a readable private key: ${(error as Error).message}`);
  }
  if (privateKey.asymmetricKeyType !== 'ed25519') {
    throw new SigningKeyError(`${privatePath} is a ${privateKey.asymmetricKeyType ?? 'unknown'} key; evident signs with Ed25519`);
  }
  const derived = createPublicKey(privateKey);
  const publicKeyPem = derived.export({ type: 'spki', format: 'pem' }).toString();
  if (existsSync(publicPath)) {
    let stored: KeyObject;
    try {
      stored = createPublicKey(readFileSync(publicPath));
    } catch (error) {
      throw new SigningKeyError(`${publicPath} is not a readable public key: ${(error as Error).message}`);
    }
    if (!stored.equals(derived)) {
      throw new SigningKeyError(`${publicPath} does not match the private key ${privatePath}: the pair was mixed up; restore the matching files`);
    }
  } else {
    // Made from the private key, so writing it (again) can only restore what belongs there.
    writeFileAtomic(publicPath, publicKeyPem, 0o644);
  }
  return { privateKey, publicKeyPem, keyId: publicKeyId(derived) };
}

function modeText(path: string): string {
  return `0${(statSync(path).mode & 0o777).toString(8).padStart(3, '0')}`;
}
