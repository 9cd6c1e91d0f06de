// A console that does not hold the fleet (a gate runner does): the header says which run
// holds it, the service keys only say why they do nothing, quitting leaves the fleet to
// the runner; once the console holds the fleet again, the keys act again.
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup } from 'ink-testing-library';
import { RecordingController } from './recording-controller.ts';
import { fleetSnapshot } from './snapshot-fixtures.ts';
import { KEYS, renderConsole } from './render-console.tsx';
import { FakeControl, RecordingGates, runnerHolding } from './recording-gates.ts';
import { deskSnapshot, GATE1_RUN, PRE_RUN, progress, run } from './gate-fixtures.ts';

afterEach(() => cleanup());

function runningDesk() {
  return deskSnapshot({
    runs: { [PRE_RUN]: run('prerequisites', 'PASSED'), [GATE1_RUN]: run('gate1', 'RUNNING') },
    live: [GATE1_RUN],
    run: { runId: GATE1_RUN, gate: 'gate1', live: true, progress: progress(), problem: null },
  });
}

describe('while a gate runner holds the fleet', () => {
  it('names the run in the header, opens on the gates pane and turns the service keys off', async () => {
    const controller = new RecordingController(fleetSnapshot());
    const control = new FakeControl(runnerHolding('gate1', GATE1_RUN, 4321));
    const ui = await renderConsole(controller, { gates: new RecordingGates(runningDesk()), control });
    const lines = ui.frame().split('\n');
    expect(lines[2]).toBe(`fleet held by gate1 run ${GATE1_RUN} (pid 4321) · read-only`);
    expect(ui.frame()).toContain('    cycle 3/10 · checks 712/2160 · failures 0 · zombies 0 · probing');
    expect(lines.at(-1)).toBe('g run gate  b blocker  B blockers  l log  S soak  G detail  ? help  q quit');
    for (const key of ['s', 'x', 'r', 'a', 'z', 'R']) {
      await ui.press(key);
      expect(ui.frame()).toContain(`idle · service keys off: gate1 run ${GATE1_RUN} holds the fleet\n`);
    }
    expect(controller.actions()).toEqual([]);
    // Under the detail pane too, the footer leaves the service keys out.
    await ui.press('G');
    expect(ui.frame().split('\n').at(-1)).toBe('g run gate  b blocker  B blockers  l log  S soak  G gates  ? help  q quit');
    await ui.press('x');
    expect(controller.actions()).toEqual([]);
  });

  it('quits leaving the fleet to the runner: the quit question cannot stop it', async () => {
    const controller = new RecordingController(fleetSnapshot());
    const control = new FakeControl(runnerHolding('gate1', GATE1_RUN, 4321));
    const ui = await renderConsole(controller, { gates: new RecordingGates(runningDesk()), control });
    await ui.press('q');
    const box = ui
      .frame()
      .split('\n')
      .filter((l) => l.startsWith('│'))
      .map((l) => l.slice(1, -1).trim())
      .join(' ');
    expect(box).toContain(`Quit: gate1 run ${GATE1_RUN} goes on without this console: leave (l), or cancel (Esc)`);
    expect(ui.frame().split('\n').at(-1)).toBe('l leave running  Esc cancel');
    await ui.press('s');
    expect(ui.quits).toEqual([]);
    expect(ui.frame()).toContain(`idle · gate1 run ${GATE1_RUN} holds the fleet: l quits, leaving it`);
    await ui.press('l');
    expect(ui.quits).toEqual(['leave-running']);
    expect(controller.actions()).toEqual([]);
  });

  it('says the runner is gone while its guard may still stop the fleet', async () => {
    const holder = runnerHolding('gate1', GATE1_RUN, 4321);
    const control = new FakeControl(holder.kind === 'following' ? { ...holder, alive: false } : holder);
    const ui = await renderConsole(new RecordingController(fleetSnapshot()), { gates: new RecordingGates(runningDesk()), control });
    expect(ui.frame().split('\n')[2]).toBe(`fleet held by gate1 run ${GATE1_RUN} (pid 4321): runner gone`);
  });

  it('gives the keys back once the console controls the fleet again', async () => {
    const controller = new RecordingController(fleetSnapshot());
    const control = new FakeControl(runnerHolding('gate1', GATE1_RUN, 4321));
    const ui = await renderConsole(controller, { gates: new RecordingGates(runningDesk()), control });
    await ui.press('x');
    expect(controller.actions()).toEqual([]);
    control.set({ kind: 'controlling' });
    await ui.press();
    expect(ui.frame()).not.toContain('fleet held by');
    expect(ui.frame().split('\n')[2]).toMatch(/^ {2}NAME/);
    await ui.press('x');
    expect(controller.actions()).toEqual([{ method: 'stop', service: 'memory-engine' }]);
  });

  it('shows a hand-over in progress the same way', async () => {
    const controller = new RecordingController(fleetSnapshot());
    const control = new FakeControl({ kind: 'handing-over', purpose: 'gate1 runner' });
    const ui = await renderConsole(controller, { gates: new RecordingGates(runningDesk()), control });
    expect(ui.frame().split('\n')[2]).toBe('handing the fleet to the gate1 runner… · read-only');
    await ui.press('a', KEYS.escape);
    expect(controller.actions()).toEqual([]);
    expect(ui.frame()).toContain('service keys off: the gate1 runner holds the fleet');
  });
});
