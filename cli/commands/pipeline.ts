// evident pipeline: holds the pipeline to the version it was locked at, as the contract
// is held (see lock-command.ts).
import { PIPELINE_LOCK } from '../../src/evidence/declaration-lock.ts';
import { lockCommand } from '../lock-command.ts';

export const pipelineHelp = `usage: evident pipeline <check|approve> [--pipeline PATH] [--contract PATH]
       [--artifacts-dir DIR] [--state-dir DIR] [--actor NAME] [--reason TEXT]
       [--idempotency-key KEY] [--json]

Holds the pipeline — every gate's parameters and criteria — to the version it was locked
at, as the contract is held. The first gate run (or this check) locks the pipeline's
version and content hash in the operator journal. After that, content changed under the
same version (one 3-second cycle instead of ten 30-minute ones, an error allowance of
50 %) is refused, naming every changed field, until the version is bumped; a new version
is refused until an operator approves it, with a reason, and the approval records what
changed. Gate states are kept per contract hash AND pipeline hash: an approved new
pipeline re-opens every gate, and a release names both hashes.

  check    compare the pipeline with the lock; with no lock yet, lock it now
  approve  record your approval of the pipeline's version and hash (needs --reason);
           never of changed content under the locked version: that needs a version bump

  --pipeline PATH        the pipeline (default contracts/pipeline.phase3.json, or
                         EVIDENT_PIPELINE)
  --contract PATH        the boot contract the records are made under (default
                         contracts/boot-contract.json, or EVIDENT_CONTRACT)
  --artifacts-dir DIR    evidence folder (default ./artifacts, or EVIDENT_ARTIFACTS_DIR)
  --state-dir DIR        where the state view is kept current (default ./state,
                         or EVIDENT_STATE_DIR)
  --actor NAME           who locks or approves (default: the OS user)
  --reason TEXT          approve: why this version is accepted (recorded with it)
  --idempotency-key KEY  approve: a retried delivery with the same key is recorded once
  --json                 print one JSON object

examples:
  evident pipeline check
  evident pipeline approve --reason "gate2 soak shortened to 24 h for this release, agreed with SRE"

exit: 0 matches the lock (or locked now, or approved), 2 bad input,
      3 refused: content changed under the locked version, or a new version not approved`;

export function pipelineCommand(argv: string[]): Promise<number> {
  return lockCommand(PIPELINE_LOCK, pipelineHelp, argv);
}
