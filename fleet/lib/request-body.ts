// Reading a JSON request body and its fields, with messages that name the field and what
// was expected, so a caller sees `text: expected a non-empty string, got 42`.
import type { IncomingMessage } from 'node:http';
import { HttpError, badRequest } from './http-error.ts';

const MAX_BODY_BYTES = 1024 * 1024;

export type JsonObject = Record<string, unknown>;

/** The body as a JSON object; an empty body is `{}`. */
export async function readJsonObject(req: IncomingMessage): Promise<JsonObject> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, 'body_too_large', `body: expected at most ${MAX_BODY_BYTES} bytes`);
    chunks.push(buf);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw badRequest(`body: expected JSON, ${error instanceof Error ? error.message : String(error)}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw badRequest(`body: expected a JSON object, got ${describe(parsed)}`);
  }
  return parsed as JsonObject;
}

export function requireString(body: JsonObject, field: string, maxLength = 10_000): string {
  const value = body[field];
  if (typeof value !== 'string' || value.trim() === '') {
    throw badRequest(`${field}: expected a non-empty string, got ${describe(value)}`);
  }
  if (value.length > maxLength) {
    throw badRequest(`${field}: expected at most ${maxLength} characters, got ${value.length}`);
  }
  return value;
}

export function optionalString(body: JsonObject, field: string, maxLength = 200): string | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  return requireString(body, field, maxLength);
}

export function optionalBoolean(body: JsonObject, field: string): boolean | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw badRequest(`${field}: expected true or false, got ${describe(value)}`);
  return value;
}

export function optionalNumber(body: JsonObject, field: string, min: number, max: number): number | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    throw badRequest(`${field}: expected a number ${min}–${max}, got ${describe(value)}`);
  }
  return value;
}

export function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (Array.isArray(value)) return 'an array';
  if (value === null) return 'null';
  if (typeof value === 'object') return 'an object';
  return String(value);
}
