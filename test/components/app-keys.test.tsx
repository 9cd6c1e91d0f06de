import { afterEach, describe, expect, it } from 'vitest';
import { cleanup } from 'ink-testing-library';
import { RecordingController } from './recording-controller.ts';
import { fleetSnapshot } from './snapshot-fixtures.ts';
import { KEYS, renderConsole, tick } from './render-console.tsx';

afterEach(() => cleanup());

const selectedRow = (frame: string) => frame.split('\n').find((l) => l.startsWith('› ')) ?? '';
const detailTitle = (frame: string) => frame.split('\n').find((l) => l.startsWith('── ') && !l.startsWith('── log')) ?? '';

describe('keys', () => {
  it('j/k and the arrows move the selection, and the detail pane follows', async () => {
    const ui = await renderConsole(new RecordingController(fleetSnapshot()));
    expect(selectedRow(ui.frame())).toContain('memory-engine');
    expect(detailTitle(ui.frame())).toContain('memory-engine :7010');

    await ui.press('j');
    expect(selectedRow(ui.frame())).toContain('model-router');
    expect(detailTitle(ui.frame())).toContain('model-router :7020');

    await ui.press(KEYS.down, KEYS.down);
    expect(selectedRow(ui.frame())).toContain('pipecat');
    expect(detailTitle(ui.frame())).toContain('pipecat :7040');
    expect(ui.frame()).toContain('node pipecat.ts');

    await ui.press('k');
    expect(selectedRow(ui.frame())).toContain('openclaw');
    await ui.press(KEYS.up, KEYS.up, KEYS.up);
    expect(selectedRow(ui.frame())).toContain('memory-engine');

    for (let i = 0; i < 8; i++) await ui.press('j');
    expect(selectedRow(ui.frame())).toContain('api-gateway');
    expect(ui.frame().split('\n').filter((l) => l.startsWith('› '))).toHaveLength(1);
  });

  it('s, x and r act on the selected service; a, z and R on the fleet', async () => {
    const controller = new RecordingController(fleetSnapshot());
    const ui = await renderConsole(controller);
    await ui.press('j', 'j', 's');
    await ui.press('x');
    await ui.press('j', 'r');
    await ui.press('a', 'z', 'R');
    expect(controller.actions()).toEqual([
      { method: 'start', service: 'openclaw' },
      { method: 'stop', service: 'openclaw' },
      { method: 'restart', service: 'pipecat' },
      { method: 'startAll' },
      { method: 'stopAll' },
      { method: 'reapOurs' },
    ]);
  });

  it('h reloads the selected service, and says why when it cannot', async () => {
    const controller = new RecordingController(fleetSnapshot());
    const ui = await renderConsole(controller, { columns: 120 });
    expect(ui.frame().split('\n').at(-1)).toContain('h reload');
    await ui.press('j', 'h');
    expect(controller.actions()).toEqual([{ method: 'reload', service: 'model-router' }]);
    await tick();
    expect(ui.frame()).toContain('reload model-router: done');
    controller.failures.set('reload', 'openclaw declares no reload_signal in the contract');
    await ui.press('j', 'h');
    await tick();
    expect(ui.frame().split('\n').at(-2)).toBe('idle · reload openclaw failed: openclaw declares no reload_signal in the contract');
  });

  it('shows a rejected action in the footer and keeps working', async () => {
    const controller = new RecordingController(fleetSnapshot());
    controller.failures.set('start', 'port 7020 held by pid 4242 node x.js\n    at stack frame');
    const ui = await renderConsole(controller);
    await ui.press('s');
    await tick();
    const footer = ui.frame().split('\n').at(-2);
    expect(footer).toBe('idle · start memory-engine failed: port 7020 held by pid 4242 node x.js');
    await ui.press('j', 'x');
    expect(controller.actions().at(-1)).toEqual({ method: 'stop', service: 'model-router' });
    await tick();
    expect(ui.frame()).toContain('stop model-router: done');
  });

  it('does not wait for a slow action before handling the next key', async () => {
    const controller = new RecordingController(fleetSnapshot());
    controller.stop = (service: string) => {
      controller.calls.push({ method: 'stop', service });
      return new Promise<void>(() => {});
    };
    const ui = await renderConsole(controller);
    await ui.press('x');
    expect(ui.frame()).toContain('stop memory-engine…');
    await ui.press('j', 'j');
    expect(selectedRow(ui.frame())).toContain('openclaw');
  });

  it('shows what the supervisor is doing', async () => {
    const controller = new RecordingController(fleetSnapshot({ activity: 'starting memory-engine' }));
    const ui = await renderConsole(controller);
    expect(ui.frame().split('\n').at(-2)).toBe('starting memory-engine');
  });

  it('keeps the selection on the same service when the list changes order', async () => {
    const controller = new RecordingController(fleetSnapshot());
    const ui = await renderConsole(controller);
    await ui.press('j', 'j');
    const snapshot = controller.getSnapshot();
    controller.setSnapshot({ ...snapshot, services: [...snapshot.services].reverse() });
    await tick();
    expect(selectedRow(ui.frame())).toContain('openclaw');
    await ui.press('s');
    expect(controller.actions()).toEqual([{ method: 'start', service: 'openclaw' }]);
  });
});
