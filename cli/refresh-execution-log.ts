// After a gate run or a blocker, <artifacts>/EXECUTION_LOG.md is written again, so the
// file a reviewer opens is current without anyone running `evident log`. Best effort: the
// run and the record stand whatever happens here; a failure is one warning line.
import { join } from 'node:path';
import { renderExecutionLog } from '../gates/execution-log.ts';
import { writeFileAtomic } from '../src/fs/atomic-write.ts';
import type { Pipeline } from '../src/pipeline/pipeline.ts';
import type { Platform } from '../src/platform/platform.ts';
import type { StatePaths } from '../src/paths/state-paths.ts';
import { EXECUTION_LOG_FILE } from './commands/log.ts';
import { currentGateStates } from './current-gate-states.ts';
import { executionLogInput } from '../gates/operations/execution-log-input.ts';

export async function refreshExecutionLog(pipeline: Pipeline, contract: { name: string; version: string; hash: string }, paths: StatePaths, artifactsDir: string, platform: Platform): Promise<void> {
  try {
    const { states, store } = await currentGateStates(pipeline, contract.hash, paths, artifactsDir, platform);
    const markdown = renderExecutionLog(executionLogInput({ pipeline, contract, states, view: store.view, artifactsDir, generatedAt: new Date() }));
    writeFileAtomic(join(artifactsDir, EXECUTION_LOG_FILE), markdown);
  } catch (error) {
    console.error(`evident: warning: ${EXECUTION_LOG_FILE} was not updated (${(error as Error).message}); \`evident log\` writes it`);
  }
}
