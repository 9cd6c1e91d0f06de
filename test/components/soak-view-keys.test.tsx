// The soak view in the console: S swaps the fleet view for the running Gate 2 run's
// on-call view (read from its real folder), S, f or Esc swap back, q asks the quit
// question in the fleet view; with no soak run the view says how to start one. The
// frame fits 80×24 and the help lists the key.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { render, cleanup } from 'ink-testing-library';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { App } from '../../components/App.tsx';
import type { FleetControlSource } from '../../src/supervisor/fleet-lock-watch.ts';
import type { GateDeskSnapshot } from '../../gates/desk/gate-controller.ts';
import { startSoakRun, type SoakRunFolder } from '../helpers/soak-run-folder.ts';
import { deskSnapshot, GATE1_RUN, PRE_RUN, run } from './gate-fixtures.ts';
import { RecordingController } from './recording-controller.ts';
import { FakeControl, RecordingGates, runnerHolding } from './recording-gates.ts';
import { KEYS, tick, until } from './render-console.tsx';
import { fleetSnapshot } from './snapshot-fixtures.ts';

const root = mkdtempSync(join(tmpdir(), 'evident-soak-keys-'));
const artifactsDir = join(root, 'artifacts');
afterEach(() => cleanup());
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function renderWithSoak(desk: GateDeskSnapshot, control: FleetControlSource = new FakeControl(), columns = 80, rows = 24) {
  const controller = new RecordingController(fleetSnapshot());
  const quits: string[] = [];
  const rendered = render(<App controller={controller} gates={new RecordingGates(desk)} control={control} onQuit={(c) => quits.push(c)} colors={false} artifactsDir={artifactsDir} />);
  Object.defineProperty(rendered.stdout, 'columns', { value: columns, configurable: true });
  Object.defineProperty(rendered.stdout, 'rows', { value: rows, configurable: true });
  rendered.stdout.emit('resize');
  await tick();
  const frame = () => rendered.lastFrame() ?? '';
  const press = async (...keys: string[]) => {
    for (const key of keys) {
      rendered.stdin.write(key);
      await tick();
    }
  };
  return { frame, press, quits, controller };
}

function expectFits(frame: string, columns: number, rows: number): void {
  const lines = frame.split('\n');
  expect(lines.length).toBeLessThanOrEqual(rows - 1);
  for (const line of lines) expect(line.length, line).toBeLessThanOrEqual(columns);
}

/** gate2 RUNNING with `soak`'s run, after prerequisites and gate1 passed. */
function soakDesk(soak: SoakRunFolder): GateDeskSnapshot {
  return deskSnapshot({
    runs: { [PRE_RUN]: run('prerequisites', 'PASSED'), [GATE1_RUN]: run('gate1', 'PASSED'), [soak.run.id]: run('gate2', 'RUNNING', { kind: 'soak', dir: soak.dir }) },
    live: [soak.run.id],
  });
}

describe('the soak view in the console', () => {
  it('S shows the running soak run in place of the fleet; S, f and Esc bring the fleet back', async () => {
    const soak = await startSoakRun({ artifactsDir, keysDir: join(root, 'keys'), durationS: 600 });
    for (let n = 1; n <= 3; n++) await soak.minute(n, { rss: { pipecat: 50e6 * (1 + 0.015 * (n - 1)) } });
    const control = new FakeControl(runnerHolding('gate2', soak.run.id, 4321));
    const ui = await renderWithSoak(soakDesk(soak), control);
    // Following a runner, the console opens on the gates pane; its footer names S.
    expect(ui.frame().split('\n').at(-1)).toBe('g run gate  b blocker  B blockers  l log  S soak  G detail  ? help  q quit');

    await ui.press('S');
    await until(() => ui.frame().includes('RUNNING · 3/10 min'), 'the soak run read');
    const frame = ui.frame();
    expectFits(frame, 80, 24);
    expect(frame).toContain(`── gate2 soak · run ${soak.run.id} · trial ──`);
    expect(frame).toContain('no breach · nearest: memory growth pipecat +3.0%, limit 5.0% (60% of the limit)');
    expect(frame).toMatch(/^p95 .* worst ×1\.00 \(limit ×2\)$/m);
    expect(frame).not.toContain('NAME');
    expect(frame.split('\n').at(-1)).toBe('S f Esc fleet view  q quit');
    // The header stays: who holds the fleet.
    expect(frame).toContain(`fleet held by gate2 run ${soak.run.id} (pid 4321) · read-only`);

    // A minute closes while the view is open: the next poll shows it.
    await soak.minute(4);
    await until(() => ui.frame().includes('RUNNING · 4/10 min'), 'minute 4', 5000);

    // Service keys do nothing here: the soak view has its own.
    await ui.press('x', 's');
    expect(ui.controller.actions()).toEqual([]);
    for (const back of ['S', 'f', KEYS.escape]) {
      await ui.press(back);
      expect(ui.frame()).toContain('NAME');
      expect(ui.frame()).not.toContain('gate2 soak');
      await ui.press('S');
      expect(ui.frame()).toContain('gate2 soak');
    }
    await soak.finish();
  });

  it('q in the soak view asks the quit question in the fleet view', async () => {
    const soak = await startSoakRun({ artifactsDir, keysDir: join(root, 'keys'), durationS: 600 });
    await soak.minute(1);
    const ui = await renderWithSoak(soakDesk(soak));
    await ui.press('S');
    await until(() => ui.frame().includes('RUNNING · 1/10 min'), 'the soak run read');
    await ui.press('q');
    expect(ui.frame()).toContain('Quit: stop the fleet (s)');
    expect(ui.frame()).toContain('NAME');
    await ui.press(KEYS.escape);
    expect(ui.quits).toEqual([]);
    await soak.finish();
  });

  it('says how to start a soak run when there is none, and fits at 40×12', async () => {
    const ui = await renderWithSoak(deskSnapshot({ runs: { [PRE_RUN]: run('prerequisites', 'PASSED'), [GATE1_RUN]: run('gate1', 'PASSED') } }));
    await ui.press('S');
    expect(ui.frame()).toContain('── gate2 soak ──');
    expect(ui.frame().replace(/\s+/g, ' ')).toContain('no gate2 run yet under this contract: `evident gate gate2 --duration 3m` starts');
    expectFits(ui.frame(), 80, 24);
    const small = await renderWithSoak(deskSnapshot(), new FakeControl(), 40, 12);
    await small.press('S');
    expect(small.frame()).toContain('── gate2 soak');
    expectFits(small.frame(), 40, 12);
  });

  it('lists S in the help, which still fits 80×24', async () => {
    const ui = await renderWithSoak(deskSnapshot());
    await ui.press('?');
    const help = ui.frame();
    expectFits(help, 80, 24);
    expect(help).toMatch(/ {2}S {7}the Gate 2 soak's on-call view \(S, f or Esc comes back\)/);
    // Every line of the help is there: the readers' keys last.
    expect(help.split('\n').at(-3)).toMatch(/^ {2}log, B {2}/);
  });
});
