// The gates pane: every gate's state, a running gate's live progress (cycle, checks,
// failures, zombies, elapsed, ETA), its last failure in one line, and what fits at 80×24.
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup } from 'ink-testing-library';
import { fitPaneLines, gatesPaneLines } from '../../components/gates-pane-lines.ts';
import { RecordingController } from './recording-controller.ts';
import { fleetSnapshot } from './snapshot-fixtures.ts';
import { renderConsole, until } from './render-console.tsx';
import { LazyGateDesk } from '../../gates/desk/lazy-gate-desk.ts';
import { FakeControl, RecordingGates, runnerHolding } from './recording-gates.ts';
import { deskSnapshot, GATE1_RUN, PRE_RUN, progress, run } from './gate-fixtures.ts';

afterEach(() => cleanup());

const RUNNING = {
  runs: { [PRE_RUN]: run('prerequisites', 'PASSED'), [GATE1_RUN]: run('gate1', 'RUNNING') },
  live: [GATE1_RUN],
};

describe('the gates pane', () => {
  it('is toggled with G below the table, and lists every gate with its state', async () => {
    const gates = new RecordingGates(deskSnapshot({ runs: { [PRE_RUN]: run('prerequisites', 'PASSED') } }));
    const ui = await renderConsole(new RecordingController(fleetSnapshot()), { gates });
    expect(ui.frame()).not.toContain('── gates');
    await ui.press('G');
    const frame = ui.frame();
    expect(frame).toContain('── gates · next: gate1, g runs it ─');
    expect(frame).toMatch(/ {2}prerequisites {2}PASSED {12}run 01JPRE0000000000000000000A/);
    expect(frame).toMatch(/ {2}gate1 {10}PENDING {11}Gate 1: consecutive start\/stop cycles/);
    for (const gate of ['gate2', 'gate3', 'gate4', 'gate5', 'release']) expect(frame).toMatch(new RegExp(`  ${gate} +PENDING`));
    // The services table stays above it; the footer shows the gate keys.
    expect(frame).toContain('NAME');
    expect(frame.split('\n').at(-1)).toBe('g run gate  b blocker  B blockers  l log  S soak  G detail  ? help  q quit');
    await ui.press('G');
    expect(ui.frame()).not.toContain('── gates');
    expect(ui.frame()).toContain('── memory-engine :7010 running');
  });

  it('shows a running gate with its live progress, elapsed, ETA and the last failure in one line', async () => {
    const lastFailure = 'cycle 2: openclaw failed its health check: connect ECONNREFUSED 127.0.0.1:7040 after 3 retries and a very long explanation';
    const gates = new RecordingGates(deskSnapshot({ ...RUNNING, run: { runId: GATE1_RUN, gate: 'gate1', live: true, progress: progress({ lastFailure, failures: 1 }), problem: null } }));
    const ui = await renderConsole(new RecordingController(fleetSnapshot()), { gates, control: new FakeControl(runnerHolding('gate1', GATE1_RUN)) });
    const lines = ui.frame().split('\n');
    expect(ui.frame()).toContain('── gates · gate1 is running, followed from its journal ─');
    expect(lines).toContain(`  gate1          RUNNING           run ${GATE1_RUN}`);
    expect(lines).toContain('    cycle 3/10 · checks 712/2160 · failures 1 · zombies 0 · probing');
    expect(lines).toContain('    elapsed 1h02m · ETA 3h57m');
    const failure = lines.find((l) => l.startsWith('    last failure: '));
    expect(failure).toBe('    last failure: cycle 2: openclaw failed its health check: connect ECONNREFUS…');
    expect(failure?.length).toBe(80);
    // Everything fits at 80×24: the table, every gate, the progress lines and the footer.
    expect(lines.length).toBeLessThanOrEqual(23);
    expect(lines.every((l) => l.length <= 80)).toBe(true);
    expect(ui.frame()).toContain('api-gateway');
    expect(ui.frame()).toMatch(/ {2}release +PENDING/);
  });

  it('follows the progress as new snapshots arrive, then shows the verdict', async () => {
    const gates = new RecordingGates(deskSnapshot({ ...RUNNING, run: { runId: GATE1_RUN, gate: 'gate1', live: true, progress: null, problem: null } }));
    const ui = await renderConsole(new RecordingController(fleetSnapshot()), { gates, control: new FakeControl(runnerHolding('gate1', GATE1_RUN)) });
    expect(ui.frame()).toContain("    starting: waiting for the runner's first record");
    gates.setSnapshot(deskSnapshot({ ...RUNNING, run: { runId: GATE1_RUN, gate: 'gate1', live: true, progress: progress({ cycle: 1, checksDone: 12, elapsedMs: 7000, etaMs: 3000 }), problem: null } }));
    await ui.press();
    expect(ui.frame()).toContain('    cycle 1/10 · checks 12/2160 · failures 0 · zombies 0 · probing');
    expect(ui.frame()).toContain('    elapsed 7s · ETA 3s');
    const ended = progress({ cycle: 10, checksDone: 2160, elapsedMs: 12_000, etaMs: 0, ended: true, status: 'PASSED', phase: 'ended' });
    gates.setSnapshot(deskSnapshot({ runs: { [PRE_RUN]: run('prerequisites', 'PASSED'), [GATE1_RUN]: run('gate1', 'PASSED') }, run: { runId: GATE1_RUN, gate: 'gate1', live: false, progress: ended, problem: null } }));
    await ui.press();
    expect(ui.frame()).toContain(`  gate1          PASSED            took 12s · run ${GATE1_RUN}`);
    expect(ui.frame()).not.toContain('cycle 10/10');
  });

  it('says the next gate waits while another process still holds the fleet', async () => {
    const gates = new RecordingGates(deskSnapshot({ runs: { [PRE_RUN]: run('prerequisites', 'PASSED') } }));
    const control = new FakeControl(runnerHolding('prerequisites', PRE_RUN));
    const ui = await renderConsole(new RecordingController(fleetSnapshot()), { gates, control });
    expect(ui.frame()).toContain('── gates · next: gate1, once the fleet is free ─');
    control.set({ kind: 'controlling' });
    await ui.press();
    expect(ui.frame()).toContain('── gates · next: gate1, g runs it ─');
  });

  it('names a failed gate that waits for its blocker, with the failure, and trials as such', async () => {
    const gates = new RecordingGates(
      deskSnapshot({
        runs: {
          [PRE_RUN]: run('prerequisites', 'PASSED'),
          [GATE1_RUN]: run('gate1', 'FAILED', { trial: true, reasons: ['cycle 1, round 2: beta failed its health check (connect ECONNREFUSED)'] }),
        },
      }),
    );
    const ui = await renderConsole(new RecordingController(fleetSnapshot()), { gates });
    await ui.press('G');
    expect(ui.frame()).toContain('── gates · gate1 waits for its blocker: b ─');
    expect(ui.frame()).toContain('  gate1          BLOCKED trial     b documents it: cycle 1, round 2: beta faile…');
  });

  it('fits a small terminal', async () => {
    const desk = deskSnapshot({ ...RUNNING, run: { runId: GATE1_RUN, gate: 'gate1', live: true, progress: progress(), problem: null } });
    const control = new FakeControl(runnerHolding('gate1', GATE1_RUN));
    const small = await renderConsole(new RecordingController(fleetSnapshot()), { gates: new RecordingGates(desk), control, columns: 60, rows: 16 });
    const lines = small.frame().split('\n');
    expect(lines.length).toBeLessThanOrEqual(15);
    expect(lines.every((l) => l.length <= 60)).toBe(true);
    expect(small.frame()).toContain('    cycle 3/10 · checks 712/2160 · failures 0 · zombies 0 ·');
  });

  it('reads the journals after the first frame, and says why when the gates cannot be loaded', async () => {
    let fail: (error: Error) => void = () => {};
    const lazy = new LazyGateDesk(() => new Promise((_resolve, reject) => (fail = reject)));
    const ui = await renderConsole(new RecordingController(fleetSnapshot()), { gates: lazy });
    await ui.press('G');
    expect(ui.frame()).toContain('── gates · reading the journals… ─');
    await ui.press('g');
    expect(ui.frame()).toContain('idle · reading the gate states: the next gate is offered once read');
    lazy.start();
    fail(new Error('contracts/pipeline.phase3.json: gates[1].kind: expected one of preflight, start-stop-cycles\n  more'));
    await until(() => ui.frame().includes('── gates · unavailable ─'), 'the failure shown');
    // The g pressed while loading is answered once the states are in: here, why there are none.
    expect(ui.frame()).toContain('idle · the gates are unavailable: contracts/pipeline.phase3.json');
    expect(ui.frame()).toContain('! the gates are unavailable: contracts/pipeline.phase3.json: gates[1].kind: exp…');
    await ui.press('b');
    expect(ui.frame()).toContain('no failed gate waits for its blocker');
    lazy.stop();
  });

  it('keeps the running gate and drops later gates first when it is short', () => {
    const snapshot = deskSnapshot({ ...RUNNING, run: { runId: GATE1_RUN, gate: 'gate1', live: true, progress: progress(), problem: null } });
    const all = gatesPaneLines(snapshot, 80);
    expect(all).toHaveLength(11);
    const fitted = fitPaneLines(all, 7, 80).map((l) => l.text);
    expect(fitted).toHaveLength(7);
    expect(fitted[0]).toMatch(/^── gates/);
    expect(fitted).toContain('    cycle 3/10 · checks 712/2160 · failures 0 · zombies 0 · probing');
    expect(fitted).toContain('    last failure: none');
    expect(fitted.some((l) => l.includes('release'))).toBe(false);
    expect(fitted.at(-1)).toBe('  … 5 more lines (a taller terminal shows them)');
  });
});
