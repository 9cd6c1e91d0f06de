import { afterEach, describe, expect, it, vi } from 'vitest';

// Make Ink's colour library emit colours even though the test's stdout is not a terminal,
// so that "no escape codes with colors=false" is a claim that could fail.
vi.hoisted(() => {
  process.env.FORCE_COLOR = '1';
});

const { cleanup } = await import('ink-testing-library');
const { RecordingController } = await import('./recording-controller.ts');
const { fleetSnapshot } = await import('./snapshot-fixtures.ts');
const { renderConsole } = await import('./render-console.tsx');
const { FakeControl, RecordingGates, runnerHolding } = await import('./recording-gates.ts');
const { deskSnapshot, GATE1_RUN, PRE_RUN, progress, run } = await import('./gate-fixtures.ts');

afterEach(() => cleanup());

const ESC = '\u001B';

function runningGates() {
  return new RecordingGates(
    deskSnapshot({
      runs: { [PRE_RUN]: run('prerequisites', 'PASSED'), [GATE1_RUN]: run('gate1', 'RUNNING') },
      live: [GATE1_RUN],
      run: { runId: GATE1_RUN, gate: 'gate1', live: true, progress: progress({ lastFailure: 'cycle 2: beta failed' }), problem: null },
    }),
  );
}

function failedGates() {
  return new RecordingGates(deskSnapshot({ runs: { [PRE_RUN]: run('prerequisites', 'PASSED'), [GATE1_RUN]: run('gate1', 'FAILED', { reasons: ['beta failed'] }) } }));
}

describe('gate colours', () => {
  it('colours gate states, the held fleet and the last failure when colours are on', async () => {
    const ui = await renderConsole(new RecordingController(fleetSnapshot()), { gates: runningGates(), control: new FakeControl(runnerHolding('gate1', GATE1_RUN)), colors: true });
    expect(ui.frame()).toMatch(/\u001B\[33m {2}gate1 +RUNNING/);
    expect(ui.frame()).toMatch(/\u001B\[32m {2}prerequisites +PASSED/);
    expect(ui.frame()).toMatch(/\u001B\[33mfleet held by gate1 run/);
    expect(ui.frame()).toMatch(/\u001B\[31m {4}last failure: cycle 2: beta failed/);
  });

  it('draws the form cursor inverse with colours, and as a bar without', async () => {
    const ui = await renderConsole(new RecordingController(fleetSnapshot()), { gates: failedGates(), colors: true });
    await ui.press('b');
    expect(ui.frame()).toContain(`${ESC}[7m ${ESC}[27m`);
    expect(ui.frame()).not.toContain('▏');
  });

  it('writes no escape code at all with colours off (NO_COLOR), in the gates pane, the form and the confirmation', async () => {
    const ui = await renderConsole(new RecordingController(fleetSnapshot()), { gates: runningGates(), control: new FakeControl(runnerHolding('gate1', GATE1_RUN)) });
    expect(ui.frame()).toContain('gate1          RUNNING');
    expect(ui.frame()).not.toContain(ESC);
    cleanup();
    const form = await renderConsole(new RecordingController(fleetSnapshot()), { gates: failedGates() });
    await form.press('b');
    expect(form.frame()).toContain('Root cause *');
    expect(form.frame()).not.toContain(ESC);
    await form.press(ESC, 'g');
    expect(form.frame()).toContain('gate1 may not run');
    expect(form.frame()).not.toContain(ESC);
  });
});
