// The changed fields of a contract, as the operator reads them in a refusal: path, old →
// new, services matched by name, secrets never shown, long values cut.
import { describe, expect, it } from 'vitest';
import { contractDiff } from '../../src/evidence/contract-diff.ts';

function service(name: string, port: number, extra: Record<string, unknown> = {}) {
  return { name, command: 'node', args: [`${name}.ts`], cwd: '.', env: {}, port, health: { kind: 'tcp', timeout_ms: 2000 }, depends_on: [], ...extra };
}

const BASE = { name: 'demo', version: '1.0.0', services: [service('eva-os', 7000), service('api', 7001), service('web', 7002)] };

function changed(mutate: (spec: typeof BASE) => void): typeof BASE {
  const copy = structuredClone(BASE);
  mutate(copy);
  return copy;
}

describe('contractDiff', () => {
  it('finds nothing between equal specs, whatever their key order', () => {
    const reordered = { services: BASE.services.map((s) => Object.fromEntries(Object.entries(s).reverse())), version: '1.0.0', name: 'demo' };
    expect(contractDiff(BASE, reordered)).toEqual([]);
  });

  it('names a changed field by its path, old → new', () => {
    expect(contractDiff(BASE, changed((s) => void ((s.services[1] as { port: number }).port = 7010)))).toEqual(['services[1].port: 7001 → 7010']);
  });

  it('says what was added and what was removed', () => {
    const after = changed((s) => {
      (s.services[2] as { env: Record<string, string> }).env.FOO = 'x';
      delete (s.services[1] as { health: Record<string, unknown> }).health.timeout_ms;
    });
    expect(contractDiff(BASE, after)).toEqual(['services[1].health.timeout_ms: removed (was 2000)', 'services[2].env.FOO: added "x"']);
  });

  it('matches services by name: removing the first is one line, not a change to every service after it', () => {
    const after = changed((s) => void s.services.shift());
    expect(contractDiff(BASE, after)).toEqual(['services[0]: removed (name "eva-os")']);
    expect(contractDiff(after, BASE)).toEqual(['services[0]: added (name "eva-os")']);
  });

  it('shows a service moved to another place as an order change (order is hashed too)', () => {
    const after = changed((s) => void s.services.reverse());
    expect(contractDiff(BASE, after)).toEqual(['services: order changed (["eva-os","api","web"] → ["web","api","eva-os"])']);
  });

  it('compares argument lists position by position', () => {
    const after = changed((s) => void (s.services[0] as { args: string[] }).args.splice(0, 1, 'boot.ts', '--fast'));
    expect(contractDiff(BASE, after)).toEqual(['services[0].args[0]: "eva-os.ts" → "boot.ts"', 'services[0].args[1]: added "--fast"']);
  });

  it('never shows the value of a secret-looking variable, changed, added or removed', () => {
    const before = changed((s) => void ((s.services[0] as { env: Record<string, string> }).env = { API_TOKEN: 'tok-1', DB_PASSWORD: 'pw-1' }));
    const after = changed((s) => void ((s.services[0] as { env: Record<string, string> }).env = { API_TOKEN: 'tok-2', GITHUB_TOKEN: 'gh-1' }));
    const lines = contractDiff(before, after);
    expect(lines).toEqual([
      'services[0].env.API_TOKEN: changed (values redacted)',
      'services[0].env.DB_PASSWORD: removed (was [redacted])',
      'services[0].env.GITHUB_TOKEN: added [redacted]',
    ]);
    expect(lines.join('\n')).not.toMatch(/tok-|pw-1|gh-1/);
  });

  it('masks secrets inside a value shown whole (an added service) and inside text (an argument)', () => {
    const after = changed((s) => {
      s.services.push(service('vault', 7003, { env: { VAULT_TOKEN: 'hunter2' } }));
      (s.services[0] as { args: string[] }).args.push('--password=hunter2');
    });
    const lines = contractDiff(BASE, after);
    expect(lines).toEqual(['services[0].args[1]: added "--password=[redacted]"', 'services[3]: added (name "vault")']);
    expect(lines.join('\n')).not.toContain('hunter2');
  });

  it('cuts a long value to 40 characters', () => {
    const after = changed((s) => void ((s.services[0] as { description?: string }).description = 'a'.repeat(100)));
    const [line] = contractDiff(BASE, after);
    expect(line).toBe(`services[0].description: added "${'a'.repeat(38)}…`);
    expect((line ?? '').length).toBeLessThan(80);
  });

  it('gives the same lines in the same order every time', () => {
    const after = changed((s) => {
      s.version = '1.1.0';
      (s.services[2] as { port: number }).port = 7102;
      (s.services[0] as { port: number }).port = 7100;
    });
    const expected = ['version: "1.0.0" → "1.1.0"', 'services[0].port: 7000 → 7100', 'services[2].port: 7002 → 7102'];
    expect(contractDiff(BASE, after)).toEqual(expected);
    expect(contractDiff(BASE, after)).toEqual(expected);
  });
});
