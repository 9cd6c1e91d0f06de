// A field of a JSON health body named by a dotted path: `status`, `checks.db.status`,
// `replicas.0.state` (a segment of digits indexes a list). A key that itself holds a dot
// cannot be named; health bodies rarely have one, and a path language would cost more.

export type JsonField = { found: true; value: unknown } | { found: false };

export function readJsonField(document: unknown, path: string): JsonField {
  let current = document;
  for (const segment of path.split('.')) {
    if (Array.isArray(current) && /^\d+$/.test(segment)) {
      const index = Number(segment);
      if (index >= current.length) return { found: false };
      current = current[index];
    } else if (current !== null && typeof current === 'object' && !Array.isArray(current) && Object.hasOwn(current, segment)) {
      current = (current as Record<string, unknown>)[segment];
    } else {
      return { found: false };
    }
  }
  return { found: true, value: current };
}
