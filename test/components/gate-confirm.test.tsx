// g: the confirmation naming the next gate and its duration (a trial said so), y runs it
// through the gate controller, n/Esc does nothing; a refusal shows the reason instead.
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup } from 'ink-testing-library';
import { RecordingController } from './recording-controller.ts';
import { fleetSnapshot } from './snapshot-fixtures.ts';
import { KEYS, renderConsole, until } from './render-console.tsx';
import { FakeControl, RecordingGates, runnerHolding } from './recording-gates.ts';
import { deskSnapshot, GATE1_RUN, PRE_RUN, run } from './gate-fixtures.ts';

afterEach(() => cleanup());

/** The prompt's text with its border and wrapping taken out. */
const boxText = (frame: string) =>
  frame
    .split('\n')
    .filter((l) => l.startsWith('│'))
    .map((l) => l.slice(1, -1).trim())
    .join(' ');

const PREREQUISITES_PASSED = { runs: { [PRE_RUN]: run('prerequisites', 'PASSED') } };

describe('g: run the next gate', () => {
  it('keeps a g pressed while the gate states load, and asks once they are read', async () => {
    const controller = new RecordingController(fleetSnapshot());
    const gates = new RecordingGates(deskSnapshot({ ...PREREQUISITES_PASSED, loaded: false }));
    const ui = await renderConsole(controller, { gates });
    await ui.press('g');
    expect(ui.frame()).toContain('reading the gate states: the next gate is offered once read');
    await ui.press('g'); // twice: still one question
    expect(boxText(ui.frame())).toBe('');
    gates.setSnapshot(deskSnapshot(PREREQUISITES_PASSED));
    await until(() => boxText(ui.frame()).startsWith('Run gate1 — Gate 1'), 'the question asked once the states are read');
    expect(gates.calls).toEqual([]);
  });

  it('names the gate and its duration, and y starts it and shows the gates pane', async () => {
    const controller = new RecordingController(fleetSnapshot());
    const gates = new RecordingGates(deskSnapshot(PREREQUISITES_PASSED));
    const ui = await renderConsole(controller, { gates });
    await ui.press('g');
    expect(boxText(ui.frame())).toBe('Run gate1 — Gate 1: consecutive start/stop cycles: 10 cycles × 30m, probes every 5s (≈ 5h)? y/n');
    expect(ui.frame().split('\n').at(-1)).toBe('y yes  n Esc cancel');
    // The prompt has the keys: x stops nothing.
    await ui.press('x');
    expect(controller.actions()).toEqual([]);
    await ui.press('y');
    expect(gates.calls).toEqual([{ method: 'runGate', gate: 'gate1' }]);
    await until(() => ui.frame().includes('start the gate1 runner: done'), 'the runner started');
    expect(ui.frame()).toContain('── gates ·');
    expect(boxText(ui.frame())).toBe('');
  });

  it('says "a trial" with the console trial parameters, and n or Esc runs nothing', async () => {
    const gates = new RecordingGates(deskSnapshot({ ...PREREQUISITES_PASSED, overrides: { cycles: 1, duration_s: 3, interval_s: 1 } }));
    const ui = await renderConsole(new RecordingController(fleetSnapshot()), { gates });
    await ui.press('g');
    expect(boxText(ui.frame())).toBe('Run gate1 — Gate 1: consecutive start/stop cycles: 1 cycle × 3s, probes every 1s (≈ 3s), a trial? y/n');
    await ui.press('n');
    expect(boxText(ui.frame())).toBe('');
    await ui.press('g', KEYS.escape);
    expect(boxText(ui.frame())).toBe('');
    expect(gates.calls).toEqual([]);
  });

  it('offers the prerequisites first, as a short check', async () => {
    const gates = new RecordingGates(deskSnapshot());
    const ui = await renderConsole(new RecordingController(fleetSnapshot()), { gates });
    await ui.press('g');
    expect(boxText(ui.frame())).toBe('Run prerequisites — Prerequisites: node ≥ 22, free disk ≥ 1024 MB, commands, ports, folders, environment (a few seconds)? y/n');
  });

  it('shows why a gate may not run instead, and y then does nothing', async () => {
    const gates = new RecordingGates(deskSnapshot({ runs: { [PRE_RUN]: run('prerequisites', 'PASSED'), [GATE1_RUN]: run('gate1', 'FAILED', { reasons: ['cycle 1: beta failed'] }) } }));
    const ui = await renderConsole(new RecordingController(fleetSnapshot()), { gates });
    await ui.press('g');
    expect(boxText(ui.frame())).toBe(
      `gate1 may not run: gate1 failed in run ${GATE1_RUN} and no blocker is documented: document it first (evident blocker gate1 …) (Esc closes)`,
    );
    await ui.press('y');
    expect(gates.calls).toEqual([]);
    expect(boxText(ui.frame())).toBe('');
  });

  it('reports a runner that refused in the footer', async () => {
    const gates = new RecordingGates(deskSnapshot(PREREQUISITES_PASSED));
    gates.failures.set('runGate', 'the gate1 runner refused (exit 3): evident gate gate1: refused: contract drift');
    const ui = await renderConsole(new RecordingController(fleetSnapshot()), { gates });
    await ui.press('g', 'y');
    await until(() => ui.frame().includes('start the gate1 runner failed: the gate1 runner refused (exit 3)'), 'the refusal');
  });

  it('is refused while a runner holds the fleet, saying who holds it', async () => {
    const gates = new RecordingGates(deskSnapshot({ runs: { [PRE_RUN]: run('prerequisites', 'PASSED'), [GATE1_RUN]: run('gate1', 'RUNNING') }, live: [GATE1_RUN] }));
    const ui = await renderConsole(new RecordingController(fleetSnapshot()), { gates, control: new FakeControl(runnerHolding('gate1', GATE1_RUN)) });
    await ui.press('g');
    expect(boxText(ui.frame())).toBe('');
    expect(ui.frame()).toContain(`idle · g: gate1 run ${GATE1_RUN} holds the fleet\n`);
    expect(gates.calls).toEqual([]);
  });
});

