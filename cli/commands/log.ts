// evident log: the execution log — every gate's status with a link to its evidence, and a
// dated entry for every run, failure, blocker and fix — rendered from the journals (the
// state view brought up to date), printed, and written as <artifacts>/EXECUTION_LOG.md.
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { executionLog, formatExecutionLog } from '../../gates/execution-log.ts';
import { writeFileAtomic } from '../../src/fs/atomic-write.ts';
import { withGateStates } from '../with-gate-states.ts';
import { EXIT, UsageError } from '../../src/errors/exit-codes.ts';
import { executionLogInput } from '../../gates/operations/execution-log-input.ts';
import { COMMON_OPTIONS, parseCommandArgs } from '../parse-command-args.ts';

export const EXECUTION_LOG_FILE = 'EXECUTION_LOG.md';

export const logHelp = `usage: evident log [--pipeline PATH] [--contract PATH] [--state-dir DIR]
       [--artifacts-dir DIR] [--json] [--no-write]

The execution log, in markdown, from the journals: the status table of every gate of the
pipeline (gate, status, evidence, start, end) under the current contract, then a dated
entry for every run (its parameters, end, status and links to its summary, manifest and
reports), every failure with its reasons, every blocker with its root cause and fix, and
the contract lock. Runs made under another contract are listed, marked as such. The same
text is written to <artifacts>/${EXECUTION_LOG_FILE}, where its links lead to the files.

  --pipeline PATH    the pipeline (default contracts/pipeline.phase3.json, or EVIDENT_PIPELINE)
  --contract PATH    the boot contract (default contracts/boot-contract.json)
  --state-dir DIR    where the state view lives (default ./state, or EVIDENT_STATE_DIR)
  --artifacts-dir D  evidence folder (default ./artifacts, or EVIDENT_ARTIFACTS_DIR)
  --no-write         print the log only; leave ${EXECUTION_LOG_FILE} as it is
  --json             print one JSON object: the file's path, the gates, the entries and
                     the markdown

exit: 0 written (or printed), 1 the file could not be written, 2 bad input`;

export async function logCommand(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs(
    'log',
    argv,
    { ...COMMON_OPTIONS, pipeline: { type: 'string' }, 'artifacts-dir': { type: 'string' }, 'no-write': { type: 'boolean' } },
    false,
  );
  if (values.help) {
    console.log(logHelp);
    return EXIT.ok;
  }
  return withGateStates(
    values,
    async ({ pipeline, contract, artifactsDir, states, store }) => {
      const log = executionLog(executionLogInput({ pipeline, contract, states, view: store.view, artifactsDir, generatedAt: new Date() }));
      const markdown = formatExecutionLog(log);
      const path = join(artifactsDir, EXECUTION_LOG_FILE);
      let problem: string | null = null;
      if (!values['no-write']) {
        try {
          writeFileAtomic(path, markdown);
        } catch (error) {
          problem = `evident log: ${path} could not be written: ${(error as Error).message}`;
        }
      }
      const written = !values['no-write'] && problem === null;
      if (values.json) console.log(JSON.stringify({ path, written, gates: log.gates, entries: log.entries, markdown }));
      else process.stdout.write(markdown);
      if (problem !== null) {
        console.error(problem);
        return EXIT.checkFailed;
      }
      return EXIT.ok;
    },
    (_pipeline, artifactsDir) => {
      // A mistyped folder would otherwise get a log of nothing written into it.
      if (!existsSync(artifactsDir)) throw new UsageError(`evident log: no artifacts folder at ${artifactsDir}: nothing has been recorded there (--artifacts-dir or EVIDENT_ARTIFACTS_DIR)`);
      if (!statSync(artifactsDir).isDirectory()) throw new UsageError(`evident log: ${artifactsDir} is not a folder (--artifacts-dir or EVIDENT_ARTIFACTS_DIR)`);
    },
  );
}
