// What changed between two contract specs, one line per changed field, for the operator
// who must undo a change or bump the version: `services[1].port: 7001 → 7010`. Pure.
import { canonicalJson } from '../contract/canonical-json.ts';
import { problemPath } from '../contract/problem-path.ts';
import { REDACTED, redactValue } from '../redaction/redact.ts';
import { isSecretName } from '../redaction/secret-names.ts';

/** Values longer than this are cut, so one line stays one line on an 80-column screen. */
const VALUE_CHARS = 40;

type Path = (string | number)[];

/**
 * Every changed field of `after` against `before`, with old → new values, in a stable
 * order: fields in `before`'s order, then fields only `after` has. Lists of named items
 * (services) are matched by name, so removing one service is one line, not a change to
 * every service after it. Values under secret-looking names are never shown.
 */
export function contractDiff(before: unknown, after: unknown): string[] {
  const changes: string[] = [];
  walk(before, after, [], changes);
  return changes;
}

function walk(before: unknown, after: unknown, path: Path, out: string[]): void {
  if (same(before, after)) return;
  const at = where(path);
  if (isPlainObject(before) && isPlainObject(after)) {
    for (const key of Object.keys(before)) {
      if (before[key] === undefined) continue;
      if (!has(after, key)) out.push(`${where([...path, key])}: removed (was ${show(before[key], key)})`);
      else walk(before[key], after[key], [...path, key], out);
    }
    for (const key of Object.keys(after)) {
      if (!has(before, key) && after[key] !== undefined) out.push(`${where([...path, key])}: added ${show(after[key], key)}`);
    }
    return;
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    if (isNamedList(before) && isNamedList(after)) walkNamedList(before, after, path, out);
    else walkList(before, after, path, out);
    return;
  }
  const key = lastKey(path);
  if (key !== null && isSecretName(key)) out.push(`${at}: changed (values redacted)`);
  else out.push(`${at}: ${show(before, key)} → ${show(after, key)}`);
}

/** Position by position; what one list has beyond the other is added or removed. */
function walkList(before: unknown[], after: unknown[], path: Path, out: string[]): void {
  const common = Math.min(before.length, after.length);
  for (let i = 0; i < common; i++) walk(before[i], after[i], [...path, i], out);
  for (let i = common; i < before.length; i++) out.push(`${where([...path, i])}: removed (was ${show(before[i], null)})`);
  for (let i = common; i < after.length; i++) out.push(`${where([...path, i])}: added ${show(after[i], null)}`);
}

/** Items matched by name: removed ones at their old index, the rest at their new one. */
function walkNamedList(before: NamedItem[], after: NamedItem[], path: Path, out: string[]): void {
  const afterNames = new Set(after.map((item) => item.name));
  const beforeByName = new Map(before.map((item, index) => [item.name, { item, index }]));
  before.forEach((item, index) => {
    if (!afterNames.has(item.name)) out.push(`${where([...path, index])}: removed (name ${JSON.stringify(item.name)})`);
  });
  after.forEach((item, index) => {
    const earlier = beforeByName.get(item.name);
    if (earlier === undefined) out.push(`${where([...path, index])}: added (name ${JSON.stringify(item.name)})`);
    else walk(earlier.item, item, [...path, index], out);
  });
  // Order is content too (it is hashed): a pure reordering must still show as a change.
  const kept = (list: NamedItem[], others: Set<string>) => list.map((item) => item.name).filter((name) => others.has(name));
  const beforeOrder = kept(before, afterNames);
  const afterOrder = kept(after, new Set(beforeByName.keys()));
  if (beforeOrder.join('\0') !== afterOrder.join('\0')) out.push(`${where(path)}: order changed (${show(beforeOrder, null)} → ${show(afterOrder, null)})`);
}

interface NamedItem {
  name: string;
  [field: string]: unknown;
}

/** A list of objects each with a distinct string `name`: services, in a contract. */
function isNamedList(list: unknown[]): list is NamedItem[] {
  const names = new Set<string>();
  for (const item of list) {
    if (!isPlainObject(item) || typeof item.name !== 'string' || names.has(item.name)) return false;
    names.add(item.name);
  }
  return true;
}

/** A value as shown in a change line: compact JSON, secrets masked, cut to VALUE_CHARS. */
function show(value: unknown, key: string | null): string {
  if (value === undefined) return 'nothing';
  if (key !== null && isSecretName(key) && (value === null || typeof value !== 'object')) return REDACTED;
  const text = JSON.stringify(redactValue(value)) ?? String(value);
  return text.length > VALUE_CHARS ? `${text.slice(0, VALUE_CHARS - 1)}…` : text;
}

function where(path: Path): string {
  return path.length === 0 ? 'contract' : problemPath(path);
}

function lastKey(path: Path): string | null {
  const last = path.at(-1);
  return typeof last === 'string' ? last : null;
}

function same(a: unknown, b: unknown): boolean {
  try {
    return canonicalJson(a) === canonicalJson(b);
  } catch {
    return false;
  }
}

function has(object: Record<string, unknown>, key: string): boolean {
  return Object.hasOwn(object, key) && object[key] !== undefined;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
