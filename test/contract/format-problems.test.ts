import { describe, expect, it } from 'vitest';
import { formatProblems } from '../../src/contract/format-problems.ts';

describe('formatProblems', () => {
  it('prints a header with the count, then one indented line per problem', () => {
    const text = formatProblems('contracts/boot-contract.json', [
      { path: 'services[2].port', message: 'expected a number 1–65535, got "70o1"' },
      { path: 'services[0].helth', message: 'unknown field (did you mean "health"?)' },
    ]);
    expect(text).toBe(
      'contract contracts/boot-contract.json has 2 problems:\n' +
        '  services[2].port: expected a number 1–65535, got "70o1"\n' +
        '  services[0].helth: unknown field (did you mean "health"?)\n',
    );
  });

  it('says "1 problem" for one', () => {
    expect(formatProblems('c.json', [{ path: 'file', message: 'is empty' }])).toBe('contract c.json has 1 problem:\n  file: is empty\n');
  });

  it('escapes control characters so file content cannot drive the terminal', () => {
    const text = formatProblems('c.json', [{ path: 'services[0].name', message: 'bad \u001b[31mred' }]);
    expect(text).toBe('contract c.json has 1 problem:\n  services[0].name: bad \\u001b[31mred\n');
  });
});
