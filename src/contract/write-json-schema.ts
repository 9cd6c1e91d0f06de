// Generates contracts/boot-contract.schema.json from the zod schema, so editors complete
// and check contract files. The file is committed; a test keeps it equal to this output.
// Regenerate with: node src/contract/write-json-schema.ts
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { writeFileAtomic } from '../fs/atomic-write.ts';
import { contractSchema } from './schema.ts';

/** Where the generated schema lives, relative to this source file. */
export const CONTRACT_JSON_SCHEMA_PATH = fileURLToPath(new URL('../../contracts/boot-contract.schema.json', import.meta.url));

/** The JSON Schema text of a boot contract, as written to disk (two-space indent, final newline). */
export function contractJsonSchemaText(): string {
  // io 'input': fields with defaults are optional, as an operator writes them.
  // draft-07: the draft every common editor's JSON language service understands.
  const schema = z.toJSONSchema(contractSchema, { io: 'input', target: 'draft-07' });
  return `${JSON.stringify(schema, null, 2)}\n`;
}

export function writeContractJsonSchema(path: string = CONTRACT_JSON_SCHEMA_PATH): void {
  writeFileAtomic(path, contractJsonSchemaText());
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  writeContractJsonSchema();
  console.log(`wrote ${CONTRACT_JSON_SCHEMA_PATH}`);
}
