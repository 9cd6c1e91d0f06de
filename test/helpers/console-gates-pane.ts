// The gates pane the console would draw for an installation, read as the console reads it:
// its gate desk on the real state and artifacts folders, then the pane's lines, 200
// columns wide. For end-to-end tests that check what an operator would see.
import { gatesPaneLines } from '../../components/gates-pane-lines.ts';
import { FleetLockWatch } from '../../src/supervisor/fleet-lock-watch.ts';
import { GateDesk } from '../../gates/desk/gate-desk.ts';
import { runEnded } from '../../src/evidence/run-ended.ts';
import { loadContract } from '../../src/contract/load-contract.ts';
import { FleetJournal } from '../../src/evidence/fleet-journal.ts';
import { loadPipeline } from '../../src/pipeline/load-pipeline.ts';
import { DEFAULT_PIPELINE_PATH } from '../../src/pipeline/pipeline.ts';
import { createLinuxPlatform } from '../../src/platform/linux.ts';
import { resolveStatePaths } from '../../src/paths/state-paths.ts';
import { until } from './wait.ts';

export async function consoleGatesPane(env: { EVIDENT_STATE_DIR: string; EVIDENT_ARTIFACTS_DIR: string; EVIDENT_CONTRACT: string; EVIDENT_PIPELINE?: string }): Promise<string[]> {
  const contract = await loadContract(env.EVIDENT_CONTRACT);
  const pipeline = await loadPipeline(env.EVIDENT_PIPELINE ?? DEFAULT_PIPELINE_PATH);
  if (!contract.ok || !pipeline.ok) throw new Error('the declarations do not load');
  const platform = createLinuxPlatform();
  const paths = resolveStatePaths(env.EVIDENT_STATE_DIR);
  const artifacts = env.EVIDENT_ARTIFACTS_DIR;
  const journal = new FleetJournal(artifacts, paths.keys, { version: contract.contract.version, hash: contract.contract.hash }, 'tester', () => {});
  const opened = await FleetLockWatch.open({ platform, stateRoot: paths.root, purpose: 'test console', onFollow: () => {}, onControl: () => {}, runEnded: (id) => runEnded(artifacts, id), pollMs: 200 });
  if (!opened.ok) throw new Error(`the fleet is held by pid ${opened.holder.pid}`);
  const desk = new GateDesk({ pipeline: pipeline.pipeline, contract: contract.contract, paths, artifactsDir: artifacts, platform, overrides: {}, journal, control: opened.watch, runnerFlags: [] });
  try {
    desk.start();
    await until(() => desk.getSnapshot().loaded, 'the console read the gate states');
    return gatesPaneLines(desk.getSnapshot(), 200).map((line) => line.text);
  } finally {
    desk.stop();
    opened.watch.close();
    await journal.close();
    platform.close();
  }
}
