// A detached Gate 2 (demo fleet on ports 17900–17950) and the people around it: a console
// opened on it, closed (its terminal gone) and opened again, and finally killed, changes
// nothing in the evidence — no record of its own in the run, no restart, every minute
// there, and the run verifies; a runner killed mid-soak leaves the run INTERRUPTED with
// the fleet stopped by its guard.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { BIN } from '../helpers/run-cli.ts';
import { PASSABLE, soakFixture } from '../helpers/soak-fixture.ts';
import { isAlive, until } from '../helpers/wait.ts';

const SESSION = `evident-soak-${process.pid}`;
const fixtures: ReturnType<typeof soakFixture>[] = [];
const strays = new Set<number>();

function tmux(...args: string[]): string {
  return execFileSync('tmux', args, { encoding: 'utf8' });
}

function killSession(): void {
  try {
    tmux('kill-session', '-t', SESSION);
  } catch {
    // already gone
  }
}



afterEach(() => killSession());
afterAll(async () => {
  killSession();
  for (const pid of strays) if (isAlive(pid)) process.kill(pid, 'SIGKILL');
  for (const f of fixtures) await f.cleanUp();
}, 60_000);

function fixture() {
  const f = soakFixture({ shift: 10900, criteria: PASSABLE });
  fixtures.push(f);
  return f;
}

async function startDetached(t: ReturnType<typeof fixture>, duration: string) {
  const started = await t.cli('gate', 'gate2', '--detach', '--json', '--duration', duration, '--minute', '3s', '--warmup', '3s', '--interval', '1s');
  expect(started.exitCode, started.stdout + started.stderr).toBe(0);
  const { run_id: runId, runner_pid: runnerPid } = JSON.parse(started.stdout) as { run_id: string; runner_pid: number };
  strays.add(runnerPid);
  return { runId, runnerPid };
}

function journalOf(run: string) {
  return readFileSync(join(run, 'journal.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { type: string; actor: string; payload: Record<string, unknown> });
}

describe('a detached Gate 2', () => {
  it('is not touched by a console opened on it, closed, reopened and killed', async () => {
    const t = fixture();
    const { runId, runnerPid } = await startDetached(t, '21s');
    const consoleCommand = () => `exec ${['env', ...Object.entries(t.env).map(([k, v]) => `${k}=${v}`), process.execPath, BIN, 'console'].map((a) => `'${a}'`).join(' ')}`;
    const screen = () => tmux('capture-pane', '-p', '-t', SESSION);
    const held = new RegExp(`fleet held by gate2 run ${runId}`);

    for (const end of ['terminal closed', 'killed'] as const) {
      tmux('new-session', '-d', '-s', SESSION, '-x', '80', '-y', '24', consoleCommand());
      const consolePid = Number(tmux('list-panes', '-t', SESSION, '-F', '#{pane_pid}').trim());
      strays.add(consolePid);
      await until(() => held.test(screen()) && /gate2 +RUNNING trial/.test(screen()), 'the console following the soak', 60_000);
      if (end === 'killed') process.kill(consolePid, 'SIGKILL');
      killSession();
      await until(() => !isAlive(consolePid), 'the console gone');
      expect(isAlive(runnerPid)).toBe(true);
    }

    await until(() => !isAlive(runnerPid), 'the soak to end', 90_000);
    const run = t.runDir() as string;
    const summary = t.summary(run);
    expect(summary).toMatchObject({ status: 'PASSED', minutes_recorded: 7, minutes_missing: [] });
    const journal = journalOf(run);
    // Only the runner wrote: its records and its supervisor's, never a console's action.
    expect(new Set(journal.map((r) => r.type.split('.')[0]))).toEqual(new Set(['run', 'supervisor', 'soak']));
    expect(journal.filter((r) => r.type === 'soak.restart')).toEqual([]);
    expect(journal.filter((r) => r.type === 'supervisor.start').length).toBe(6);
    expect((await t.cli('verify', run)).exitCode).toBe(0);
  }, 120_000);

  it('ends INTERRUPTED when its runner is killed, the fleet stopped by the guard', async () => {
    const t = fixture();
    const { runnerPid } = await startDetached(t, '60s');
    await t.waitForMinute(1);
    process.kill(runnerPid, 'SIGKILL');
    const run = t.runDir() as string;
    await until(() => {
      try {
        return t.summary(run) !== null;
      } catch {
        return false;
      }
    }, 'the guard to close the run');
    const summary = t.summary(run);
    expect(summary.status).toBe('INTERRUPTED');
    expect(summary.reasons).toEqual(['the runner died mid-run']);
    expect(journalOf(run).some((r) => r.type === 'run.interrupted')).toBe(true);
    for (const port of t.ports) expect(await fetch(`http://127.0.0.1:${port}/healthz`).then(() => 'answered', () => 'closed')).toBe('closed');
    expect((await t.cli('verify', run)).exitCode).toBe(0);
  }, 120_000);
});
