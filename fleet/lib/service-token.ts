// Service tokens: every call from one fleet service to another carries X-Service-Token, an
// HMAC-SHA256 over who calls whom, the method, the path, the body's hash, a timestamp and
// a nonce, under a key named by its id. The callee checks it on every route but /healthz:
// the key must be known and not retired, the MAC right, the token meant for this callee,
// the timestamp within the allowed skew, and the nonce never seen before (a replay). Each
// refusal has a short reason and nothing internal. Pure but for the clock and the nonce
// cache the caller passes in (keyring.ts holds the keys; replay-cache.ts the nonces).
//
// Format: `v1.<key id>.<caller>.<callee>.<unix ms>.<nonce>.<mac>`, the MAC base64url over
// the canonical text `v1\n<key id>\n<caller>\n<callee>\n<METHOD>\n<path>\n<sha256 hex of
// the body>\n<unix ms>\n<nonce>`. Names and key ids are lowercase letters, digits and dashes.
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const SERVICE_TOKEN_HEADER = 'x-service-token';
/** How far a token's timestamp may be from the callee's clock, either way. */
export const MAX_SKEW_MS = 30_000;

const NAME = /^[a-z0-9][a-z0-9-]{0,62}$/;
const NONCE = /^[A-Za-z0-9_-]{16,64}$/;
const MAC = /^[A-Za-z0-9_-]{43}$/;

export interface SigningKey {
  id: string;
  secret: Buffer;
}

export interface TokenRequest {
  caller: string;
  callee: string;
  method: string;
  /** The path with its query, as the callee sees it. */
  path: string;
  body: Buffer | string;
}

export type TokenRefusal =
  | 'missing token'
  | 'malformed token'
  | 'unknown key'
  | 'retired key'
  | 'bad signature'
  | 'token for another service'
  | 'expired timestamp'
  | 'replayed nonce';

export type TokenCheck = { ok: true; caller: string; keyId: string } | { ok: false; reason: TokenRefusal };

/** What the check needs of the keyring and the nonce cache. */
export interface TokenContext {
  /** This service's name: a token must be for it. */
  callee: string;
  /** The key of this id if it may still be used to verify now, 'retired' past its grace, or null if unknown. */
  keyFor(id: string, nowMs: number): Buffer | 'retired' | null;
  /** Records the nonce; false when it was seen within the window already. */
  firstUse(nonce: string, nowMs: number): boolean;
  nowMs: number;
}

function bodyHash(body: Buffer | string): string {
  return createHash('sha256').update(body).digest('hex');
}

function canonical(keyId: string, request: TokenRequest, timestamp: number, nonce: string): string {
  return ['v1', keyId, request.caller, request.callee, request.method.toUpperCase(), request.path, bodyHash(request.body), String(timestamp), nonce].join('\n');
}

function mac(secret: Buffer, text: string): string {
  return createHmac('sha256', secret).update(text).digest('base64url');
}

/** A token for one request, signed with `key`. */
export function signServiceToken(key: SigningKey, request: TokenRequest, nowMs: number, nonce = randomBytes(16).toString('base64url')): string {
  for (const [what, value] of [['key id', key.id], ['caller', request.caller], ['callee', request.callee]] as const) {
    if (!NAME.test(value)) throw new Error(`a service token's ${what} must be lowercase letters, digits and dashes: "${value}"`);
  }
  const timestamp = Math.floor(nowMs);
  return ['v1', key.id, request.caller, request.callee, String(timestamp), nonce, mac(key.secret, canonical(key.id, request, timestamp, nonce))].join('.');
}

/** Checks the token of a request this service (`context.callee`) received. */
export function checkServiceToken(token: string | undefined, request: Omit<TokenRequest, 'caller' | 'callee'>, context: TokenContext): TokenCheck {
  if (token === undefined || token === '') return { ok: false, reason: 'missing token' };
  const parts = token.split('.');
  if (parts.length !== 7) return { ok: false, reason: 'malformed token' };
  const [version, keyId, caller, callee, stamp, nonce, given] = parts as [string, string, string, string, string, string, string];
  if (version !== 'v1' || !NAME.test(keyId) || !NAME.test(caller) || !NAME.test(callee) || !/^[0-9]{1,15}$/.test(stamp) || !NONCE.test(nonce) || !MAC.test(given)) {
    return { ok: false, reason: 'malformed token' };
  }
  const secret = context.keyFor(keyId, context.nowMs);
  if (secret === null) return { ok: false, reason: 'unknown key' };
  if (secret === 'retired') return { ok: false, reason: 'retired key' };
  const timestamp = Number(stamp);
  const expected = Buffer.from(mac(secret, canonical(keyId, { ...request, caller, callee }, timestamp, nonce)));
  if (!timingSafeEqual(expected, Buffer.from(given))) return { ok: false, reason: 'bad signature' };
  // Only a token whose MAC is right says anything true about its audience and its time.
  if (callee !== context.callee) return { ok: false, reason: 'token for another service' };
  if (Math.abs(context.nowMs - timestamp) > MAX_SKEW_MS) return { ok: false, reason: 'expired timestamp' };
  if (!context.firstUse(nonce, context.nowMs)) return { ok: false, reason: 'replayed nonce' };
  return { ok: true, caller, keyId };
}
