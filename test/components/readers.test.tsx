// l shows the execution log and B the blockers documented, over the panes, scrollable
// with ↑/↓/PgUp/PgDn and closed with Esc or q.
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup } from 'ink-testing-library';
import { RecordingController } from './recording-controller.ts';
import { fleetSnapshot } from './snapshot-fixtures.ts';
import { KEYS, renderConsole, until } from './render-console.tsx';
import { RecordingGates } from './recording-gates.ts';
import { blockerEntry, deskSnapshot, GATE1_RUN, PRE_RUN, run } from './gate-fixtures.ts';

afterEach(() => cleanup());

const LONG_LOG = ['# Execution log: phase 3 hardening 1.0.0', '', ...Array.from({ length: 60 }, (_, i) => `- entry ${i + 1}`)].join('\n');

describe('the execution log', () => {
  it('opens with l, scrolls by line and by page, and closes with Esc or q', async () => {
    const controller = new RecordingController(fleetSnapshot());
    const gates = new RecordingGates(deskSnapshot());
    gates.log = LONG_LOG;
    const ui = await renderConsole(controller, { gates });
    await ui.press('l');
    await until(() => ui.frame().includes('- entry 1\n'), 'the log read');
    expect(gates.calls).toEqual([{ method: 'executionLog' }]);
    expect(ui.frame()).toMatch(/── execution log · 1–18 of 62 ─+/);
    expect(ui.frame()).toContain('# Execution log: phase 3 hardening 1.0.0');
    expect(ui.frame().split('\n').at(-1)).toBe('↑↓ scroll  PgUp page up  PgDn page down  Esc q close');
    await ui.press(KEYS.down, KEYS.down);
    expect(ui.frame()).toMatch(/── execution log · 3–20 of 62 ─/);
    await ui.press(KEYS.pageDown);
    expect(ui.frame()).toMatch(/── execution log · 20–37 of 62 ─/);
    await ui.press(KEYS.pageDown, KEYS.pageDown, KEYS.pageDown);
    // No further than the last page.
    expect(ui.frame()).toMatch(/── execution log · 45–62 of 62 ─/);
    expect(ui.frame()).toContain('- entry 60');
    await ui.press(KEYS.pageUp);
    expect(ui.frame()).toMatch(/── execution log · 28–45 of 62 ─/);
    // Keys are the reader's: x stops nothing.
    await ui.press('x');
    expect(controller.actions()).toEqual([]);
    await ui.press(KEYS.escape);
    expect(ui.frame()).not.toContain('execution log');
    expect(ui.frame()).toContain('NAME');
    await ui.press('l');
    await until(() => ui.frame().includes('── execution log · 1–18'), 'the log read again');
    await ui.press('q');
    expect(ui.frame()).not.toContain('execution log');
    expect(ui.quits).toEqual([]);
  });

  it('says why when the log cannot be read', async () => {
    const gates = new RecordingGates(deskSnapshot());
    gates.failures.set('executionLog', 'the journal in /artifacts/x no longer continues what was read');
    const ui = await renderConsole(new RecordingController(fleetSnapshot()), { gates });
    await ui.press('l');
    await until(() => ui.frame().includes('the execution log could not be read: the journal in /artifacts/x'), 'the reason');
  });
});

describe('the blocker list', () => {
  it('lists the blockers documented, newest first, with what failed, why and the fix', async () => {
    const gates = new RecordingGates(
      deskSnapshot({
        runs: { [PRE_RUN]: run('prerequisites', 'PASSED'), [GATE1_RUN]: run('gate1', 'FAILED', { reasons: ['beta failed'] }) },
        blockers: [
          blockerEntry('gate1', GATE1_RUN, {
            what_failed: 'beta failed its health check',
            root_cause: 'beta bound its port before its database was ready',
            fix: 'the health check waits for the database',
          }),
        ],
      }),
    );
    const ui = await renderConsole(new RecordingController(fleetSnapshot()), { gates });
    await ui.press('B');
    const frame = ui.frame();
    expect(frame).toContain('── blockers documented (1) ─');
    expect(frame).toContain(`2025-01-01T11:45:00.000Z · gate1 run ${GATE1_RUN} · by alice`);
    expect(frame).toContain('  what failed: beta failed its health check');
    expect(frame).toContain('  root cause:  beta bound its port before its database was ready');
    expect(frame).toContain('  fix:         the health check waits for the database');
    await ui.press(KEYS.escape);
    expect(ui.frame()).not.toContain('blockers documented');
  });

  it('says none is documented yet', async () => {
    const ui = await renderConsole(new RecordingController(fleetSnapshot()), { gates: new RecordingGates(deskSnapshot()) });
    await ui.press('B');
    expect(ui.frame()).toContain('no blocker documented yet');
  });
});
