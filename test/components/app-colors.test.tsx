import { afterEach, describe, expect, it, vi } from 'vitest';

// Make Ink's colour library emit colours even though the test's stdout is not a terminal,
// so that "no escape codes with colors=false" is a claim that could fail.
vi.hoisted(() => {
  process.env.FORCE_COLOR = '1';
});

const { cleanup } = await import('ink-testing-library');
const { RecordingController } = await import('./recording-controller.ts');
const { fleetSnapshot, NOW, SERVICE_NAMES, withService } = await import('./snapshot-fixtures.ts');
const { renderConsole, until } = await import('./render-console.tsx');

afterEach(() => cleanup());

const ESC = '\u001B';

function colourfulFleet() {
  let snapshot = fleetSnapshot({
    leftovers: [{ kind: 'orphan', service: 'openclaw', pid: 123, ppid: 1, command: 'node worker.js', port: null, ours: true, proof: { kind: 'tag' } }],
    leftoversCheckedAt: NOW,
  });
  snapshot = withService(snapshot, 'memory-engine', { state: 'unhealthy', lastError: 'healthz answered 500' });
  snapshot = withService(snapshot, 'pipecat', { state: 'starting' });
  const controller = new RecordingController(snapshot);
  // A service that prints its own colours: they must not reach a NO_COLOR screen either.
  for (const name of SERVICE_NAMES) controller.logs.set(name, [`${ESC}[31m${name} says hello in red${ESC}[0m`, `${ESC}]0;window title${ESC}\\plain`]);
  return controller;
}

describe('colours', () => {
  it('colours states when colours are on', async () => {
    const ui = await renderConsole(colourfulFleet(), { colors: true });
    await until(() => ui.frame().includes('memory-engine says hello'), 'the log tail');
    expect(ui.frame()).toContain(ESC);
    // running is green (32), unhealthy red (31), starting yellow (33).
    expect(ui.frame()).toMatch(/\u001B\[32mrunning/);
    expect(ui.frame()).toMatch(/\u001B\[31munhealthy/);
    expect(ui.frame()).toMatch(/\u001B\[33mstarting/);
  });

  it('emits no escape code at all when colours are off, in any mode', async () => {
    const ui = await renderConsole(colourfulFleet(), { colors: false });
    await until(() => ui.frame().includes('memory-engine says hello in red'), 'the log tail');
    expect(ui.frame()).not.toContain(ESC);
    expect(ui.frame()).toContain('plain');
    await ui.press('?');
    expect(ui.frame()).toContain('── keys');
    expect(ui.frame()).not.toContain(ESC);
    await ui.press('?', 'q');
    expect(ui.frame()).toContain('Quit:');
    expect(ui.frame()).not.toContain(ESC);
    for (const frame of ui.frames) expect(frame).not.toContain(ESC);
  });
});
