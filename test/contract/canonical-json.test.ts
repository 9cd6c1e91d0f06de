import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalJson, canonicalSha256 } from '../../src/contract/canonical-json.ts';

describe('canonicalJson', () => {
  it('sorts keys recursively and drops whitespace', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: true, y: null }], c: 'x' } })).toBe(
      '{"a":{"c":"x","d":[3,{"y":null,"z":true}]},"b":1}',
    );
  });

  it('gives the same text for the same content in any key order', () => {
    expect(canonicalJson({ port: 1, name: 'a', env: { B: '2', A: '1' } })).toBe(
      canonicalJson(JSON.parse('{ "env": {"A":"1","B":"2"},\n  "name":"a", "port":1 }')),
    );
  });

  it('keeps list order, since it is meaningful', () => {
    expect(canonicalJson([2, 1])).not.toBe(canonicalJson([1, 2]));
  });

  it('sorts keys by UTF-16 code unit, not by locale', () => {
    expect(canonicalJson({ b: 0, a: 0, B: 0, é: 0, _: 0 })).toBe('{"B":0,"_":0,"a":0,"b":0,"é":0}');
  });

  it('escapes strings as JSON does and writes numbers in their shortest form', () => {
    expect(canonicalJson({ s: 'line\n"quoted"', n: 1.5e3, m: -0.1 })).toBe('{"m":-0.1,"n":1500,"s":"line\\n\\"quoted\\""}');
  });

  it('leaves out undefined properties and writes undefined list items as null, like JSON.stringify', () => {
    expect(canonicalJson({ a: undefined, b: [undefined, 1] })).toBe('{"b":[null,1]}');
  });

  it('honours toJSON', () => {
    expect(canonicalJson({ at: new Date('2025-01-02T03:04:05.000Z') })).toBe('{"at":"2025-01-02T03:04:05.000Z"}');
  });

  it('refuses values JSON cannot represent, naming where they are', () => {
    expect(() => canonicalJson({ a: [1, Number.NaN] })).toThrow('$.a[1] is NaN');
    expect(() => canonicalJson({ n: 10n })).toThrow('$.n is a bigint');
    const loop: Record<string, unknown> = {};
    loop.self = loop;
    expect(() => canonicalJson(loop)).toThrow('$.self refers back to itself');
  });

  it('allows the same object twice when it is not a cycle', () => {
    const shared = { x: 1 };
    expect(canonicalJson({ a: shared, b: shared })).toBe('{"a":{"x":1},"b":{"x":1}}');
  });

  it('hashes the canonical text with SHA-256', () => {
    const expected = createHash('sha256').update('{"a":1,"b":"é"}', 'utf8').digest('hex');
    expect(canonicalSha256({ b: 'é', a: 1 })).toBe(expected);
    expect(canonicalSha256({ b: 'é', a: 1 })).toMatch(/^[0-9a-f]{64}$/);
  });
});
