// Generates the JSON Schemas in contracts/ from the zod schemas (the boot contract and
// the pipeline), so editors complete and check those files. The files are committed; a
// test keeps each equal to this output. Regenerate with: node cli/write-json-schema.ts (npm run schema)
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { writeFileAtomic } from '../src/fs/atomic-write.ts';
import { pipelineSchema } from '../src/pipeline/pipeline-schema.ts';
import { contractSchema } from '../src/contract/schema.ts';

/** Where the generated schemas live, relative to this source file. */
export const CONTRACT_JSON_SCHEMA_PATH = fileURLToPath(new URL('../contracts/boot-contract.schema.json', import.meta.url));
export const PIPELINE_JSON_SCHEMA_PATH = fileURLToPath(new URL('../contracts/pipeline.schema.json', import.meta.url));

/** The JSON Schema text of a zod schema, as written to disk (two-space indent, final newline). */
function jsonSchemaText(schema: z.ZodType): string {
  // io 'input': fields with defaults are optional, as an operator writes them.
  // draft-07: the draft every common editor's JSON language service understands.
  return `${JSON.stringify(z.toJSONSchema(schema, { io: 'input', target: 'draft-07' }), null, 2)}\n`;
}

export function contractJsonSchemaText(): string {
  return jsonSchemaText(contractSchema);
}

export function pipelineJsonSchemaText(): string {
  return jsonSchemaText(pipelineSchema);
}

export function writeJsonSchemas(): string[] {
  writeFileAtomic(CONTRACT_JSON_SCHEMA_PATH, contractJsonSchemaText());
  writeFileAtomic(PIPELINE_JSON_SCHEMA_PATH, pipelineJsonSchemaText());
  return [CONTRACT_JSON_SCHEMA_PATH, PIPELINE_JSON_SCHEMA_PATH];
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  for (const path of writeJsonSchemas()) console.log(`wrote ${path}`);
}
