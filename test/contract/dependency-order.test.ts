import { describe, expect, it } from 'vitest';
import { dependencyOrder, findCycles } from '../../src/contract/dependency-order.ts';

const node = (name: string, ...dependsOn: string[]) => ({ name, dependsOn });

describe('dependencyOrder', () => {
  it('keeps file order when nothing depends on anything', () => {
    expect(dependencyOrder([node('c'), node('a'), node('b')])).toEqual({ ok: true, order: ['c', 'a', 'b'] });
  });

  it('puts each node after its dependencies, and otherwise keeps file order', () => {
    // a waits for c; b is free, so it goes before c rather than being pushed back.
    expect(dependencyOrder([node('a', 'c'), node('b'), node('c')])).toEqual({ ok: true, order: ['b', 'c', 'a'] });
  });

  it('orders a chain written backwards', () => {
    expect(dependencyOrder([node('gateway', 'router'), node('router', 'memory'), node('memory')])).toEqual({
      ok: true,
      order: ['memory', 'router', 'gateway'],
    });
  });

  it('orders a diamond', () => {
    const result = dependencyOrder([node('top', 'left', 'right'), node('left', 'base'), node('right', 'base'), node('base')]);
    expect(result).toEqual({ ok: true, order: ['base', 'left', 'right', 'top'] });
  });

  it('ignores names that are not nodes (the caller reports them)', () => {
    expect(dependencyOrder([node('a', 'ghost'), node('b')])).toEqual({ ok: true, order: ['a', 'b'] });
  });

  it('returns the cycles instead of an order', () => {
    expect(dependencyOrder([node('a', 'b'), node('b', 'a'), node('c')])).toEqual({ ok: false, cycles: [['a', 'b', 'a']] });
  });
});

describe('findCycles', () => {
  it('finds none in an acyclic graph', () => {
    expect(findCycles([node('a'), node('b', 'a'), node('c', 'a', 'b')])).toEqual([]);
  });

  it('names a cycle in full, starting from its earliest node in the input', () => {
    expect(findCycles([node('x'), node('model-router', 'pipecat'), node('pipecat', 'model-router')])).toEqual([
      ['model-router', 'pipecat', 'model-router'],
    ]);
    // The walk enters the cycle at b (through y), yet names it from a, which the file lists first.
    expect(findCycles([node('y', 'b'), node('a', 'b'), node('b', 'a')]).map((c) => c.join(' → '))).toEqual(['a → b → a']);
    expect(findCycles([node('a', 'b'), node('b', 'c'), node('c', 'a')]).map((c) => c.join(' → '))).toEqual(['a → b → c → a']);
  });

  it('finds every separate cycle', () => {
    const cycles = findCycles([node('a', 'b'), node('b', 'a'), node('c', 'd'), node('d', 'e'), node('e', 'c'), node('f', 'a')]);
    expect(cycles).toEqual([
      ['a', 'b', 'a'],
      ['c', 'd', 'e', 'c'],
    ]);
  });

  it('finds two cycles that share a node', () => {
    expect(findCycles([node('a', 'b', 'c'), node('b', 'a'), node('c', 'a')])).toEqual([
      ['a', 'b', 'a'],
      ['a', 'c', 'a'],
    ]);
  });

  it('reports a node that depends on itself', () => {
    expect(findCycles([node('a', 'a')])).toEqual([['a', 'a']]);
  });
});
