// The record shape check field by field: what a journal line must hold, and the path and
// message given for each way it can be wrong.
import { describe, expect, it } from 'vitest';
import { recordShapeProblems } from '../../src/evidence/journal-record-shape.ts';

const GOOD = {
  id: '01JDX8Y6ZK3M4N5P6Q7R8S9T0V',
  type: 'operator.stop',
  event_time: '2026-01-02T03:04:05.678Z',
  process_time: '2026-01-02T03:04:05.679+01:00',
  actor: 'alice',
  correlation_id: '01JDX8Y6ZK3M4N5P6Q7R8S9T0W',
  contract: { version: '1.0.0', hash: 'c'.repeat(64) },
  payload: { service: 'api-gateway' },
  prev_hash: '0'.repeat(64),
  hash: 'a'.repeat(64),
};

const problemsWith = (change: Record<string, unknown>) => recordShapeProblems({ ...GOOD, ...change });

describe('recordShapeProblems', () => {
  it('accepts a complete record, with or without an idempotency key', () => {
    expect(recordShapeProblems(GOOD)).toEqual([]);
    expect(problemsWith({ idempotency_key: 'k-1' })).toEqual([]);
    expect(problemsWith({ event_time: '2026-01-02T03:04Z' })).toEqual([]);
  });

  it('refuses what is not an object at all', () => {
    for (const value of [null, [], 'x', 7]) expect(recordShapeProblems(value)).toEqual([{ path: 'record', message: 'expected an object' }]);
  });

  it('names a missing field', () => {
    const { actor: _actor, ...noActor } = GOOD;
    expect(recordShapeProblems(noActor)).toEqual([{ path: 'actor', message: 'missing' }]);
  });

  it('names each malformed field with what was expected', () => {
    expect(problemsWith({ id: '01jdx8y6zk3m4n5p6q7r8s9t0v' })).toEqual([{ path: 'id', message: 'expected a ULID (26 characters of Crockford base32)' }]);
    expect(problemsWith({ type: '' })).toEqual([{ path: 'type', message: 'expected a non-empty string' }]);
    expect(problemsWith({ payload: [1, 2] })).toEqual([{ path: 'payload', message: 'expected an object' }]);
    expect(problemsWith({ prev_hash: 'A'.repeat(64) })).toEqual([{ path: 'prev_hash', message: 'expected 64 lower-case hex digits (a SHA-256)' }]);
    expect(problemsWith({ idempotency_key: 5 })).toEqual([{ path: 'idempotency_key', message: 'expected a non-empty string' }]);
    expect(problemsWith({ contract: { version: '1.0.0', hash: 'short' } })).toEqual([{ path: 'contract.hash', message: 'expected 64 lower-case hex digits (a SHA-256)' }]);
    expect(problemsWith({ contract: 'v1' })).toEqual([{ path: 'contract', message: 'expected an object' }]);
  });

  it('refuses dates that are not ISO 8601 with an offset, or do not exist', () => {
    for (const bad of ['2026-01-02 03:04:05Z', '2026-01-02T03:04:05', '2026-02-30T00:00:00Z', '2026-01-02T24:00:00Z', 1735787045678, 'yesterday']) {
      expect(problemsWith({ event_time: bad }), String(bad)).toEqual([{ path: 'event_time', message: 'expected an ISO 8601 date and time' }]);
    }
  });

  it('refuses a field evident does not write, in the record or in its contract', () => {
    expect(problemsWith({ extra: true, more: 1 })).toEqual([{ path: 'record', message: 'unknown fields "extra", "more"' }]);
    expect(problemsWith({ contract: { ...GOOD.contract, name: 'x' } })).toEqual([{ path: 'contract', message: 'unknown field "name"' }]);
  });

  it('reports every problem, in field order', () => {
    expect(problemsWith({ type: 3, hash: null, extra: 1 }).map((p) => p.path)).toEqual(['type', 'hash', 'record']);
  });
});
