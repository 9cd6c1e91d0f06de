// What an http probe's body or an exec probe's output must hold beyond the status or the
// exit code (`redis-cli ping` exits 0 on NOAUTH), and in words why it does not. Plain
// substrings and one JSON field, never a regular expression: a pattern that backtracks
// would stall the supervisor's loop on one probe's output.
import { describeValue } from '../contract/describe-value.ts';
import type { ExecProbe, HttpProbe } from '../contract/schema.ts';
import type { BoundedBuffer } from './bounded-buffer.ts';
import { readJsonField } from './json-field.ts';

/** How much of a body or an output a probe reads: enough for any health answer. */
export const PROBE_READ_LIMIT = 64 * 1024;

/** Whether the probe reads the body at all (otherwise the status is all it needs). */
export function checksBody(probe: HttpProbe): boolean {
  return probe.expect_body !== undefined || probe.expect_json !== undefined;
}

/** Why `body` fails the probe's `expect_body` or `expect_json`, or null when it passes. */
export function bodyProblem(probe: HttpProbe, body: BoundedBuffer): string | null {
  if (probe.expect_body !== undefined && !body.includes(probe.expect_body)) {
    return `body lacks ${describeValue(probe.expect_body)}${readOnly(body)}`;
  }
  const expected = probe.expect_json;
  if (expected === undefined) return null;
  if (body.full) return `body is over ${kilobytes(body.limit)}: not read as JSON`;
  let document: unknown;
  try {
    document = JSON.parse(body.text());
  } catch {
    return 'body is not JSON';
  }
  const field = readJsonField(document, expected.path);
  if (!field.found) return `body has no ${expected.path} field`;
  if (field.value !== expected.equals) return `${expected.path} field is ${describeValue(field.value)}, expected ${describeValue(expected.equals)}`;
  return null;
}

/** Why `stdout` fails the probe's `expect_output`, or null when it passes. */
export function outputProblem(probe: ExecProbe, stdout: BoundedBuffer): string | null {
  if (probe.expect_output === undefined || stdout.includes(probe.expect_output)) return null;
  return `output lacks ${describeValue(probe.expect_output)}${readOnly(stdout)}`;
}

function readOnly(buffer: BoundedBuffer): string {
  return buffer.full ? ` in its first ${kilobytes(buffer.limit)}` : '';
}

function kilobytes(bytes: number): string {
  return bytes % 1024 === 0 ? `${bytes / 1024} KB` : `${bytes} bytes`;
}
