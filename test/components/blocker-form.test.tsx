// b: the blocker form — what failed pre-filled from the failed run's verdict, typing and
// moving between fields, the required fields, the remediation plan after two failures in
// a row, submission with the record's payload, a refused recording, and Esc.
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup } from 'ink-testing-library';
import { RecordingController } from './recording-controller.ts';
import { fleetSnapshot } from './snapshot-fixtures.ts';
import { KEYS, renderConsole, until } from './render-console.tsx';
import { RecordingGates } from './recording-gates.ts';
import { blockerEntry, deskSnapshot, GATE1_RUN, PRE_RUN, run } from './gate-fixtures.ts';

afterEach(() => cleanup());

const REASONS = ['cycle 1, round 2: beta failed its health check (connect ECONNREFUSED)', 'cycle 1: 1 health check failed (max 0)'];
const EARLIER_RUN = '01JGATE0000000000000000000';

function failedOnce() {
  return deskSnapshot({ runs: { [PRE_RUN]: run('prerequisites', 'PASSED'), [GATE1_RUN]: run('gate1', 'FAILED', { reasons: REASONS }) } });
}

function failedTwice() {
  return deskSnapshot({
    runs: {
      [PRE_RUN]: run('prerequisites', 'PASSED'),
      [EARLIER_RUN]: run('gate1', 'FAILED', { started_at: '2025-01-01T10:00:00.000Z', reasons: ['cycle 2: alpha left pid 999 behind'] }),
      [GATE1_RUN]: run('gate1', 'FAILED', { reasons: REASONS }),
    },
    blockers: [blockerEntry('gate1', EARLIER_RUN, { what_failed: 'an orphan', root_cause: 'worker not reaped', fix: 'reap the worker on SIGTERM' })],
  });
}

/** One key per write, as a person types: several characters in one write are a paste. */
async function type(ui: Awaited<ReturnType<typeof renderConsole>>, text: string): Promise<void> {
  await ui.press(...text.split(''));
}

