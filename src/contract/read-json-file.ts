// Reading a declaration file (a boot contract, a pipeline) as JSON: the file's own
// problems — unreadable, not a regular file, too large, not UTF-8, empty, a syntax error
// at line:column — each as one problem an operator can act on, never an exception.
import { statSync, type Stats } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { ContractProblem } from './contract.ts';
import { findJsonSyntaxError } from './json-error-location.ts';

export type Step<T> = { ok: true; value: T } | { ok: false; problem: ContractProblem };

const OS_REASONS: Record<string, string> = {
  ENOENT: 'no such file',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EISDIR: 'it is a folder, not a file',
  ENOTDIR: 'a part of the path is not a folder',
  ELOOP: 'too many symbolic links',
  ENAMETOOLONG: 'the path is too long',
};

/** A declaration is a few kilobytes; anything this large is the wrong file, not a fleet. */
export const MAX_DECLARATION_BYTES = 4 * 1024 * 1024;

/** Why this kind of file cannot be a declaration: reading a FIFO or a device would block or never end. */
function notRegular(info: Stats): string | null {
  if (info.isDirectory()) return 'it is a folder, not a file (EISDIR)';
  if (info.isFIFO()) return 'it is a named pipe, not a regular file';
  if (info.isCharacterDevice() || info.isBlockDevice()) return 'it is a device, not a regular file';
  if (info.isSocket()) return 'it is a socket, not a regular file';
  if (!info.isFile()) return 'it is not a regular file';
  if (info.size > MAX_DECLARATION_BYTES) return `it is ${info.size} bytes, over the ${MAX_DECLARATION_BYTES / 1024 / 1024} MiB a declaration may have`;
  return null;
}

/** True when `file` is a regular file small enough to be read as a declaration (else the loader says why). */
export function isReadableDeclaration(file: string): boolean {
  try {
    return notRegular(statSync(file)) === null;
  } catch {
    return false;
  }
}

async function readText(file: string): Promise<Step<string>> {
  let bytes: Buffer;
  try {
    // Checked before opening: opening a named pipe waits for a writer, and /dev/zero never ends.
    const why = notRegular(statSync(file));
    if (why !== null) return { ok: false, problem: { path: 'file', message: `cannot read ${file}: ${why}` } };
    bytes = await readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const known = code === undefined ? undefined : OS_REASONS[code];
    // Node's own message already names the code and the path for rarer failures.
    const reason = known === undefined ? (error instanceof Error ? error.message : String(error)) : `${known} (${code})`;
    return { ok: false, problem: { path: 'file', message: `cannot read ${file}: ${reason}` } };
  }
  // Windows editors may save "Unicode" (UTF-16); decoding it as UTF-8 would give a baffling error.
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    return { ok: false, problem: { path: 'file', message: 'is UTF-16 text: save it as UTF-8' } };
  }
  try {
    return { ok: true, value: new TextDecoder('utf-8', { fatal: true }).decode(bytes) };
  } catch {
    return { ok: false, problem: { path: 'file', message: 'is not UTF-8 text: save it as UTF-8' } };
  }
}

function parseJson(text: string, whatIsExpected: string): Step<unknown> {
  // An editor may save a byte order mark; it is not part of the JSON, and columns are
  // counted without it, as the editor shows them.
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  if (/^[ \t\r\n]*$/.test(body)) {
    return { ok: false, problem: { path: 'file', message: `is empty: ${whatIsExpected}` } };
  }
  try {
    return { ok: true, value: JSON.parse(body) };
  } catch (error) {
    const syntax = findJsonSyntaxError(body);
    if (syntax !== undefined) return { ok: false, problem: { path: `line ${syntax.line}:${syntax.column}`, message: syntax.message } };
    // Only if the scanner and JSON.parse ever disagree: still a clear, non-crashing answer.
    return { ok: false, problem: { path: 'file', message: `is not valid JSON: ${error instanceof Error ? error.message : String(error)}` } };
  }
}

/** The parsed JSON of `file`, or the one problem that stops it being read. */
export async function readJsonFile(file: string, whatIsExpected: string): Promise<Step<unknown>> {
  const text = await readText(file);
  return text.ok ? parseJson(text.value, whatIsExpected) : text;
}
