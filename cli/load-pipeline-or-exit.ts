// Loads and validates the pipeline for a command; every problem listed, exit 2. A
// pipeline validated before (same bytes, same path, same validating code) comes from the
// cache in the state folder without loading zod, as the contract does.
import { resolve } from 'node:path';
import { loadCached } from '../src/contract/contract-cache.ts';
import { DEFAULT_PIPELINE_PATH, type Pipeline } from '../src/pipeline/pipeline.ts';
import { UsageError } from '../src/errors/exit-codes.ts';

export async function loadPipelineOrExit(path: string | undefined, stateRoot?: string): Promise<Pipeline> {
  const file = resolve(path ?? process.env.EVIDENT_PIPELINE ?? DEFAULT_PIPELINE_PATH);
  return loadCached('pipeline', file, stateRoot, async () => {
    const [{ loadPipeline }, { formatProblems }] = await Promise.all([import('../src/pipeline/load-pipeline.ts'), import('../src/contract/format-problems.ts')]);
    const loaded = await loadPipeline(file);
    if (!loaded.ok) throw new UsageError(formatProblems(file, loaded.problems, 'pipeline').trimEnd());
    return loaded.pipeline;
  });
}