describe('the blocker form', () => {
  it('opens with b, pre-filled with what failed from the evidence, the cursor on the root cause', async () => {
    const controller = new RecordingController(fleetSnapshot());
    const gates = new RecordingGates(failedOnce());
    const ui = await renderConsole(controller, { gates });
    await ui.press('b');
    const lines = ui.frame().split('\n');
    expect(ui.frame()).toContain(`── blocker of gate1 run ${GATE1_RUN} ───`);
    expect(lines).toContain('  Gate 1: consecutive start/stop cycles · FAILED');
    expect(lines).toContain('  What failed (from the evidence; blank keeps it)');
    expect(lines).toContain('    cycle 1, round 2: beta failed its health check (connect ECONNREFUSED); cycle');
    expect(lines).toContain('  Root cause *');
    expect(lines).toContain('  › ▏');
    expect(lines).toContain('  Fix *');
    expect(ui.frame()).not.toContain('Remediation');
    expect(lines.at(-1)).toBe('Tab ↓ next  ⇧Tab ↑ back  Enter next/submit  Ctrl-S submit  Esc cancel');
    // Letters are typing in the form, never fleet keys.
    await type(ui, 'xzR');
    expect(controller.actions()).toEqual([]);
    expect(lines.length).toBeLessThanOrEqual(23);
  });

  it('types into the focused field, moves with Tab, ↑/↓ and Enter, and submits the payload on the last field', async () => {
    const gates = new RecordingGates(failedOnce());
    const ui = await renderConsole(new RecordingController(fleetSnapshot()), { gates });
    await ui.press('b');
    await type(ui, 'port reused');
    await ui.press(KEYS.backspace, KEYS.backspace, KEYS.backspace, KEYS.backspace, KEYS.backspace, KEYS.backspace);
    await type(ui, 'held');
    expect(ui.frame()).toContain('  › port held▏');
    await ui.press(KEYS.enter);
    await type(ui, 'wait for the port');
    // Back to the root cause and down again keeps what was typed.
    await ui.press(KEYS.up);
    expect(ui.frame()).toContain('  › port held▏');
    expect(ui.frame()).toContain('    wait for the port');
    await ui.press(KEYS.tab);
    expect(gates.calls).toEqual([]);
    // Enter on the last field submits.
    await ui.press(KEYS.enter);
    await until(() => gates.calls.length === 1, 'the blocker submitted');
    expect(gates.calls).toEqual([
      {
        method: 'documentBlocker',
        payload: { gate: 'gate1', run_id: GATE1_RUN, what_failed: REASONS.join('; '), root_cause: 'port held', fix: 'wait for the port' },
      },
    ]);
    await until(() => !ui.frame().includes('Root cause *'), 'the form closed');
    expect(ui.frame()).toContain(`blocker recorded for gate1 run ${GATE1_RUN}`);
    expect(ui.frame()).toContain('── gates ·');
  });

  it('refuses to submit without a root cause or a fix, and says which', async () => {
    const gates = new RecordingGates(failedOnce());
    const ui = await renderConsole(new RecordingController(fleetSnapshot()), { gates });
    await ui.press('b', KEYS.ctrlS);
    expect(ui.frame()).toContain('  ! Root cause is required: why it failed');
    expect(ui.frame()).toContain('  › ▏');
    await type(ui, 'a leak');
    await ui.press(KEYS.ctrlS);
    expect(ui.frame()).toContain('  ! Fix is required: what was changed so it does not fail again');
    // The cursor went to the field to fill in.
    expect(ui.frame()).toContain('    a leak');
    // Blanks are not text.
    await type(ui, '   ');
    await ui.press(KEYS.ctrlS);
    expect(ui.frame()).toContain('  ! Fix is required');
    expect(gates.calls).toEqual([]);
  });

  it('asks for the remediation plan after two failures in a row', async () => {
    const gates = new RecordingGates(failedTwice());
    const ui = await renderConsole(new RecordingController(fleetSnapshot()), { gates });
    await ui.press('b');
    expect(ui.frame()).toContain('  Gate 1: consecutive start/stop cycles · FAILED, 2 times in a row');
    expect(ui.frame()).toContain('  Remediation * (the plan before a third attempt)');
    await type(ui, 'leak');
    await ui.press(KEYS.tab);
    await type(ui, 'close it');
    await ui.press(KEYS.ctrlS);
    expect(ui.frame()).toContain('  ! Remediation is required: gate1 failed 2 times in a row');
    await type(ui, 'soak for 1h first');
    await ui.press(KEYS.ctrlS);
    await until(() => gates.calls.length === 1, 'the blocker submitted');
    expect(gates.calls[0]).toEqual({
      method: 'documentBlocker',
      payload: { gate: 'gate1', run_id: GATE1_RUN, what_failed: REASONS.join('; '), root_cause: 'leak', fix: 'close it', remediation: 'soak for 1h first' },
    });
  });

  it('keeps the form open with the reason when the record is refused', async () => {
    const gates = new RecordingGates(failedOnce());
    gates.failures.set('documentBlocker', 'cannot record the blocker action in the operator journal (EACCES)');
    const ui = await renderConsole(new RecordingController(fleetSnapshot()), { gates });
    await ui.press('b');
    await type(ui, 'r');
    await ui.press(KEYS.tab);
    await type(ui, 'f');
    await ui.press(KEYS.enter);
    await until(() => ui.frame().includes('! not recorded: cannot record the blocker action'), 'the refusal');
    expect(ui.frame()).toContain('Root cause *');
  });

  it('Esc cancels: nothing is recorded and the panes come back', async () => {
    const gates = new RecordingGates(failedOnce());
    const ui = await renderConsole(new RecordingController(fleetSnapshot()), { gates });
    await ui.press('b');
    await type(ui, 'half a thought');
    await ui.press(KEYS.escape);
    expect(ui.frame()).not.toContain('Root cause *');
    expect(ui.frame()).toContain('NAME');
    expect(ui.frame()).toContain('blocker form closed: nothing recorded');
    expect(gates.calls).toEqual([]);
    // Opened again, it starts afresh.
    await ui.press('b');
    expect(ui.frame()).not.toContain('half a thought');
  });

  it('edits the pre-filled text where the cursor is, and takes a paste whole', async () => {
    const gates = new RecordingGates(failedOnce());
    const ui = await renderConsole(new RecordingController(fleetSnapshot()), { gates });
    await ui.press('b', KEYS.shiftTab);
    // The cursor is at the end of the pre-filled text: the field shows its end.
    expect(ui.frame()).toContain('failed (max 0)▏');
    await ui.press('\u0015');
    expect(ui.frame()).toContain('  › ▏');
    await ui.press('beta stopped answering\nin cycle 1');
    expect(ui.frame()).toContain('  › beta stopped answering in cycle 1▏');
    await ui.press(KEYS.tab);
    await type(ui, 'r');
    await ui.press(KEYS.tab);
    await type(ui, 'f');
    await ui.press(KEYS.ctrlS);
    await until(() => gates.calls.length === 1, 'the blocker submitted');
    expect(gates.calls[0]).toMatchObject({ payload: { what_failed: 'beta stopped answering in cycle 1' } });
  });

  it('says so when no gate waits for a blocker', async () => {
    const gates = new RecordingGates(deskSnapshot({ runs: { [PRE_RUN]: run('prerequisites', 'PASSED') } }));
    const ui = await renderConsole(new RecordingController(fleetSnapshot()), { gates });
    await ui.press('b');
    expect(ui.frame()).toContain('idle · no failed gate waits for its blocker');
    expect(ui.frame()).not.toContain('Root cause');
  });
});
