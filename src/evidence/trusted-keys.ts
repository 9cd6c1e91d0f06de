// Which signing keys a reader trusts. Evidence is "verified" only when it is intact AND
// signed by one of these: a run re-signed with anyone's own key is intact but proves
// nothing. An installation trusts its own public key (`state/keys`) and any public key
// an operator has put in `state/keys/trusted/` on purpose; a reviewer elsewhere names the
// key they were given out of band (`evident verify --trusted-key FILE`). Reads only.
import { createHash, createPublicKey, type KeyObject } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PRIVATE_KEY_FILE, PUBLIC_KEY_FILE, publicKeyId } from './signing-key.ts';

/** Public keys an operator trusts besides the installation's own: one PEM file each. */
export const TRUSTED_KEYS_DIR = 'trusted';

export interface TrustedKey {
  /** First 16 hex digits of the SHA-256 of the DER public key, as evidence names keys. */
  keyId: string;
  /** The whole SHA-256 of the DER public key (hex): what `openssl pkey -pubin -outform DER | sha256sum` prints. */
  fingerprint: string;
  publicKeyPem: string;
  /** Where the trust comes from: "this installation's key (state/keys)", a file path. */
  source: string;
}

export class TrustedKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TrustedKeyError';
  }
}

/** The SHA-256 of a public key's DER (SPKI) form, hex. */
export function keyFingerprint(publicKey: KeyObject): string {
  return createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('hex');
}

/** A PEM public key as a trusted key; throws TrustedKeyError for anything that is not an Ed25519 public key. */
export function trustedKeyFromPem(pem: string, source: string): TrustedKey {
  if (!pem.includes('-----BEGIN PUBLIC KEY-----')) throw new TrustedKeyError(`${source} is not a PEM public key (-----BEGIN PUBLIC KEY-----)`);
  let key: KeyObject;
  try {
    key = createPublicKey(pem);
  } catch (error) {
    throw new TrustedKeyError(`${source} is not a readable public key: ${(error as Error).message}`);
  }
  if (key.asymmetricKeyType !== 'ed25519') throw new TrustedKeyError(`${source} is a ${key.asymmetricKeyType ?? 'unknown'} key; evident signs with Ed25519`);
  return { keyId: publicKeyId(key), fingerprint: keyFingerprint(key), publicKeyPem: key.export({ type: 'spki', format: 'pem' }).toString(), source };
}

/** A trusted key from a file; throws TrustedKeyError naming the file when it cannot be one. */
export function readTrustedKeyFile(path: string): TrustedKey {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new TrustedKeyError(`cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  return trustedKeyFromPem(text, path);
}

/**
 * The keys this installation trusts: its own public key (from `evident-ed25519.pub`, or
 * derived from the private key when only that is there; nothing is created) and every
 * `*.pem` in `<keys>/trusted/`. Empty when the installation has signed nothing yet.
 */
export function installationTrustedKeys(keysDir: string): TrustedKey[] {
  const keys: TrustedKey[] = [];
  const own = ownPublicKeyPem(keysDir);
  if (own !== null) keys.push(trustedKeyFromPem(own, `this installation's key (${keysDir})`));
  const extra = join(keysDir, TRUSTED_KEYS_DIR);
  if (existsSync(extra)) {
    for (const name of readdirSync(extra).filter((n) => n.endsWith('.pem')).sort()) {
      const key = readTrustedKeyFile(join(extra, name));
      if (!keys.some((k) => k.fingerprint === key.fingerprint)) keys.push(key);
    }
  }
  return keys;
}

/** How a reader can come to trust a key it does not: said wherever a run is refused for its key. */
export function howToTrust(keyId: string, fingerprint: string | null): string {
  return (
    `key ${keyId}${fingerprint === null ? '' : ` (SHA-256 fingerprint ${fingerprint})`} is not trusted here; ` +
    'if you expect it, compare its fingerprint with its owner out of band (openssl pkey -pubin -in public-key.pem -outform DER | sha256sum), ' +
    `then pass --trusted-key FILE, or copy the key into state/keys/${TRUSTED_KEYS_DIR}/ to trust it for this installation`
  );
}

function ownPublicKeyPem(keysDir: string): string | null {
  const publicPath = join(keysDir, PUBLIC_KEY_FILE);
  if (existsSync(publicPath)) return readFileSync(publicPath, 'utf8');
  const privatePath = join(keysDir, PRIVATE_KEY_FILE);
  if (!existsSync(privatePath)) return null;
  try {
    return createPublicKey(readFileSync(privatePath)).export({ type: 'spki', format: 'pem' }).toString();
  } catch {
    return null;
  }
}
