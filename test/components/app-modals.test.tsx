import { afterEach, describe, expect, it } from 'vitest';
import { cleanup } from 'ink-testing-library';
import { RecordingController } from './recording-controller.ts';
import { fleetSnapshot } from './snapshot-fixtures.ts';
import { KEYS, renderConsole } from './render-console.tsx';

afterEach(() => cleanup());

const QUESTION = 'Quit: stop the fleet (s), leave it running for the next console to adopt (l), or cancel (Esc)';
/** The prompt's text with its border and wrapping taken out. */
const promptText = (frame: string) =>
  frame
    .split('\n')
    .filter((l) => l.startsWith('│'))
    .map((l) => l.slice(1, -1).trim())
    .join(' ');

describe('help overlay', () => {
  it('opens with ?, lists the keys, and closes with Esc', async () => {
    const controller = new RecordingController(fleetSnapshot());
    const ui = await renderConsole(controller);
    await ui.press('?');
    const help = ui.frame();
    expect(help).toContain('── keys ──');
    expect(help).toMatch(/! x {7}stop the selected service/);
    expect(help).toMatch(/! R {7}kill leftovers and port holders proven ours/);
    expect(help).toMatch(/ {2}s {7}start the selected service/);
    expect(help).toMatch(/ {2}h {7}send the selected service its reload_signal/);
    // At 80×24 every key fits, down to the readers' line.
    expect(help).toMatch(/ {2}q {7}quit the console/);
    expect(help).toContain('log, B');
    expect(help).toContain('Esc or ? closes this help');
    expect(help).not.toContain('NAME');
    await ui.press(KEYS.escape);
    expect(ui.frame()).not.toContain('── keys ──');
    expect(ui.frame()).toContain('NAME');
  });

  it('takes the keys while open: x stops nothing', async () => {
    const controller = new RecordingController(fleetSnapshot());
    const ui = await renderConsole(controller);
    await ui.press('?', 'x', 'z', 'R', 'j', 'q');
    expect(controller.actions()).toEqual([]);
    expect(ui.frame()).toContain('── keys ──');
    expect(ui.frame()).toContain('Esc ? close help');
    await ui.press('?');
    expect(ui.frame()).not.toContain('── keys ──');
    // j was swallowed too: the selection did not move.
    expect(ui.frame()).toContain('› memory-engine');
    await ui.press('x');
    expect(controller.actions()).toEqual([{ method: 'stop', service: 'memory-engine' }]);
  });
});

describe('quit prompt', () => {
  it('asks what to do with the fleet; s chooses to stop it', async () => {
    const controller = new RecordingController(fleetSnapshot());
    const ui = await renderConsole(controller);
    await ui.press('q');
    expect(promptText(ui.frame())).toContain(QUESTION);
    expect(promptText(ui.frame())).toContain('6 of 6 services running.');
    await ui.press('s');
    expect(ui.quits).toEqual(['stop-fleet']);
    // The s went to the prompt, not to the panes.
    expect(controller.actions()).toEqual([]);
    expect(promptText(ui.frame())).toContain('Quitting: stopping the fleet…');
    // Once answered, no key does anything.
    await ui.press('l', 'x', KEYS.escape);
    expect(ui.quits).toEqual(['stop-fleet']);
    expect(controller.actions()).toEqual([]);
  });

  it('l leaves the fleet running', async () => {
    const controller = new RecordingController(fleetSnapshot());
    const ui = await renderConsole(controller);
    await ui.press('q', 'l');
    expect(ui.quits).toEqual(['leave-running']);
    expect(controller.actions()).toEqual([]);
  });

  it('Esc cancels and gives the keys back to the panes', async () => {
    const controller = new RecordingController(fleetSnapshot());
    const ui = await renderConsole(controller);
    await ui.press('q', 'x', 'r');
    expect(controller.actions()).toEqual([]);
    await ui.press(KEYS.escape);
    expect(ui.quits).toEqual([]);
    expect(promptText(ui.frame())).not.toContain('Quit:');
    await ui.press('x');
    expect(controller.actions()).toEqual([{ method: 'stop', service: 'memory-engine' }]);
  });

  it('handles keys that arrive together in one chunk in order, and ignores pasted text', async () => {
    const controller = new RecordingController(fleetSnapshot());
    const ui = await renderConsole(controller);
    // Three keypresses before React re-renders: each sees the selection the one before left.
    await ui.press(`${KEYS.down}${KEYS.down}x`);
    expect(controller.actions()).toEqual([{ method: 'stop', service: 'openclaw' }]);
    // Printable characters in one chunk are a paste, not keys: a pasted "qs" must not stop the fleet.
    await ui.press('qs', 'jjx');
    expect(ui.quits).toEqual([]);
    expect(controller.actions()).toEqual([{ method: 'stop', service: 'openclaw' }]);
  });
});
