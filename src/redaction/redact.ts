// Secrets never reach a log, a journal, a screen or an error: values under secret names,
// and values shaped like well-known credentials, are replaced at the point of recording.
// Which names are secret is src/redaction/secret-names.ts; this file finds them in text
// and in JSON payloads.
//
// Text can be a 5 MB line of service output, so everything here runs in linear time. An
// unbounded run is only taken after a literal, or where a run of its own characters
// starts (a lookbehind), so a long run is tried once rather than at every offset; other
// quantifiers are bounded, and none is nested in another. Names are found by a small
// scanner (maskNamedValues) that starts only where a secret word could stand. Minimum
// lengths are written x{n}x* rather than x{n,}: V8 runs the latter some 50 times slower
// over a long run.
import { isIdentityName, isSecretName, SECRET_NAME_HINT } from './secret-names.ts';

export const REDACTED = '[redacted]';

// A PEM private key block, BEGIN to END, becomes one `[redacted]` (so a secret name just
// before it masks that, not the block's first line); a block cut off before its END is
// masked to the end of the text.
const PRIVATE_KEY_BLOCK = /-----BEGIN [A-Z0-9 ]{0,64}PRIVATE KEY(?: BLOCK)?-----[\s\S]*?(?:-----END [A-Z0-9 ]{0,64}PRIVATE KEY(?: BLOCK)?-----|$)/g;

// Credentials recognisable by their shape alone, whatever name they sit under.
const TOKEN_SHAPES: readonly RegExp[] = [
  // GitHub: personal, OAuth, app-to-server, user-to-server and refresh tokens; fine-grained PATs.
  /(?<![A-Za-z0-9])gh[opsur]_[A-Za-z0-9]{20}[A-Za-z0-9]*/g,
  /(?<![A-Za-z0-9_])github_pat_[A-Za-z0-9_]{20}[A-Za-z0-9_]*/g,
  // Slack bot, user, app-level, refresh and legacy tokens.
  /(?<![A-Za-z0-9-])xox[abprs]-[A-Za-z0-9-]{10}[A-Za-z0-9-]*/g,
  // AWS access key ids (long-lived AKIA, temporary ASIA).
  /(?<![A-Za-z0-9])(?:AKIA|ASIA)[0-9A-Z]{16}(?![A-Za-z0-9])/g,
  // OpenAI and Anthropic (`sk-`, `sk-proj-`, `sk-ant-`); Stripe secret and restricted keys.
  /(?<![A-Za-z0-9_-])sk-[A-Za-z0-9_-]{32}[A-Za-z0-9_-]*/g,
  /(?<![A-Za-z0-9])(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{16}[A-Za-z0-9]*/g,
  // A JSON Web Token: base64url of `{"…` twice, then the signature.
  /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]+\.eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g,
];

// Slack and Discord incoming webhooks: the path is the credential, the host may stay.
const WEBHOOK_URL = /(https:\/\/(?:hooks\.slack\.com\/services|(?:ptb\.|canary\.)?discord(?:app)?\.com\/api\/webhooks)\/)[A-Za-z0-9_/-]+/g;

