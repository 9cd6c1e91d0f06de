// Secrets never reach a log, a journal, a screen or an error: values of variables whose
// names look secret are replaced at the point of recording, and text that carries a
// `NAME=value` pair of such a variable is masked the same way. Which names look secret,
// and which carry identity that is never redacted, is src/evidence/secret-names.ts.
import { isIdentityName, isSecretName } from './secret-names.ts';

export const REDACTED = '[redacted]';

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
 * A deep copy of a JSON payload with secrets redacted: a value under a secret-looking key
 * is replaced whole, a value under an identity key (`start_token`, `hash`) is kept as it
 * is, and every other string is passed through `redactText`.
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
  if (Array.isArray(value)) return value.map((item) => redactInner(item, null));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = redactInner(v, k);
  return out;
}
