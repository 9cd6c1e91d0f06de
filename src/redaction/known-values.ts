// The secrets a service is given are known exactly: the values of its contract's env
// entries whose names are secret. Where the service prints one in a shape redactText does
// not recognise (`connected as hunter2-secret`), it is still masked, by its value.
import { REDACTED } from './redact.ts';
import { isSecretName } from './secret-names.ts';

/** Shorter values would mask ordinary words and digits wherever they stand. */
export const MIN_KNOWN_VALUE_LENGTH = 4;

/** The values of the secret-named entries of `env`, longest first (a value holding another is masked whole). */
export function secretValuesOf(env: Readonly<Record<string, string>>): string[] {
  const values = Object.entries(env)
    .filter(([name, value]) => value.length >= MIN_KNOWN_VALUE_LENGTH && isSecretName(name))
    .map(([, value]) => value);
  return [...new Set(values)].sort((a, b) => b.length - a.length);
}

/** `text` with every occurrence of each value replaced by the mask redactText uses. */
export function maskKnownValues(text: string, values: readonly string[]): string {
  let out = text;
  for (const value of values) if (out.includes(value)) out = out.replaceAll(value, REDACTED);
  return out;
}
