// Loads and validates the pipeline for a command; every problem listed, exit 2. A
// pipeline validated before (same bytes, same path, same validating code) comes from the
// cache in the state folder without loading zod, as the contract does.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { contractCacheKey, readCached, writeCached } from '../contract/contract-cache.ts';
import { DEFAULT_PIPELINE_PATH, type Pipeline } from '../pipeline/pipeline.ts';
import { UsageError } from './exit-codes.ts';

export async function loadPipelineOrExit(path: string | undefined, stateRoot?: string): Promise<Pipeline> {
  const file = resolve(path ?? process.env.EVIDENT_PIPELINE ?? DEFAULT_PIPELINE_PATH);
  // Only an existing state folder gets a cache: a reading command never creates one.
  const cacheDir = stateRoot && existsSync(stateRoot) ? join(stateRoot, 'cache') : null;
  let key: string | null = null;
  if (cacheDir) {
    try {
      key = contractCacheKey(file, readFileSync(file));
      const cached = readCached<Pipeline>(cacheDir, 'pipeline', key);
      if (cached) return cached;
    } catch {
      // Unreadable: the loader below says why, precisely.
    }
  }
  const [{ loadPipeline }, { formatProblems }] = await Promise.all([import('../pipeline/load-pipeline.ts'), import('../contract/format-problems.ts')]);
  const loaded = await loadPipeline(file);
  if (!loaded.ok) throw new UsageError(formatProblems(file, loaded.problems, 'pipeline').trimEnd());
  if (cacheDir && key) writeCached(cacheDir, 'pipeline', key, loaded.pipeline);
  return loaded.pipeline;
}
