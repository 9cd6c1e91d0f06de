// The console's gate engine on real runs and journals (ports 17336–17337): the states
// and the next gate read from the journals, a gate run by `runGate` (the fleet handed to
// its runner and taken back), a failure documented by `documentBlocker` as the same
// `operator.blocker` record `evident blocker` writes, and the execution log.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadContract } from '../../src/contract/load-contract.ts';
import { FleetJournal } from '../../src/evidence/fleet-journal.ts';
import { operatorJournalPath } from '../../src/evidence/operator-journal.ts';
import { FleetLockWatch } from '../../src/supervisor/fleet-lock-watch.ts';
import { GateDesk } from '../../gates/desk/gate-desk.ts';
import { runEnded } from '../../src/evidence/run-ended.ts';
import { loadPipeline } from '../../src/pipeline/load-pipeline.ts';
import { createLinuxPlatform } from '../../src/platform/linux.ts';
import { resolveStatePaths } from '../../src/paths/state-paths.ts';
import { BIN, runCli, ROOT } from '../helpers/run-cli.ts';
import { FIXTURES } from '../helpers/temp-fleet.ts';
import { isAlive, until } from '../helpers/wait.ts';

const folders: { dir: string; env: Record<string, string> }[] = [];

afterAll(async () => {
  for (const { dir, env } of folders) {
    await runCli(['down'], { env });
    rmSync(dir, { recursive: true, force: true });
  }
});



