// openclaw runs its tools in a forked worker: its tree holds two PIDs, a crashed worker is
// replaced, and the worker never outlives openclaw (stopped or killed).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { childPids, commandLine, createFleetScope, eventually, getJson, hasExited, postJson, procStat, stop, type FleetScope } from './fleet-harness.ts';

const linux = process.platform === 'linux';

describe('openclaw', () => {
  let scope: FleetScope;

  beforeEach(async () => {
    scope = await createFleetScope();
  });
  afterEach(async () => {
    await scope.cleanup();
  });

  async function startOpenclaw() {
    const openclaw = await scope.startHealthy('openclaw');
    const workerPid: number = (await getJson(`${openclaw.url}/healthz`)).body.worker_pid;
    scope.track(workerPid, 'openclaw-worker.ts');
    return { openclaw, workerPid };
  }

  it('runs the allowlisted tools and refuses others', async () => {
    const { openclaw } = await startOpenclaw();
    const run = (tool: string, input: unknown) => postJson(`${openclaw.url}/v1/tools/run`, { tool, input });
    expect((await run('word_count', 'one two\nthree')).body.output).toEqual({ words: 3, lines: 2, chars: 13 });
    expect((await run('sort_lines', 'b\na')).body.output).toEqual({ text: 'a\nb' });
    const slept = await run('sleep', 60_000);
    expect(slept.body.output).toMatchObject({ capped: true });
    expect(slept.body.output.slept_ms).toBeGreaterThanOrEqual(1990);
    expect(slept.body.output.slept_ms).toBeLessThan(3000);
    expect(await run('exec', 'ls')).toMatchObject({ status: 400, body: { error: 'unknown_tool', tools: ['sha256', 'word_count', 'sort_lines', 'sleep'] } });
    expect(await run('toString', '')).toMatchObject({ status: 400, body: { error: 'unknown_tool' } });
    expect(await run('sha256', 7)).toMatchObject({ status: 400, body: { error: 'bad_input' } });
  });

  it.skipIf(!linux)('has a worker child process whose parent is openclaw', async () => {
    const { openclaw, workerPid } = await startOpenclaw();
    expect(workerPid).not.toBe(openclaw.pid);
    expect(procStat(workerPid)?.ppid).toBe(openclaw.pid);
    expect(childPids(openclaw.pid)).toEqual([workerPid]);
    expect(commandLine(workerPid)).toContain('openclaw-worker.ts');
  });

  it.skipIf(!linux)('SIGTERM stops openclaw with exit 0 and takes the worker with it', async () => {
    const { openclaw, workerPid } = await startOpenclaw();
    const exit = await stop(openclaw, 'SIGTERM');
    expect(exit).toMatchObject({ code: 0, signal: null });
    expect(exit.at).toBeLessThan(1000);
    // openclaw waits for its worker before exiting, so the worker is already gone.
    expect(procStat(workerPid)).toBeNull();
  });

  it.skipIf(!linux)('replaces a worker that crashes', async () => {
    const { openclaw, workerPid } = await startOpenclaw();
    process.kill(workerPid, 'SIGKILL');
    expect(await eventually(() => hasExited(workerPid))).toBe(true);
    let replacement = 0;
    expect(
      await eventually(async () => {
        const health = await getJson(`${openclaw.url}/healthz`);
        replacement = health.body.worker_pid ?? 0;
        return health.status === 200 && replacement !== workerPid && replacement !== 0;
      }, 3000),
    ).toBe(true);
    scope.track(replacement, 'openclaw-worker.ts');
    expect(procStat(replacement)?.ppid).toBe(openclaw.pid);
    expect((await getJson(`${openclaw.url}/healthz`)).body).toMatchObject({ worker_restarts: 1, worker_last_exit: 'signal SIGKILL' });
    const run = await postJson(`${openclaw.url}/v1/tools/run`, { tool: 'sha256', input: 'abc' });
    expect(run.body.worker_pid).toBe(replacement);
  });

  it.skipIf(!linux)('a worker whose parent is killed outright exits by itself', async () => {
    const { openclaw, workerPid } = await startOpenclaw();
    // Keep the worker busy for 2 s, so only noticing the parent's death can end it sooner.
    const busy = postJson(`${openclaw.url}/v1/tools/run`, { tool: 'sleep', input: 2000 }).catch(() => null);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const exit = await stop(openclaw, 'SIGKILL');
    expect(exit.signal).toBe('SIGKILL');
    // The IPC channel closes with the parent; the worker notices and leaves mid-sleep.
    expect(await eventually(() => hasExited(workerPid), 1000)).toBe(true);
    expect(await busy).toBeNull();
  });
});

describe.skipIf(!linux)('openclaw under a process-group signal', () => {
  let scope: FleetScope;

  beforeEach(async () => {
    scope = await createFleetScope();
  });
  afterEach(async () => {
    await scope.cleanup();
  });

  it('exits 0 with its worker, without restarting it, when SIGTERM reaches the whole group', async () => {
    const openclaw = await scope.startHealthy('openclaw', { detached: true });
    const workerPid: number = (await getJson(`${openclaw.url}/healthz`)).body.worker_pid;
    scope.track(workerPid, 'openclaw-worker.ts');
    expect(procStat(workerPid)?.ppid).toBe(openclaw.pid);
    // Both processes get the signal at once, as with a supervisor's kill(-pgid).
    process.kill(-openclaw.pid, 'SIGTERM');
    const exit = await openclaw.exited;
    expect(exit).toMatchObject({ code: 0, signal: null });
    expect(procStat(workerPid)).toBeNull();
    // Its worker died of the same signal; a stopping openclaw must not fork a replacement.
    expect(openclaw.output()).not.toContain('worker restarted');
    expect(openclaw.output().match(/openclaw-worker ready/g)).toHaveLength(1);
  });
});
