// The fleet's service-token keys: one keyring file, `<state>/secrets/service-keys.json`,
// owner-only, made with one fresh key by the first service that starts, and read by every
// service (never the contract, the journal or a log). A key added to it is picked up
// without a restart (the file is looked at again at most once a second); rotating adds a
// key and gives the older ones a `retire_at`: until then they still verify, after it they
// are refused. The newest live key signs.
import { randomBytes } from 'node:crypto';
import { closeSync, mkdirSync, openSync, readFileSync, renameSync, statSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { SigningKey } from './service-token.ts';

export interface KeyringEntry {
  id: string;
  /** base64url of 32 random bytes. */
  secret: string;
  added_at: string;
  /** After this instant the key is refused; null while it is current. */
  retire_at: string | null;
}

export interface KeyringFile {
  keys: KeyringEntry[];
}

/** How often, at most, the file is looked at for a change. */
const RECHECK_MS = 1000;

export function keyringPath(stateDir: string): string {
  return join(stateDir, 'secrets', 'service-keys.json');
}

function newEntry(id: string, nowMs: number): KeyringEntry {
  return { id, secret: randomBytes(32).toString('base64url'), added_at: new Date(nowMs).toISOString(), retire_at: null };
}

/** Reads and checks a keyring; throws saying what is wrong. */
export function parseKeyring(text: string): KeyringFile {
  const value = JSON.parse(text) as Partial<KeyringFile>;
  if (!Array.isArray(value.keys) || value.keys.length === 0) throw new Error('a keyring needs a "keys" list with at least one key');
  const ids = new Set<string>();
  for (const key of value.keys) {
    if (typeof key?.id !== 'string' || !/^[a-z0-9][a-z0-9-]{0,62}$/.test(key.id) || ids.has(key.id)) throw new Error(`a keyring key needs a unique id of lowercase letters, digits and dashes: ${JSON.stringify(key?.id)}`);
    ids.add(key.id);
    if (typeof key.secret !== 'string' || Buffer.from(key.secret, 'base64url').length < 32) throw new Error(`key ${key.id}: the secret must be at least 32 bytes, base64url`);
    if (typeof key.added_at !== 'string' || Number.isNaN(Date.parse(key.added_at))) throw new Error(`key ${key.id}: added_at must be a date`);
    if (key.retire_at !== null && (typeof key.retire_at !== 'string' || Number.isNaN(Date.parse(key.retire_at)))) throw new Error(`key ${key.id}: retire_at must be a date or null`);
  }
  return { keys: value.keys };
}

/** Writes the keyring owner-only, whole (a temporary file renamed over it). */
function writeKeyring(path: string, keyring: KeyringFile): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const temporary = `${path}.${process.pid}.tmp`;
  const fd = openSync(temporary, 'w', 0o600);
  try {
    writeSync(fd, `${JSON.stringify(keyring, null, 2)}\n`);
  } finally {
    closeSync(fd);
  }
  renameSync(temporary, path);
}

/** The keyring at `path`, made with one fresh key if there is none (the first service to start makes it; the others read it). */
export function ensureKeyring(path: string, nowMs = Date.now()): KeyringFile {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  try {
    const fd = openSync(path, 'wx', 0o600);
    try {
      writeSync(fd, `${JSON.stringify({ keys: [newEntry('k1', nowMs)] }, null, 2)}\n`);
    } finally {
      closeSync(fd);
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  return parseKeyring(readFileSync(path, 'utf8'));
}

/** Adds a new key and retires every current one `graceMs` from now; returns the new key's id. */
export function rotateKeyring(path: string, graceMs: number, nowMs = Date.now()): string {
  const keyring = parseKeyring(readFileSync(path, 'utf8'));
  const retireAt = new Date(nowMs + graceMs).toISOString();
  const id = `k${Math.max(0, ...keyring.keys.map((k) => Number(/^k(\d+)$/.exec(k.id)?.[1] ?? 0))) + 1}`;
  const keys = keyring.keys.map((k) => (k.retire_at === null ? { ...k, retire_at: retireAt } : k));
  writeKeyring(path, { keys: [...keys, newEntry(id, nowMs)] });
  return id;
}

/** The keyring as a service uses it: re-read when the file changes, checked at most once a second. */
export class Keyring {
  private readonly path: string;
  private keyring: KeyringFile;
  private stamp: string;
  private checkedAt = 0;

  constructor(path: string, nowMs = Date.now()) {
    this.path = path;
    this.keyring = ensureKeyring(path, nowMs);
    this.stamp = this.fileStamp();
  }

  /** The key that signs now: the newest one not retired. */
  signingKey(nowMs = Date.now()): SigningKey {
    this.refresh(nowMs);
    const live = this.keyring.keys.filter((k) => k.retire_at === null || Date.parse(k.retire_at) > nowMs);
    const newest = live.sort((a, b) => Date.parse(b.added_at) - Date.parse(a.added_at))[0];
    if (newest === undefined) throw new Error(`no live key in ${this.path}`);
    return { id: newest.id, secret: Buffer.from(newest.secret, 'base64url') };
  }

  /** The secret of key `id` while it may verify, 'retired' past its retire_at, null if unknown. */
  keyFor(id: string, nowMs = Date.now()): Buffer | 'retired' | null {
    this.refresh(nowMs);
    const key = this.keyring.keys.find((k) => k.id === id);
    if (key === undefined) return null;
    if (key.retire_at !== null && Date.parse(key.retire_at) <= nowMs) return 'retired';
    return Buffer.from(key.secret, 'base64url');
  }

  private fileStamp(): string {
    const stat = statSync(this.path);
    return `${stat.ino}:${stat.size}:${stat.mtimeMs}`;
  }

  /** A keyring that cannot be read now keeps the last good one (a rotation is a rename: never half a file). */
  private refresh(nowMs: number): void {
    if (nowMs - this.checkedAt < RECHECK_MS) return;
    this.checkedAt = nowMs;
    try {
      const stamp = this.fileStamp();
      if (stamp === this.stamp) return;
      this.keyring = parseKeyring(readFileSync(this.path, 'utf8'));
      this.stamp = stamp;
    } catch {
      // Kept as it was; the next look tries again.
    }
  }
}
