// What a probe reads of a body or an output (a bounded start, searched across chunk
// boundaries), the dotted path into a JSON body, and the words a failed check is told in.
import { describe, expect, it } from 'vitest';
import { healthProbeSchema, type ExecProbe, type HttpProbe } from '../../src/contract/schema.ts';
import { BoundedBuffer } from '../../src/probes/bounded-buffer.ts';
import { readJsonField } from '../../src/probes/json-field.ts';
import { probeLabel } from '../../src/probes/probe-label.ts';
import { bodyProblem, outputProblem } from '../../src/probes/response-checks.ts';

function bufferOf(limit: number, ...chunks: string[]): BoundedBuffer {
  const buffer = new BoundedBuffer(limit);
  for (const chunk of chunks) buffer.append(Buffer.from(chunk));
  return buffer;
}

describe('BoundedBuffer', () => {
  it('keeps only the first `limit` bytes and says it is full', () => {
    const buffer = bufferOf(8, 'abc', 'defgh', 'ijk');
    expect(buffer.text()).toBe('abcdefgh');
    expect(buffer.full).toBe(true);
    expect(bufferOf(8, 'abc').full).toBe(false);
  });

  it('finds text split across chunks, and searches from where it is told', () => {
    const buffer = bufferOf(64, 'status: o', 'k\n');
    expect(buffer.includes('status: ok')).toBe(true);
    expect(buffer.includes('status', 1)).toBe(false);
    expect(buffer.includes('ok', -5)).toBe(true);
    expect(bufferOf(64, 'caf', 'é').includes('café')).toBe(true);
  });
});

describe('readJsonField', () => {
  const document = { status: 'ok', checks: { db: { status: 'degraded' } }, replicas: [{ state: 'up' }], zero: 0, nothing: null };

  it('follows object keys and list indexes', () => {
    expect(readJsonField(document, 'status')).toEqual({ found: true, value: 'ok' });
    expect(readJsonField(document, 'checks.db.status')).toEqual({ found: true, value: 'degraded' });
    expect(readJsonField(document, 'replicas.0.state')).toEqual({ found: true, value: 'up' });
    expect(readJsonField(document, 'zero')).toEqual({ found: true, value: 0 });
    expect(readJsonField(document, 'nothing')).toEqual({ found: true, value: null });
  });

  it('finds nothing past the end of a list, through a scalar, or in what an object inherits', () => {
    expect(readJsonField(document, 'replicas.1.state')).toEqual({ found: false });
    expect(readJsonField(document, 'status.length')).toEqual({ found: false });
    expect(readJsonField(document, 'checks.toString')).toEqual({ found: false });
    expect(readJsonField(document, 'nothing.x')).toEqual({ found: false });
    expect(readJsonField([1, 2], 'length')).toEqual({ found: false });
  });
});

describe('bodyProblem and outputProblem', () => {
  const http = (fields: Record<string, unknown>) => healthProbeSchema.parse({ kind: 'http', ...fields }) as HttpProbe;
  const exec = (fields: Record<string, unknown>) => healthProbeSchema.parse({ kind: 'exec', command: 'redis-cli', ...fields }) as ExecProbe;

  it('passes what holds the text or the field', () => {
    expect(bodyProblem(http({ expect_body: 'ok' }), bufferOf(64, '{"status":"ok"}'))).toBeNull();
    expect(bodyProblem(http({ expect_json: { path: 'n', equals: 3 } }), bufferOf(64, '{"n":3}'))).toBeNull();
    expect(bodyProblem(http({}), bufferOf(64, ''))).toBeNull();
    expect(outputProblem(exec({ expect_output: 'PONG' }), bufferOf(64, 'PONG\n'))).toBeNull();
    expect(outputProblem(exec({}), bufferOf(64, 'anything'))).toBeNull();
  });

  it('says what is missing, what was found instead, and when only the start was read', () => {
    expect(bodyProblem(http({ expect_body: 'ok' }), bufferOf(64, 'down'))).toBe('body lacks "ok"');
    expect(bodyProblem(http({ expect_body: 'ok' }), bufferOf(4, 'downdown ok'))).toBe('body lacks "ok" in its first 4 bytes');
    expect(bodyProblem(http({ expect_json: { path: 'n', equals: 3 } }), bufferOf(64, '{"n":"3"}'))).toBe('n field is "3", expected 3');
    expect(bodyProblem(http({ expect_json: { path: 'a.b', equals: null } }), bufferOf(64, '{"a":[]}'))).toBe('body has no a.b field');
    expect(bodyProblem(http({ expect_json: { path: 'a', equals: 'ok' } }), bufferOf(64, '{"a":'))).toBe('body is not JSON');
    expect(outputProblem(exec({ expect_output: 'PONG' }), bufferOf(64, 'NOAUTH'))).toBe('output lacks "PONG"');
  });
});

describe('probeLabel', () => {
  const at = 0;

  it('names a right status or exit code with the wrong answer, never as a success', () => {
    expect(probeLabel({ ok: false, code: 200, latencyMs: 3, detail: '200 OK, body lacks "ok"', mismatch: 'body', at })).toBe('bad body');
    expect(probeLabel({ ok: false, code: 0, latencyMs: 186, detail: 'exit 0, output lacks "PONG"', mismatch: 'output', at })).toBe('bad output');
  });

  it('labels every other probe as before', () => {
    expect(probeLabel({ ok: true, code: 200, latencyMs: 3, detail: '200 OK', at })).toBe('200 3ms');
    expect(probeLabel({ ok: false, code: 503, latencyMs: 9, detail: '503 Service Unavailable, expected 200', at })).toBe('503 9ms');
    expect(probeLabel({ ok: true, code: 0, latencyMs: 186, detail: 'exit 0', at })).toBe('ok 186ms');
    expect(probeLabel({ ok: false, code: 1, latencyMs: 20, detail: 'exit 1: no', at })).toBe('exit 1 20ms');
    expect(probeLabel({ ok: false, code: null, latencyMs: 1, detail: 'connection refused', at })).toBe('refused');
    expect(probeLabel({ ok: false, code: null, latencyMs: 300, detail: '200 OK, then timed out after 300 ms reading the body', at })).toBe('timeout');
  });
});
