// Canonical JSON: one text for one value, whatever the key order or spacing it was
// written with, so equal content hashes equal. Used for the contract hash and, later,
// for hashing journal records.
import { createHash } from 'node:crypto';

/**
 * JSON with object keys sorted recursively (by UTF-16 code unit, as JCS does) and no
 * whitespace. As in JSON.stringify, `toJSON` is honoured and undefined properties are left
 * out; values JSON cannot represent faithfully (NaN, Infinity, bigint, functions,
 * symbols, cycles) throw rather than hash something ambiguous.
 */
export function canonicalJson(value: unknown): string {
  return write(value, new Set(), []);
}

/** SHA-256, hex, of the canonical JSON of `value` (UTF-8). */
export function canonicalSha256(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value), 'utf8').digest('hex');
}

/** `$.services[2].port`: built only for an error, never for every value written. */
function pathText(path: readonly (string | number)[]): string {
  return `$${path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`)).join('')}`;
}

function write(value: unknown, ancestors: Set<object>, path: (string | number)[]): string {
  if (value !== null && typeof value === 'object' && typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    value = (value as { toJSON: () => unknown }).toJSON();
  }
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`canonical JSON: ${pathText(path)} is ${value}, which JSON cannot represent`);
    return JSON.stringify(value);
  }
  if (typeof value !== 'object') throw new TypeError(`canonical JSON: ${pathText(path)} is a ${typeof value}, which JSON cannot represent`);
  if (ancestors.has(value)) throw new TypeError(`canonical JSON: ${pathText(path)} refers back to itself`);
  ancestors.add(value);
  let text: string;
  if (Array.isArray(value)) {
    // As JSON.stringify does, a hole or undefined in a list is null, keeping positions.
    const items: string[] = [];
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      if (item === undefined) {
        items.push('null');
        continue;
      }
      path.push(i);
      items.push(write(item, ancestors, path));
      path.pop();
    }
    text = `[${items.join(',')}]`;
  } else {
    const record = value as Record<string, unknown>;
    const entries: string[] = [];
    for (const key of Object.keys(record).sort()) {
      const item = record[key];
      if (item === undefined) continue;
      path.push(key);
      entries.push(`${JSON.stringify(key)}:${write(item, ancestors, path)}`);
      path.pop();
    }
    text = `{${entries.join(',')}}`;
  }
  ancestors.delete(value);
  return text;
}