describe('the gate desk', () => {
  it('runs a gate in a runner, follows it, and documents its failure as evident blocker does', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'evident-console-desk-'));
    const service = (name: string, script: string, port: number) => ({
      name,
      command: process.execPath,
      args: [join(FIXTURES, script)],
      cwd: FIXTURES,
      port,
      health: { kind: 'http', path: '/healthz', expect_status: 200, timeout_ms: 800 },
      startup_timeout_s: 2,
      stop_timeout_s: 2,
    });
    const contractPath = join(dir, 'contract.json');
    // beta never becomes healthy: Gate 1 fails in its first cycle.
    writeFileSync(contractPath, JSON.stringify({ name: 'desk fleet', version: '1.0.0', services: [service('alpha', 'http-ok.ts', 17336), service('beta', 'never-healthy.ts', 17337)] }, null, 2));
    const env = { EVIDENT_STATE_DIR: join(dir, 'state'), EVIDENT_ARTIFACTS_DIR: join(dir, 'artifacts'), EVIDENT_CONTRACT: contractPath, PYTHONHASHSEED: '0' };
    folders.push({ dir, env });
    expect((await runCli(['preflight'], { env })).exitCode).toBe(0);

    const loaded = await loadContract(contractPath);
    const pipeline = await loadPipeline(join(ROOT, 'contracts/pipeline.phase3.json'));
    if (!loaded.ok || !pipeline.ok) throw new Error('fixtures do not load');
    const contract = loaded.contract;
    const platform = createLinuxPlatform();
    const paths = resolveStatePaths(env.EVIDENT_STATE_DIR);
    const journal = new FleetJournal(env.EVIDENT_ARTIFACTS_DIR, join(env.EVIDENT_STATE_DIR, 'keys'), { version: contract.version, hash: contract.hash }, 'tester', () => {});
    const modes: string[] = [];
    const opened = await FleetLockWatch.open({
      platform,
      stateRoot: paths.root,
      purpose: 'test console',
      onFollow: () => void modes.push('follow'),
      onControl: () => void modes.push('control'),
      runEnded: (id) => runEnded(env.EVIDENT_ARTIFACTS_DIR, id),
      pollMs: 200,
    });
    if (!opened.ok) throw new Error('the fleet is held');
    const control = opened.watch;
    const desk = new GateDesk({
      pipeline: pipeline.pipeline,
      contract,
      paths,
      artifactsDir: env.EVIDENT_ARTIFACTS_DIR,
      platform,
      overrides: { cycles: 1, duration_s: 2, interval_s: 1 },
      journal,
      control,
      runnerFlags: ['--contract', contractPath, '--state-dir', paths.root, '--artifacts-dir', env.EVIDENT_ARTIFACTS_DIR, '--pipeline', pipeline.pipeline.path, '--actor', 'tester'],
      // This process is vitest: runners run the real evident.
      evidentEntry: BIN,
      statesEveryMs: 300,
      followEveryMs: 200,
    });
    try {
      control.start();
      desk.start();
      await until(() => desk.getSnapshot().loaded, 'the states read');
      const before = desk.getSnapshot();
      expect(before.states.map((s) => s.status)).toEqual(['PASSED', 'PENDING', 'PENDING', 'PENDING', 'PENDING', 'PENDING', 'PENDING']);
      expect(before.next).toMatchObject({ gate: { id: 'gate1' }, trial: true, admission: { ok: true }, argv: ['gate1', '--cycles', '1', '--duration', '2s', '--interval', '1s'] });

      // g: the fleet goes to a runner, the desk follows its run, and takes the fleet back after.
      const { runId, runnerPid } = await desk.runGate('gate1');
      expect(modes).toEqual(['follow']);
      expect(control.getSnapshot()).toMatchObject({ kind: 'following', holder: { pid: runnerPid, run_id: runId } });
      await until(() => control.getSnapshot().kind === 'controlling', 'the fleet taken back', 40_000);
      expect(modes).toEqual(['follow', 'control']);
      // Its run over, the runner exits on its own.
      await until(() => !isAlive(runnerPid), 'the runner gone after its run', 10_000);
      await until(() => desk.getSnapshot().states[1]?.status === 'BLOCKED', 'gate1 BLOCKED');
      const failed = desk.getSnapshot();
      expect(failed.run).toMatchObject({ runId, gate: 'gate1', live: false, progress: { ended: true, status: 'FAILED', cycle: 1, cycles: 1 } });
      expect(failed.toDocument).toMatchObject({ gate: 'gate1', runId, remediationRequired: false, title: 'Gate 1: consecutive start/stop cycles' });
      expect(failed.toDocument?.whatFailed).toMatch(/beta/);
      expect(failed.next).toMatchObject({ gate: { id: 'gate1' }, admission: { ok: false, kind: 'blocked' } });
      // A second g is refused with the sequencing rule's reason, and nothing is started.
      await expect(desk.runGate('gate1')).rejects.toThrow(/no blocker is documented/);

      // b: the blocker, recorded as evident blocker records it.
      const payload = { gate: 'gate1', run_id: runId, what_failed: failed.toDocument?.whatFailed ?? '', root_cause: 'beta never answers its health check', fix: 'beta waits for its model before answering' };
      await expect(desk.documentBlocker({ ...payload, fix: '  ' })).rejects.toThrow(/the fix is required/);
      const message = await desk.documentBlocker(payload);
      expect(message).toMatch(new RegExp(`^blocker recorded for gate1 run ${runId} \\(record \\w+\\); gate1 may run again$`));
      const records = readFileSync(operatorJournalPath(env.EVIDENT_ARTIFACTS_DIR), 'utf8')
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as { type: string; actor: string; payload: Record<string, unknown> });
      expect(records.filter((r) => r.type === 'operator.request-gate')).toMatchObject([{ actor: 'tester', payload: { gate: 'gate1', trial: true, via: 'console' } }]);
      expect(records.filter((r) => r.type === 'operator.blocker')).toMatchObject([{ actor: 'tester', payload }]);
      expect(desk.getSnapshot().states[1]?.status).toBe('FAILED');
      expect(desk.getSnapshot().blockers).toMatchObject([{ gate: 'gate1', run_id: runId, root_cause: payload.root_cause, fix: payload.fix }]);
      // The same text again is one record.
      expect(await desk.documentBlocker(payload)).toMatch(/^already recorded: operator.blocker/);
      // The CLI agrees.
      const gates = JSON.parse((await runCli(['gates', '--json'], { env })).stdout) as { gates: { gate: string; status: string }[] };
      expect(gates.gates.find((g) => g.gate === 'gate1')?.status).toBe('FAILED');

      // l: the execution log, as evident log prints it.
      const log = await desk.executionLog();
      const printed = await runCli(['log', '--no-write'], { env });
      const withoutTime = (text: string) => text.replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z|\d{4}-\d\d-\d\d \d\d:\d\d(:\d\d)?Z?/g, 'T');
      expect(withoutTime(log).trimEnd()).toBe(withoutTime(printed.stdout));
      expect(log).toContain('beta never answers its health check');
    } finally {
      desk.stop();
      control.close();
      await journal.close();
      platform.close();
    }
  });
});