describe('Q: quarantine a gate run that does not verify', () => {
  const FORGED = {
    runs: { [PRE_RUN]: run('prerequisites', 'PASSED'), [GATE1_RUN]: run('gate1', 'PASSED') },
    unverified: { [GATE1_RUN]: 'key public-key.pem: signed by key 0123456789abcdef, not trusted here' },
  };

  it('shows the run UNVERIFIED with the reason, never PASSED, and Q then y quarantines it through the gate controller', async () => {
    const gates = new RecordingGates(deskSnapshot(FORGED));
    const ui = await renderConsole(new RecordingController(fleetSnapshot()), { gates, columns: 120 });
    await ui.press('G');
    await until(() => /gate1 +UNVERIFIED/.test(ui.frame()), 'gate1 shown UNVERIFIED');
    expect(ui.frame()).not.toMatch(/gate1 +PASSED/);
    expect(ui.frame()).toContain('Q quarantines it: key public-key.pem: signed by key 0123456789abcdef');
    await ui.press('Q');
    expect(boxText(ui.frame())).toBe(
      `Quarantine gate1 run ${GATE1_RUN} — it does not verify (key public-key.pem: signed by key 0123456789abcdef, not trusted here); its folder moves to invalidated/? y/n`,
    );
    await ui.press('n');
    expect(gates.calls).toEqual([]);
    await ui.press('Q', 'y');
    expect(gates.calls).toEqual([{ method: 'quarantineUnverified', gate: 'gate1' }]);
    await until(() => ui.frame().includes("quarantine gate1's run: done"), 'the quarantine done');
  });

  it('says so when no run is UNVERIFIED, and asks nothing', async () => {
    const gates = new RecordingGates(deskSnapshot(PREREQUISITES_PASSED));
    const ui = await renderConsole(new RecordingController(fleetSnapshot()), { gates });
    await ui.press('Q');
    expect(ui.frame()).toContain('no gate run is UNVERIFIED: nothing to quarantine');
    expect(boxText(ui.frame())).toBe('');
    expect(gates.calls).toEqual([]);
  });
});
