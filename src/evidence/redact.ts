// Secrets never reach a log, a journal, a screen or an error: values of variables whose
// names look secret are replaced at the point of recording, and text that carries a
// `NAME=value` pair of such a variable is masked the same way.

export const REDACTED = '[redacted]';

// Whole words inside a variable name (split on _ - . and case changes) that mark it secret.
const SECRET_WORDS = new Set(['secret', 'secrets', 'password', 'passwd', 'pwd', 'token', 'tokens', 'apikey', 'credential', 'credentials', 'auth', 'authorization', 'cookie', 'session', 'private', 'privatekey', 'dsn', 'salt', 'passphrase', 'bearer', 'jwt', 'sas', 'pem']);
// `key` alone names too many harmless things (sort_key, idempotency_key); it marks a
// secret after one of these words: API_KEY, ACCESS_KEY, SSH_KEY, SIGNING_KEY…
const KEY_OWNERS = new Set(['api', 'access', 'secret', 'private', 'signing', 'encryption', 'master', 'client', 'license', 'account', 'ssh', 'gpg', 'aws', 'service', 'app', 'admin', 'root', 'deploy', 'storage', 'db', 'hmac', 'tls', 'ssl']);
// The shell's working directories, not passwords.
const HARMLESS = new Set(['pwd', 'oldpwd']);

/** True for names like `DB_PASSWORD`, `apiKey`, `GITHUB_TOKEN`, `AWS_SECRET_ACCESS_KEY`. */
export function isSecretName(name: string): boolean {
  const lower = name.toLowerCase();
  // PWD/OLDPWD are the shell's working directory, not a password.
  if (HARMLESS.has(lower)) return false;
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w !== '');
  if (words.some((w) => SECRET_WORDS.has(w))) return true;
  if (words.some((w, i) => (w === 'key' || w === 'keys') && i > 0 && KEY_OWNERS.has(words[i - 1] ?? ''))) return true;
  // Run-together names: APIKEY, ACCESSTOKEN, DBPASSWORD.
  return /(secret|passw|token|apikey|accesskey|credential|privatekey)/.test(lower.replace(/[^a-z]/g, ''));
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
 * Masks secrets in free text (a log line, an error message, a command line):
 * `NAME=value` and `NAME: value` where NAME looks secret, `--password value` style
 * options, `Authorization: Bearer …` and credentials inside URLs (`user:pass@host`).
 */
export function redactText(text: string): string {
  return text
    .replace(/\b([A-Za-z_][A-Za-z0-9_.-]*)(\s*[=:]\s*)((?:Bearer|Basic)\s+[^\s,;&"']+|"[^"]*"|'[^']*'|[^\s,;&"']+)/g, (match, name: string, sep: string) =>
      isSecretName(name) ? `${name}${sep}${REDACTED}` : match,
    )
    .replace(/(--?[A-Za-z][A-Za-z0-9-]*)(\s+)([^\s-][^\s]*)/g, (match, flag: string, space: string) =>
      isSecretName(flag.replace(/^-+/, '')) ? `${flag}${space}${REDACTED}` : match,
    )
    .replace(/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/g, `$1 ${REDACTED}`)
    .replace(/([a-z][a-z0-9+.-]*:\/\/[^/\s:@]+):[^@\s/]+@/gi, `$1:${REDACTED}@`);
}

/**
 * A deep copy of a JSON payload with secrets redacted: a value under a secret-looking
 * key is replaced whole, and every string is passed through `redactText`.
 */
export function redactValue<T>(value: T): T {
  return redactInner(value, null) as T;
}

function redactInner(value: unknown, key: string | null): unknown {
  // As JSON does: a Date (or anything with toJSON) is recorded as what it serialises to.
  if (value !== null && typeof value === 'object' && typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    value = (value as { toJSON: () => unknown }).toJSON();
  }
  if (key !== null && isSecretName(key) && value !== null && typeof value !== 'object') return REDACTED;
  if (typeof value === 'string') return redactText(value);
  if (Array.isArray(value)) return value.map((item) => redactInner(item, null));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = redactInner(v, k);
    return out;
  }
  return value;
}
