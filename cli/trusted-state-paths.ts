// The state folder's paths for a command that reads what it holds (pid files it would
// signal, keys it would trust, the state view): refused with exit 2 when another user
// controls it (src/state/prepare-state-dir.ts says why).
import { UsageError } from '../src/errors/exit-codes.ts';
import { resolveStatePaths, type StatePaths } from '../src/paths/state-paths.ts';
import { checkStateDirTrusted } from '../src/state/prepare-state-dir.ts';

export function trustedStatePaths(flag: string | undefined): StatePaths {
  const paths = resolveStatePaths(flag);
  const problem = checkStateDirTrusted(paths);
  if (problem) throw new UsageError(`evident: ${problem} (--state-dir or EVIDENT_STATE_DIR)`);
  return paths;
}
