// evident contract: holds the boot contract to the version it was locked at (see
// lock-command.ts, shared with \`evident pipeline\`).
import { CONTRACT_LOCK } from '../../src/evidence/declaration-lock.ts';
import { lockCommand } from '../lock-command.ts';

export const contractHelp = `usage: evident contract <check|approve> [--contract PATH] [--artifacts-dir DIR]
       [--state-dir DIR] [--actor NAME] [--reason TEXT] [--idempotency-key KEY] [--json]

Holds the boot contract to the version it was locked at. The first check (or gate run)
locks the contract's version and content hash in the operator journal
(<artifacts>/operator/journal.jsonl). After that, content changed under the same
version is refused, with every changed field, until the version is bumped; a new
version is refused until an operator approves it. Every record carries the contract's
version and hash.

  check    compare the contract with the lock; with no lock yet, lock it now
  approve  record your approval of the contract's version and hash (needs --reason);
           never of changed content under the locked version: that needs a version bump

  --contract PATH        the boot contract (default contracts/boot-contract.json,
                         or EVIDENT_CONTRACT)
  --artifacts-dir DIR    evidence folder (default ./artifacts, or EVIDENT_ARTIFACTS_DIR)
  --state-dir DIR        where the state view is kept current (default ./state,
                         or EVIDENT_STATE_DIR)
  --actor NAME           who locks or approves (default: the OS user)
  --reason TEXT          approve: why this version is accepted (recorded with it)
  --idempotency-key KEY  approve: a retried delivery with the same key is recorded once
                         (default: one key per version, hash and lock approved from)
  --json                 print one JSON object

exit: 0 matches the lock (or locked now, or approved), 2 bad input,
      3 refused: content changed under the locked version, or a new version not approved`;

export function contractCommand(argv: string[]): Promise<number> {
  return lockCommand(CONTRACT_LOCK, contractHelp, argv);
}
