// evident gate-guard <run-dir>: started by every gate runner, in a session of its own,
// reading a pipe from the runner. A runner that finishes writes "done" and the guard
// exits. A runner that dies (SIGKILL, a crash, the host's OOM killer) closes the pipe
// without it: then the guard takes the fleet lock, records that the runner died, stops
// every service of the fleet with the leftover check, and ends the run — which the judge
// can then only call INTERRUPTED (or FAILED, if failures were already recorded). No gate
// is left half-run with its services still up.
import { basename, dirname } from 'node:path';
import { supervisorRecord } from '../../src/evidence/supervisor-record.ts';
import type { RunWriter } from '../../src/evidence/run-writer.ts';
import { resolveStatePaths } from '../../src/paths/state-paths.ts';
import { StateStore } from '../../src/state/state-store.ts';
import { acquireFleetLock, currentLockHolder } from '../../src/supervisor/fleet-lock.ts';
import { currentPlatform } from '../../src/platform/current-platform.ts';
import { EXIT, UsageError } from '../../src/errors/exit-codes.ts';
import { openFleet } from '../open-fleet.ts';
import { COMMON_OPTIONS, parseCommandArgs } from '../parse-command-args.ts';

export const gateGuardHelp = `usage: evident gate-guard <run-dir> --runner-pid PID [--contract PATH] [--state-dir DIR]

Started by each gate runner (you do not run it yourself). It waits on a pipe from the
runner; if the runner dies without ending its run, it stops the fleet with the leftover
check and ends the run, recording that the runner died, so the gate reads INTERRUPTED
and no service is left running. It exits as soon as the runner ends its run normally.

exit: 0 nothing to do or the run was closed, 1 closing failed, 2 bad input`;

export const GUARD_DONE = 'done';

export async function gateGuardCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs('gate-guard', argv, { ...COMMON_OPTIONS, 'runner-pid': { type: 'string' } }, true);
  if (values.help) {
    console.log(gateGuardHelp);
    return EXIT.ok;
  }
  const runDir = positionals[0];
  const runnerPid = Number(values['runner-pid']);
  if (positionals.length !== 1 || runDir === undefined || !Number.isInteger(runnerPid) || runnerPid <= 0) throw new UsageError(gateGuardHelp);

  const done = await runnerFinished();
  if (done) return EXIT.ok;
  const paths = resolveStatePaths(values['state-dir']);
  // The pipe closes as the runner dies; its lock may take a moment to look stale.
  const platform = currentPlatform();
  try {
    for (;;) {
      const holder = await currentLockHolder(platform, paths.root);
      if (holder?.pid !== runnerPid) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  } finally {
    platform.close();
  }

  await import('../../gates/registered-judges.ts');
  const { RunWriter } = await import('../../src/evidence/run-writer.ts');
  const { needsSeal, sealRun } = await import('../../src/evidence/seal-run.ts');
  const { loadOrCreateSigningKey } = await import('../../src/evidence/signing-key.ts');
  let run: RunWriter | null = null;
  const recorded: Promise<unknown>[] = [];
  const { context, supervisor, journal } = await openFleet(
    { contract: values.contract, 'state-dir': values['state-dir'], 'artifacts-dir': dirname(runDir), actor: 'evident' },
    (event) => {
      if (run) recorded.push(run.record(supervisorRecord(event)));
    },
    { operatorEvents: false },
  );
  const lock = await acquireFleetLock(context.platform, context.paths.root, `guard of run ${basename(runDir)}`);
  if (!lock.ok) {
    // Someone else controls the fleet now (an operator's console took over): leave it to them.
    context.platform.close();
    await journal.close();
    return EXIT.ok;
  }
  try {
    run = await RunWriter.reopen(runDir, context.paths.keys, 'evident');
    if (run === null) {
      // The run ended but its runner died before the seal was whole: seal it (the judge
      // is pure, so the verdict is the one the runner would have written).
      if (!needsSeal(runDir)) return EXIT.ok;
      const sealed = await sealRun(runDir, loadOrCreateSigningKey(context.paths.keys));
      console.log(`run ${basename(runDir)}: the runner (pid ${runnerPid}) died before sealing it; sealed ${sealed.verdict.status}`);
      return EXIT.ok;
    }
    await run.record({ type: 'run.interrupted', payload: { runner_pid: runnerPid, detected_by: 'gate-guard', detail: 'the runner exited without ending its run; the guard stopped the fleet' } });
    await supervisor.adopt();
    await supervisor.stopServices(context.contract.services.map((s) => s.name));
    await supervisor.releaseOutput();
    await Promise.all(recorded);
    const finished = await run.finish({ closed_by: 'gate-guard', runner_pid: runnerPid });
    const store = await StateStore.open(context.paths, dirname(runDir)).catch(() => null);
    await store?.save().catch(() => {});
    console.log(`run ${basename(runDir)}: the runner (pid ${runnerPid}) died; the fleet is stopped and the run ended ${finished.verdict.status}`);
    return EXIT.ok;
  } catch (error) {
    console.error(`evident gate-guard: could not close run ${runDir}: ${(error as Error).message}`);
    return EXIT.checkFailed;
  } finally {
    await journal.close();
    lock.release();
    context.platform.close();
  }
}

/** Reads the pipe from the runner to its end: true when the runner said it finished. */
function runnerFinished(): Promise<boolean> {
  return new Promise((resolve) => {
    let text = '';
    process.stdin.setEncoding('utf8');
    process.stdin.on('data', (chunk: string) => {
      text += chunk;
    });
    process.stdin.on('end', () => resolve(text.split('\n').includes(GUARD_DONE)));
    process.stdin.on('error', () => resolve(text.split('\n').includes(GUARD_DONE)));
  });
}
