import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CONTRACT_JSON_SCHEMA_PATH, contractJsonSchemaText } from '../../cli/write-json-schema.ts';

interface JsonSchemaNode {
  title?: string;
  description?: string;
  required?: string[];
  properties?: Record<string, JsonSchemaNode>;
  items?: JsonSchemaNode;
  oneOf?: JsonSchemaNode[];
  anyOf?: JsonSchemaNode[];
  const?: unknown;
  default?: unknown;
  additionalProperties?: unknown;
}

describe('contracts/boot-contract.schema.json', () => {
  it('is exactly what the generator produces from the zod schema (regenerate: node cli/write-json-schema.ts)', () => {
    expect(readFileSync(CONTRACT_JSON_SCHEMA_PATH, 'utf8')).toBe(contractJsonSchemaText());
  });

  const schema = JSON.parse(contractJsonSchemaText()) as JsonSchemaNode;
  const service = schema.properties?.services?.items;
  const probes = service?.properties?.health?.oneOf ?? service?.properties?.health?.anyOf ?? [];

  it('has a title and descriptions for editors', () => {
    expect(schema.title).toBe('evident boot contract');
    expect(schema.description).toMatch(/fleet/);
    for (const [name, field] of Object.entries(service?.properties ?? {})) {
      expect(field.description, `services[].${name}`).toBeTruthy();
    }
  });

  it('requires only what has no default, and rejects unknown fields', () => {
    expect(schema.required).toEqual(['name', 'version', 'services']);
    expect(service?.required).toEqual(['name', 'command', 'port', 'health']);
    expect(service?.additionalProperties).toBe(false);
  });

  it('offers an optional interval_s, default 1, on every probe kind', () => {
    expect(probes.map((p) => p.properties?.kind?.const)).toEqual(['http', 'tcp', 'exec']);
    for (const probe of probes) {
      expect(probe.properties?.interval_s?.default).toBe(1);
      expect(probe.required ?? []).not.toContain('interval_s');
    }
  });
});
