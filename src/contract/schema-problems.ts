// Validates parsed JSON against a declaration's zod schema (the boot contract, a
// pipeline) and turns every zod issue into a problem an operator can act on: the field
// path and what was expected, in plain words.
import { z } from 'zod';
import type { ContractProblem } from './contract.ts';
import { closestName } from './closest-name.ts';
import { describeValue } from './describe-value.ts';
import { problemPath } from './problem-path.ts';

export type SchemaValidation<T> = { ok: true; value: T } | { ok: false; problems: ContractProblem[] };

/** Validates `input` (parsed JSON) and applies defaults; on failure returns every problem found. */
export function validateAgainst<T>(schema: z.ZodType<T>, input: unknown): SchemaValidation<T> {
  const result = schema.safeParse(input, { error: plainMessage });
  if (result.success) return { ok: true, value: result.data };
  const problems: ContractProblem[] = [];
  for (const issue of result.error.issues) {
    if (issue.code === 'unrecognized_keys') {
      // One problem per unknown key, at the key itself, so each line names what to fix.
      const known = knownFieldsAt(schema, issue.path, input);
      for (const key of issue.keys) {
        problems.push({ path: problemPath([...issue.path, key]), message: unknownFieldMessage(key, known) });
      }
    } else {
      problems.push({ path: problemPath(issue.path), message: issue.message });
    }
  }
  return { ok: false, problems };
}

const TYPE_NOUNS: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  array: 'a list',
  object: 'an object',
  record: 'an object',
  null: 'null',
};

/**
 * The error map for issues the schema gives no message of its own (schema messages win in
 * zod 4): wrong types, missing fields, out-of-range numbers, an unknown probe kind.
 */
function plainMessage(issue: z.core.$ZodRawIssue): string | undefined {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined) return 'required';
      return `expected ${TYPE_NOUNS[issue.expected] ?? issue.expected}, got ${describeValue(issue.input)}`;
    case 'too_small':
      return tooSmallMessage(issue.origin, Number(issue.minimum), issue.inclusive !== false, issue.input);
    case 'too_big':
      return tooBigMessage(issue.origin, Number(issue.maximum), issue.inclusive !== false, issue.input);
    case 'invalid_value':
      return `expected ${orList(issue.values.map((v) => JSON.stringify(v)))}, got ${describeValue(issue.input)}`;
    case 'invalid_union': {
      const options = 'options' in issue ? issue.options : undefined;
      if (issue.discriminator === undefined || !Array.isArray(options)) {
        return `expected one of the allowed forms, got ${describeValue(issue.input)}`;
      }
      // The issue sits at the discriminator (`health.kind`) but carries the whole object.
      const kind = isRecord(issue.input) ? issue.input[issue.discriminator] : issue.input;
      const allowed = orList(options.map((v) => JSON.stringify(v)));
      return kind === undefined ? `required: ${allowed}` : `expected ${allowed}, got ${describeValue(kind)}`;
    }
    case 'invalid_format':
      if (issue.format === 'starts_with' && 'prefix' in issue) {
        return `expected text starting with ${JSON.stringify(issue.prefix)}, got ${describeValue(issue.input)}`;
      }
      return `expected ${issue.format} text, got ${describeValue(issue.input)}`;
    case 'unrecognized_keys':
      return 'unknown field';
    case 'invalid_key':
      // A record's key that fails its own schema: that schema's message, about the key.
      return issue.issues[0]?.message;
    default:
      return undefined;
  }
}

function tooSmallMessage(origin: string, minimum: number, inclusive: boolean, input: unknown): string {
  if (origin === 'string' && minimum === 1) return 'expected a non-empty string';
  if (origin === 'array' && minimum === 1) return 'expected at least one item, got an empty list';
  if (origin === 'string') return `expected at least ${minimum} characters, got ${describeValue(input)}`;
  if (origin === 'array') return `expected at least ${minimum} items`;
  return `expected a number ${inclusive ? 'at least' : 'above'} ${minimum}, got ${describeValue(input)}`;
}

function tooBigMessage(origin: string, maximum: number, inclusive: boolean, input: unknown): string {
  if (origin === 'string') return `expected at most ${maximum} characters`;
  if (origin === 'array') return `expected at most ${maximum} items`;
  return `expected a number ${inclusive ? 'at most' : 'below'} ${maximum}, got ${describeValue(input)}`;
}

function unknownFieldMessage(key: string, known: readonly string[]): string {
  const suggestion = closestName(key, known);
  return suggestion === undefined ? 'unknown field' : `unknown field (did you mean ${JSON.stringify(suggestion)}?)`;
}

/** `"a", "b" or "c"` */
function orList(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} or ${items.at(-1)}`;
}

/** The field names the schema allows for the object at `path` in `input`. */
function knownFieldsAt(schema: z.ZodType, path: readonly PropertyKey[], input: unknown): string[] {
  let value = input;
  let node = resolve(schema, value);
  for (const key of path) {
    value = isRecord(value) || Array.isArray(value) ? (value as Record<PropertyKey, unknown>)[key] : undefined;
    if (node instanceof z.ZodObject) node = node.shape[String(key)];
    else if (node instanceof z.ZodArray) node = node.element;
    else if (node instanceof z.ZodRecord) node = node.valueType;
    else return [];
    node = resolve(node, value);
  }
  return node instanceof z.ZodObject ? Object.keys(node.shape) : [];
}

/** Sees through defaults and optionals, and picks the union branch the value's tag chose. */
function resolve(node: unknown, value: unknown): unknown {
  for (;;) {
    if (node instanceof z.ZodDefault || node instanceof z.ZodPrefault || node instanceof z.ZodOptional) {
      node = node.unwrap();
    } else if (node instanceof z.ZodDiscriminatedUnion) {
      const tagName = node.def.discriminator;
      const tag = isRecord(value) ? value[tagName] : undefined;
      node = node.options.find((option) => {
        const literal = option instanceof z.ZodObject ? option.shape[tagName] : undefined;
        return literal instanceof z.ZodLiteral && literal.values.has(tag as z.core.util.Literal);
      });
    } else {
      return node;
    }
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
