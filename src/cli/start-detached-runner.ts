// evident gate <n> --detach: the same gate command in a runner process of its own, in a
// session no terminal owns, its output in a log under state/runs/. Closing the terminal,
// the console or an SSH session does not touch it. Returns once the runner holds the
// fleet for its run (or has exited, refused: then its exit code and its words).
import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { GateSpec } from '../pipeline/pipeline-schema.ts';
import { currentPlatform } from '../platform/current-platform.ts';
import { resolveStatePaths } from '../state/state-paths.ts';
import { currentLockHolder } from '../supervisor/fleet-lock.ts';
import { EXIT } from './exit-codes.ts';

const START_WAIT_MS = 30_000;

export async function startDetachedRunner(request: { gate: GateSpec; argv: string[]; values: { 'state-dir'?: string; json?: boolean } }): Promise<number> {
  const paths = resolveStatePaths(request.values['state-dir']);
  const folder = join(paths.root, 'runs');
  mkdirSync(folder, { recursive: true });
  const log = join(folder, `runner-${new Date().toISOString().replace(/[:.]/g, '')}-${process.pid}.log`);
  const fd = openSync(log, 'a');
  const platform = currentPlatform();
  try {
    // process.argv[1] is this evident's entry (bin/evident.js), run on this same Node.
    const child = spawn(process.execPath, [process.argv[1] as string, 'gate', ...request.argv], {
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
      const outcome = await Promise.race([exited, new Promise<null>((resolve) => setTimeout(() => resolve(null), 200))]);
      if (outcome !== null) {
        process.stderr.write(readFileSync(log, 'utf8'));
        return outcome;
      }
      const holder = await currentLockHolder(platform, paths.root);
      if (holder !== null && holder.pid === child.pid && holder.run_id) {
        child.unref();
        const line = { gate: request.gate.id, run_id: holder.run_id, runner_pid: child.pid, log };
        console.log(request.values.json ? JSON.stringify(line) : `${request.gate.id} run ${holder.run_id} started in runner pid ${child.pid} (output: ${log}); follow it with \`evident gates\` or the console; stop it with \`evident gate ${request.gate.id} --abort\``);
        return EXIT.ok;
      }
    }
    child.unref();
    console.error(`evident gate ${request.gate.id} --detach: the runner (pid ${child.pid}) has not taken the fleet after ${START_WAIT_MS / 1000} s; its output: ${log}`);
    return EXIT.checkFailed;
  } finally {
    closeSync(fd);
    platform.close();
  }
}
