// `evident down` through the real CLI, on a service whose grandchild calls setsid: the
// process that left the service's session is named by `down` (plain and --json) and fails
// `down --record`, whether it obeyed SIGTERM or ignored it and was killed. The recorded
// leftover check holds what concerns the fleet and never an unrelated process (a `sleep`
// with a distinctive command line), which it only counts. Ports 17470–17471.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { killAndWait } from '../helpers/kill-and-wait.ts';
import { runCli } from '../helpers/run-cli.ts';
import { fixtureService } from '../helpers/temp-fleet.ts';
import { isAlive, until } from '../helpers/wait.ts';

let dir = '';
let unrelated: ChildProcess | null = null;
const escapees = new Set<number>();
const UNRELATED_ARG = '86399.4712';

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'evident-down-findings-'));
  unrelated = spawn('sleep', [UNRELATED_ARG], { stdio: 'ignore' });
});

afterAll(async () => {
  for (const variant of ['obeys', 'ignores']) await runCli(['down', ...args(variant)]);
  for (const pid of escapees) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone
    }
  }
  if (unrelated) await killAndWait(unrelated);
  rmSync(dir, { recursive: true, force: true });
});

function args(variant: string): string[] {
  return ['--contract', join(dir, `${variant}.json`), '--state-dir', join(dir, `state-${variant}`), '--artifacts-dir', join(dir, `artifacts-${variant}`)];
}

/** A contract of one web service and `leaky`, whose grandchild escapes; `ignores`: the escapee ignores SIGTERM. */
function setup(variant: 'obeys' | 'ignores'): { args: string[]; pidFile: string } {
  const pidFile = join(dir, `${variant}.escapee.pid`);
  const env: Record<string, string> = { ESCAPEE_PID_FILE: pidFile, ...(variant === 'ignores' ? { ESCAPEE_IGNORES_SIGTERM: '1' } : {}) };
  writeFileSync(
    join(dir, `${variant}.json`),
    JSON.stringify({ name: 'down findings', version: '1.0.0', services: [fixtureService('web', 'http-ok.ts', 17470), fixtureService('leaky', 'escapee.py', 17471, { stop_timeout_s: 1, env })] }),
  );
  return { args: args(variant), pidFile };
}

async function upWithEscapee(variant: 'obeys' | 'ignores'): Promise<{ args: string[]; escapee: number }> {
  const t = setup(variant);
  rmSync(t.pidFile, { force: true });
  const up = await runCli(['up', ...t.args]);
  expect(up.exitCode, up.stdout + up.stderr).toBe(0);
  const escapee = Number(readFileSync(t.pidFile, 'utf8'));
  escapees.add(escapee);
  return { args: t.args, escapee };
}

describe.each(['obeys', 'ignores'] as const)('a grandchild that called setsid and %s SIGTERM', (variant) => {
  it('is named by `evident down`, which exits 1', async () => {
    const { args: a, escapee } = await upWithEscapee(variant);
    const down = await runCli(['down', ...a]);
    expect(down.exitCode, down.stdout + down.stderr).toBe(1);
    const how = variant === 'obeys' ? 'ended with the stop' : 'ignored the stop: killed';
    expect(down.stdout).toMatch(new RegExp(`^escaped process of leaky: pid ${escapee} ppid \\d+ pgid ${escapee} sid ${escapee} \\S*python3\\S* \\S*escapee\\.py \\[left the service's session \\(pgid \\d+ sid \\d+\\); ${how}\\]$`, 'm'));
    expect(down.stdout).toMatch(/fleet down in \d+ ms, not cleanly: 1 process left its service's process group or session/);
    expect(isAlive(escapee)).toBe(false);
  });

  it('is named by `down --json` and fails `down --record`, whose journal holds no unrelated process', async () => {
    await until(() => unrelated?.pid !== undefined, 'the unrelated sleep');
    const { args: a, escapee } = await upWithEscapee(variant);
    const down = await runCli(['down', '--record', '--json', ...a]);
    expect(down.exitCode, down.stdout + down.stderr).toBe(1);
    const out = JSON.parse(down.stdout) as { ok: boolean; escaped: { pid: number; service: string; left: string; killed: boolean }[]; reasons: string[]; run: { dir: string; status: string; summary: string } };
    expect(out.ok).toBe(false);
    expect(out.escaped).toEqual([expect.objectContaining({ pid: escapee, service: 'leaky', left: 'session', killed: variant === 'ignores' })]);
    expect(out.run.status).toBe('FAILED');
    const summary = JSON.parse(readFileSync(join(out.run.dir, out.run.summary), 'utf8')) as { status: string; escaped_processes: { pid: number }[]; reasons: string[] };
    expect(summary.escaped_processes.map((e) => e.pid)).toEqual([escapee]);
    expect(summary.reasons.some((r) => r.startsWith(`pid ${escapee} of leaky left the service's session`))).toBe(true);

    const journal = readFileSync(join(out.run.dir, 'journal.jsonl'), 'utf8');
    expect(journal).not.toContain(UNRELATED_ARG);
    const check = journal
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string; payload: { evidence?: { table: { pid: number }[]; others_count: number; console_pid: number } } })
      .find((r) => r.type === 'supervisor.leftover-check');
    expect(check?.payload.evidence?.others_count).toBeGreaterThanOrEqual(1);
    expect(check?.payload.evidence?.table.some((p) => p.pid === unrelated?.pid)).toBe(false);
    expect(check?.payload.evidence?.table.some((p) => p.pid === check.payload.evidence?.console_pid)).toBe(true);

    const verify = await runCli(['verify', out.run.dir, '--state-dir', join(dir, `state-${variant}`)]);
    expect(verify.exitCode, verify.stdout).toBe(0);
    expect(verify.stdout).toMatch(/summary .*FAILED: equals shutdown judge/);
  });
});
