// Where a problem is, written the way an operator reads JSON: `services[2].health.port`.

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** `["services", 2, "port"]` → `services[2].port`; the empty path (the whole file) → `file`. */
export function problemPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return 'file';
  let text = '';
  for (const key of path) {
    if (typeof key === 'number') text += `[${key}]`;
    else if (typeof key === 'string' && IDENTIFIER.test(key)) text += text === '' ? key : `.${key}`;
    // Keys such as env names with dashes or dots are quoted so the path stays unambiguous.
    else text += `[${JSON.stringify(String(key))}]`;
  }
  return text;
}
