// Loads and validates the pipeline for a command; every problem listed, exit 2.
import { resolve } from 'node:path';
import { formatProblems } from '../contract/format-problems.ts';
import { DEFAULT_PIPELINE_PATH, loadPipeline } from '../pipeline/load-pipeline.ts';
import type { Pipeline } from '../pipeline/pipeline.ts';
import { UsageError } from './exit-codes.ts';

export async function loadPipelineOrExit(path: string | undefined): Promise<Pipeline> {
  const file = resolve(path ?? process.env.EVIDENT_PIPELINE ?? DEFAULT_PIPELINE_PATH);
  const loaded = await loadPipeline(file);
  if (!loaded.ok) throw new UsageError(formatProblems(file, loaded.problems, 'pipeline').trimEnd());
  return loaded.pipeline;
}
