import { describe, expect, it } from 'vitest';
import { closestName, editDistance } from '../../src/contract/closest-name.ts';

describe('closestName', () => {
  const services = ['memory-engine', 'model-router', 'openclaw', 'pipecat', 'eva-os', 'api-gateway'];

  it('suggests the nearest name for a typo', () => {
    expect(closestName('model-routr', services)).toBe('model-router');
    expect(closestName('pipecta', services)).toBe('pipecat');
    expect(closestName('helth', ['name', 'port', 'health', 'env'])).toBe('health');
  });

  it('suggests the full name for a shortened one', () => {
    expect(closestName('memory', services)).toBe('memory-engine');
  });

  it('suggests nothing when no name is plausibly meant', () => {
    expect(closestName('database', services)).toBeUndefined();
    expect(closestName('anything', [])).toBeUndefined();
  });

  it('suggests nothing for an exact match', () => {
    expect(closestName('pipecat', services)).toBeUndefined();
  });
});

describe('editDistance', () => {
  it('counts insertions, deletions and substitutions', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('same', 'same')).toBe(0);
  });
});
