// Gate runs as if each ended run's folder verified to the verdict its journal records:
// for tests of views and rules over gate states (verification itself is tested against
// real run folders in test/evidence/ and end to end).
import type { GateRun } from '../../gates/gate-states.ts';

export function verifiedAsRecorded(runs: GateRun[]): GateRun[] {
  return runs.map((run) =>
    run.ended_at === undefined || run.status === undefined || run.status === 'RUNNING'
      ? run
      : { ...run, verification: { ok: true, status: run.status, problem: null, manifest_sha256: 'f'.repeat(64) } },
  );
}