// `scheme://user:password@host`: the password, up to the last `@` before the path. The
// user may be empty (`redis://:password@host`). Tried only where `://` stands.
const URL_PASSWORD = /(:\/\/[^\s/?#@:]{0,256}):[^\s/?#]+@/g;

// Where a secret name, or an HTTP authorization scheme, may stand: the scanner looks at
// the word around each of these only.
const HINTS = new RegExp(`${SECRET_NAME_HINT.source}|basic`, 'gi');
const MAX_NAME = 128;
// An argv element that is an option alone, without `=value`.
const OPTION = /^--?[A-Za-z][\w.-]*$/;

const SCHEME_VALUE = /(?:Bearer|Basic)[ \t]+[^\s,;&"']+/y;
const CREDENTIAL = /[A-Za-z0-9._~+/=-]+/y;
const PAIR_VALUE = /[^\s,;&"']+/y;
const FLAG_VALUE = /\S+/y;
const NUMBER_VALUE = /-?[0-9][0-9.eE+-]{0,63}/y;

// Every rule below needs one of these in the text (a secret word, a token prefix, `://`,
// `Basic`); most strings in a payload hold none and are returned after this one scan.
const ANY_RULE = new RegExp(`${SECRET_NAME_HINT.source}|gh[opsur]_|xox|akia|asia|sk-|[sr]k_|eyj|://|basic`, 'i');

/**
 * Masks secrets in free text (a log line, an error message, a command line): private key
 * blocks and well-known token shapes anywhere; `NAME=value`, `NAME: value`,
 * `"name": "value"` and `--name value` where the name looks secret; `Bearer …` and `Basic …`;
 * and the password in a URL (`user:pass@host`).
 */
export function redactText(text: string): string {
  if (!ANY_RULE.test(text)) return text;
  let out = text.replace(PRIVATE_KEY_BLOCK, REDACTED);
  for (const shape of TOKEN_SHAPES) out = out.replace(shape, REDACTED);
  out = out.replace(WEBHOOK_URL, `$1${REDACTED}`);
  out = out.replace(URL_PASSWORD, `$1:${REDACTED}@`);
  return maskNamedValues(out);
}

/** Where a secret value starts and ends in the text, and what stands in its place. */
interface Span {
  start: number;
  end: number;
  replacement: string;
}

/**
 * Replaces the value after each secret name: `NAME=value`, `NAME: value`, `"name": value`,
 * `--name value`; and the credential after `Bearer` or `Basic`. Each name is read whole
 * around a secret word, at most once; a name that is not secret, or has no value, is
 * passed over, so `note: password=x` still finds `password`.
 */
function maskNamedValues(text: string): string {
  let out = '';
  let copied = 0;
  HINTS.lastIndex = 0;
  // test(), not exec(): no match array for each of what can be a million hints.
  while (HINTS.test(text)) {
    const found = HINTS.lastIndex;
    let start = found;
    while (start > 0 && found - start <= MAX_NAME && isNameChar(text.charCodeAt(start - 1))) start--;
    let end = found;
    while (end < text.length && isNameChar(text.charCodeAt(end))) end++;
    HINTS.lastIndex = end;
    // Too long to be a name, or begun inside a value already replaced.
    if (end - start > MAX_NAME || isNameChar(text.charCodeAt(start - 1)) || start < copied) continue;
    // What follows is checked first: it is cheaper than the name, and most names have no value.
    let value = valueAfterName(text, start, end);
    if (value !== null && !isSecretName(text.slice(start, end))) value = null;
    value ??= credentialAfterScheme(text, start, end);
    const span = value === null ? null : value.read(text, value.at);
    if (span === null) continue;
    out += text.slice(copied, span.start) + span.replacement;
    copied = span.end;
    HINTS.lastIndex = Math.max(end, span.end);
  }
  return out + text.slice(copied);
}

/** A name is a whole run of [A-Za-z0-9_.-] (leading dashes included: `--password` names `password`). */
function isNameChar(code: number): boolean {
  return (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || (code >= 48 && code <= 57) || code === 95 || code === 46 || code === 45;
}

/** Where a value reader starts. */
interface ValueAt {
  at: number;
  read: (text: string, at: number) => Span | null;
}

/** Where the value that the name at [start, end) introduces starts, and how it is read; null if it introduces none. */
function valueAfterName(text: string, start: number, end: number): ValueAt | null {
  const open = text.charAt(start - 1);
  // JSON logged inside a JSON string has its quotes escaped: {\"password\":\"x\"}.
  const escaped = open === '"' && text.charAt(start - 2) === '\\';
  const close = escaped ? '\\"' : open;
  if ((open === '"' || open === "'") && text.startsWith(close, end)) {
    const colon = skipBlanks(text, end + close.length);
    if (text.charAt(colon) === ':') return { at: skipBlanks(text, colon + 1), read: escaped ? escapedJsonValue : jsonValue };
  }
  const at = skipBlanks(text, end);
  const next = text.charAt(at);
  if (next === '=' || next === ':') return { at: skipBlanks(text, at + 1), read: pairValue };
  // An option's value is the next word, unless that is another option.
  if (at > end && next !== '-' && isOption(text, start)) return { at, read: flagValue };
  return null;
}

/** The credential after `Bearer` or `Basic` (as in an Authorization header) standing at [start, end). */
function credentialAfterScheme(text: string, start: number, end: number): ValueAt | null {
  const scheme = end - start === 6 ? text.startsWith('Bearer', start) : end - start === 5 && text.startsWith('Basic', start);
  const at = skipBlanks(text, end);
  return scheme && at > end ? { at, read: credentialValue } : null;
}

/** `-x…` or `--x…` at `start`, x a letter. */
function isOption(text: string, start: number): boolean {
  if (text.charAt(start) !== '-') return false;
  const letterAt = text.charAt(start + 1) === '-' ? start + 2 : start + 1;
  const code = text.charCodeAt(letterAt) | 0x20;
  return code >= 97 && code <= 122;
}

function skipBlanks(text: string, at: number): number {
  let i = at;
  while (text.charAt(i) === ' ' || text.charAt(i) === '\t') i++;
  return i;
}

function pairValue(text: string, at: number): Span | null {
  if (text[at] === '"' || text[at] === "'") return quotedValue(text, at);
  return sticky(SCHEME_VALUE, text, at) ?? sticky(PAIR_VALUE, text, at);
}

function flagValue(text: string, at: number): Span | null {
  if (text[at] === '"' || text[at] === "'") return quotedValue(text, at);
  return sticky(FLAG_VALUE, text, at);
}

function credentialValue(text: string, at: number): Span | null {
  return sticky(CREDENTIAL, text, at);
}

// A number after a secret JSON key becomes a string, so the JSON stays valid.
function jsonValue(text: string, at: number): Span | null {
  if (text[at] === '"' || text[at] === "'") return quotedValue(text, at);
  const number = sticky(NUMBER_VALUE, text, at);
  return number === null ? null : { ...number, replacement: `"${REDACTED}"` };
}

// In JSON inside a JSON string, a string value ends at the next quote (escaped, `\"`).
function escapedJsonValue(text: string, at: number): Span | null {
  if (!text.startsWith('\\"', at)) {
    const number = sticky(NUMBER_VALUE, text, at);
    return number === null ? null : { ...number, replacement: `\\"${REDACTED}\\"` };
  }
  let i = at + 2;
  while (i < text.length && text[i] !== '"' && text[i] !== '\n') i++;
  const end = text[i - 1] === '\\' ? i - 1 : i;
  return { start: at + 2, end: Math.max(end, at + 2), replacement: REDACTED };
}

/** The run `pattern` (sticky) matches at `at`, if any, as a span to replace whole. */
function sticky(pattern: RegExp, text: string, at: number): Span | null {
  pattern.lastIndex = at;
  return pattern.test(text) ? { start: at, end: pattern.lastIndex, replacement: REDACTED } : null;
}

/**
 * The inside of a quoted value starting at `at`, up to the closing quote not escaped by a
 * backslash. An unclosed quote is masked to the end of its line: the secret may run there.
 */
function quotedValue(text: string, at: number): Span {
  const quote = text[at];
  let i = at + 1;
  while (i < text.length && text[i] !== quote && text[i] !== '\n') i += text[i] === '\\' ? 2 : 1;
  return { start: at + 1, end: Math.min(i, text.length), replacement: REDACTED };
}

/** True for `--password`, `-api-key`: an option whose next argument is a secret. */
function isSecretFlag(item: unknown): boolean {
  return typeof item === 'string' && item.length <= MAX_NAME && OPTION.test(item) && isSecretName(item);
}

/** A copy of `env` with every secret-looking variable's value replaced. */
export function redactEnv(env: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined) continue;
    out[name] = isSecretName(name) ? REDACTED : value;
  }
  return out;
}

/**
 * A deep copy of a JSON payload with secrets redacted: a value under a secret-looking key
 * is replaced whole, a value under an identity key (`start_token`, `hash`) is kept as it
 * is, an argument after a secret option in a list (`['--password', 'x']`) is replaced,
 * and every other string is passed through `redactText`.
 */
export function redactValue<T>(value: T): T {
  return redactInner(value, null) as T;
}

function redactInner(value: unknown, key: string | null): unknown {
  // As JSON does: a Date (or anything with toJSON) is recorded as what it serialises to.
  if (value !== null && typeof value === 'object' && typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    value = (value as { toJSON: () => unknown }).toJSON();
  }
  if (value === null || typeof value !== 'object') {
    if (key !== null && isIdentityName(key)) return value;
    if (key !== null && value !== null && isSecretName(key)) return REDACTED;
    return typeof value === 'string' ? redactText(value) : value;
  }
  if (Array.isArray(value)) {
    return value.map((item, i) => (isSecretFlag(value[i - 1]) && (typeof item === 'string' || typeof item === 'number') ? REDACTED : redactInner(item, null)));
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = redactInner(v, k);
  return out;
}
