import { afterEach, describe, expect, it } from 'vitest';
import { cleanup } from 'ink-testing-library';
import type { FleetSnapshot } from '../../src/telemetry/fleet-snapshot.ts';
import { RecordingController } from './recording-controller.ts';
import { fleetSnapshot, NOW, SERVICE_NAMES, withService } from './snapshot-fixtures.ts';
import { KEYS, renderConsole, tick, until } from './render-console.tsx';

afterEach(() => cleanup());

/** Everything that makes the frame taller: leftovers, a port holder, an error, a deep tree, long logs. */
function crowdedFleet(): { snapshot: FleetSnapshot; logs: Map<string, string[]> } {
  let snapshot = fleetSnapshot({
    leftovers: [
      { kind: 'orphan', service: 'openclaw', pid: 123, ppid: 1, command: 'node worker.js', port: null, ours: true, proof: { kind: 'tag' } },
      { kind: 'defunct', service: 'eva-os', pid: 124, ppid: 4140, command: '', port: null, ours: true, proof: { kind: 'tag' } },
    ],
    leftoversCheckedAt: NOW,
    activity: 'restarting pipecat after it exited with code 1 and a very long explanation that goes on',
  });
  snapshot = withService(snapshot, 'model-router', {
    state: 'failed',
    pid: null,
    tree: [],
    lastError: `failed to start: ${'x'.repeat(200)}`,
    portHolder: { port: 7010, pid: 4242, command: `node ${'/very/long/path'.repeat(10)}/x.js`, ours: true, proof: { kind: 'tag' } },
  });
  snapshot = withService(snapshot, 'memory-engine', {
    lastError: 'exited with code 1 after 3 restarts in 60 s',
    tree: Array.from({ length: 12 }, (_, i) => ({
      pid: 4100 + i,
      ppid: i === 0 ? 1000 : 4100 + i - 1,
      command: `node worker-${i}.js ${'--flag '.repeat(20)}`,
      cpuPercent: i,
      rssBytes: 1024 * 1024 * i,
      state: 'S',
    })),
  });
  const logs = new Map<string, string[]>();
  for (const name of SERVICE_NAMES) {
    logs.set(
      name,
      Array.from({ length: 500 }, (_, i) => `\u001B[32m${name}\u001B[0m line ${i}\t${'lorem ipsum '.repeat(30)}`),
    );
  }
  return { snapshot, logs };
}

function expectFits(frame: string, columns: number, rows: number): void {
  const lines = frame.split('\n');
  expect(lines.length).toBeLessThanOrEqual(rows - 1);
  for (const line of lines) expect([...line].length, line).toBeLessThanOrEqual(columns);
}

describe('fitting the terminal', () => {
  it('fits 80×24 with six services, leftovers, a port holder, errors and a long log tail', async () => {
    const { snapshot, logs } = crowdedFleet();
    const controller = new RecordingController(snapshot);
    controller.logs = logs;
    const ui = await renderConsole(controller, { columns: 80, rows: 24 });
    await until(() => ui.frame().includes('memory-engine line 499'), 'the log tail');
    const frame = ui.frame();
    expectFits(frame, 80, 24);
    expect(frame.split('\n')).toHaveLength(23);
    for (const name of SERVICE_NAMES) expect(frame).toContain(name);
    // The log tail shows only the newest lines, and asks for exactly as many as it shows.
    expect(frame).not.toContain('line 490');
    const shown = frame.split('\n').filter((l) => l.startsWith('memory-engine line')).length;
    expect(shown).toBeGreaterThan(0);
    expect(controller.watching).toEqual({ service: 'memory-engine', lines: shown });
    expect(frame).toContain(`memory-engine line ${500 - shown} `);
    // The tree is capped and says how much is hidden.
    expect(frame).toMatch(/… \d+ more processes/);
    // Every mode fits too; the tail follows the selection.
    await ui.press('j');
    expectFits(ui.frame(), 80, 24);
    expect(ui.frame()).toContain('model-router line 499');
    expect(ui.frame()).not.toContain('memory-engine line');
    expect(controller.watching?.service).toBe('model-router');
    await ui.press('?');
    expectFits(ui.frame(), 80, 24);
    await ui.press(KEYS.escape, 'q');
    expectFits(ui.frame(), 80, 24);
    expect(ui.frame()).toContain('Quit: stop the fleet (s)');
  });

  it('uses the extra room of a larger terminal and fits again after shrinking', async () => {
    const { snapshot, logs } = crowdedFleet();
    const controller = new RecordingController(snapshot);
    controller.logs = logs;
    const ui = await renderConsole(controller, { columns: 80, rows: 24 });
    await until(() => ui.frame().includes('memory-engine line 499'), 'the log tail');
    const logLines = (frame: string) => frame.split('\n').filter((l) => l.startsWith('memory-engine line')).length;
    const small = logLines(ui.frame());

    ui.resize(160, 50);
    await until(() => logLines(ui.frame()) > small, 'a longer log tail');
    expectFits(ui.frame(), 160, 50);
    expect(ui.frame().split('\n')).toHaveLength(49);
    expect(ui.frame()).toContain('R reaps 2 ours');
    expect(controller.watching).toEqual({ service: 'memory-engine', lines: logLines(ui.frame()) });

    ui.resize(80, 24);
    await until(() => logLines(ui.frame()) === small && controller.watchCalls().length === 3, 'the log tail back to its 80×24 length');
    expectFits(ui.frame(), 80, 24);
    expect(logLines(ui.frame())).toBe(small);
    // One watchLog per size, none per snapshot.
    expect(controller.watchCalls().map((c) => c.lines)).toEqual([small, expect.any(Number), small]);
  });

  it('scrolls the table on a short terminal and keeps the selected service in view', async () => {
    const base = fleetSnapshot();
    const many = Array.from({ length: 20 }, (_, i) => ({ ...base.services[i % 6]!, name: `service-${String(i).padStart(2, '0')}` }));
    const ui = await renderConsole(new RecordingController({ ...base, services: many }), { columns: 80, rows: 24 });
    expectFits(ui.frame(), 80, 24);
    for (let i = 0; i < 17; i++) await ui.press('j');
    const frame = ui.frame();
    expectFits(frame, 80, 24);
    expect(frame).toContain('› service-17');
    expect(frame).toMatch(/\d+–\d+ of 20/);
  });

  it('asks for a larger terminal below 40×12 instead of overflowing', async () => {
    const ui = await renderConsole(new RecordingController(fleetSnapshot()), { columns: 30, rows: 10 });
    expect(ui.frame().replace(/\s+/g, ' ').trim()).toBe('evident needs 40×12, this terminal is 30×10 (q quits)');
    expectFits(ui.frame(), 30, 10);
    await ui.press('q');
    expect(ui.frame().replace(/\s+/g, ' ').trim()).toBe('Quit: stop the fleet (s), leave it running for the next console to adopt (l), or cancel (Esc)');
    expectFits(ui.frame(), 30, 10);
    await ui.press('l');
    expect(ui.quits).toEqual(['leave-running']);
  });

  it('fits at the smallest supported size', async () => {
    const { snapshot, logs } = crowdedFleet();
    const controller = new RecordingController(snapshot);
    controller.logs = logs;
    const ui = await renderConsole(controller, { columns: 40, rows: 12 });
    await tick(50);
    expectFits(ui.frame(), 40, 12);
    await ui.press('?');
    expectFits(ui.frame(), 40, 12);
    await ui.press(KEYS.escape, 'q');
    expectFits(ui.frame(), 40, 12);
  });
});
