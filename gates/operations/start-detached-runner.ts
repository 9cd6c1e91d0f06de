// A gate in a runner process of its own, in a session no terminal owns, its output in a
// log under state/runs/. Closing the terminal, the console or an SSH session does not
// touch it. `spawnGateRunner` starts one and returns once the runner holds the fleet for
// its run (or has exited, refused: then its exit code and its words); the console calls
// it for `g`. `startDetachedRunner` is `evident gate <n> --detach`, which says so.
import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { GateSpec } from '../../src/pipeline/pipeline-schema.ts';
import { currentPlatform } from '../../src/platform/current-platform.ts';
import type { Platform } from '../../src/platform/platform.ts';
import { resolveStatePaths } from '../../src/paths/state-paths.ts';
import { currentLockHolder, type LockHolder } from '../../src/supervisor/fleet-lock.ts';
import { EXIT } from '../../src/errors/exit-codes.ts';

const START_WAIT_MS = 30_000;

export type GateRunnerStart =
  | { started: true; runId: string; runnerPid: number; log: string; holder: LockHolder }
  /** exited: the runner ended before taking the fleet (its exit code and output); timeout: it is still starting. */
  | { started: false; reason: 'exited'; code: number; output: string; log: string }
  | { started: false; reason: 'timeout'; runnerPid: number | undefined; log: string; waitedMs: number };

export interface GateRunnerRequest {
  /** What follows `evident gate`: the gate and its flags (never --detach). */
  argv: readonly string[];
  /** The state folder the runner locks: state/runs/ gets its output. */
  stateRoot: string;
  /** Used to read the lock while waiting; one of its own is opened (and closed) if not given. */
  platform?: Platform;
  /** The evident entry script the runner runs (default: this process's, bin/evident.js). */
  entry?: string;
}

export async function spawnGateRunner(request: GateRunnerRequest): Promise<GateRunnerStart> {
  const folder = join(request.stateRoot, 'runs');
  mkdirSync(folder, { recursive: true });
  const log = join(folder, `runner-${new Date().toISOString().replace(/[:.]/g, '')}-${process.pid}.log`);
  const fd = openSync(log, 'a');
  const platform = request.platform ?? currentPlatform();
  try {
    // process.argv[1] is this evident's entry (bin/evident.js), run on this same Node.
    const child = spawn(process.execPath, [request.entry ?? (process.argv[1] as string), 'gate', ...request.argv], {
      cwd: process.cwd(),
      env: process.env,
      stdio: ['ignore', fd, fd],
      detached: true,
      windowsHide: true,
    });
    const exited = new Promise<number>((resolve) => child.once('exit', (code) => resolve(code ?? EXIT.checkFailed)));
    child.once('error', () => {});
    const deadline = Date.now() + START_WAIT_MS;
    while (Date.now() < deadline) {
      const outcome = await Promise.race([exited, new Promise<null>((resolve) => setTimeout(resolve, 200, null))]);
      if (outcome !== null) return { started: false, reason: 'exited', code: outcome, output: readFileSync(log, 'utf8'), log };
      const holder = await currentLockHolder(platform, request.stateRoot);
      if (holder !== null && holder.pid === child.pid && holder.run_id) {
        child.unref();
        return { started: true, runId: holder.run_id, runnerPid: child.pid, log, holder };
      }
    }
    child.unref();
    return { started: false, reason: 'timeout', runnerPid: child.pid, log, waitedMs: START_WAIT_MS };
  } finally {
    closeSync(fd);
    if (request.platform === undefined) platform.close();
  }
}

export async function startDetachedRunner(request: { gate: GateSpec; argv: string[]; values: { 'state-dir'?: string; json?: boolean } }): Promise<number> {
  const paths = resolveStatePaths(request.values['state-dir']);
  const start = await spawnGateRunner({ argv: request.argv, stateRoot: paths.root });
  if (start.started) {
    const line = { gate: request.gate.id, run_id: start.runId, runner_pid: start.runnerPid, log: start.log };
    console.log(
      request.values.json
        ? JSON.stringify(line)
        : `${request.gate.id} run ${start.runId} started in runner pid ${start.runnerPid} (output: ${start.log}); follow it with ${request.gate.kind === 'soak' ? '`evident watch` (or S in the console)' : '`evident gates` or the console'}; stop it with \`evident gate ${request.gate.id} --abort\``,
    );
    return EXIT.ok;
  }
  if (start.reason === 'exited') {
    process.stderr.write(start.output);
    return start.code;
  }
  console.error(`evident gate ${request.gate.id} --detach: the runner (pid ${start.runnerPid}) has not taken the fleet after ${start.waitedMs / 1000} s; its output: ${start.log}`);
  return EXIT.checkFailed;
}
