import { Profiler } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { Text } from 'ink';
import { cleanup, render } from 'ink-testing-library';
import { App } from '../../components/App.tsx';
import { useLogTail } from '../../components/hooks/use-log-tail.ts';
import type { FleetController } from '../../src/supervisor/fleet-controller.ts';
import type { FleetSnapshot } from '../../src/telemetry/fleet-snapshot.ts';
import { RecordingController } from './recording-controller.ts';
import { FakeControl, RecordingGates } from './recording-gates.ts';
import { fleetSnapshot, NOW } from './snapshot-fixtures.ts';
import { tick, until } from './render-console.tsx';

afterEach(() => cleanup());

function Tail({ controller, service, lines }: { controller: FleetController; service: string | null; lines: number }) {
  const tail = useLogTail(controller, service, lines);
  return <Text>{`${tail.loaded ? 'loaded' : 'loading'}|${tail.lines.join('/')}`}</Text>;
}

/** A controller whose snapshots carry a fixed log, whatever is watched. */
function fixedLogController(log: FleetSnapshot['log']): RecordingController {
  const controller = new RecordingController(fleetSnapshot());
  const snapshot = { ...fleetSnapshot(), log };
  controller.getSnapshot = () => snapshot;
  return controller;
}

describe('useLogTail', () => {
  it('watches the service once and shows the tail each published snapshot carries, sanitised', async () => {
    const controller = new RecordingController(fleetSnapshot());
    controller.logs.set('openclaw', ['a', 'b', 'c']);
    const ui = render(<Tail controller={controller} service="openclaw" lines={2} />);
    await until(() => ui.lastFrame() === 'loaded|b/c', 'the first tail');
    expect(controller.watching).toEqual({ service: 'openclaw', lines: 2 });

    // New output reaches the pane with the next snapshot (the supervisor's tick), not before.
    controller.logs.set('openclaw', ['a', 'b', 'c', 'd\u001B[1m!\u001B[0m']);
    await tick(50);
    expect(ui.lastFrame()).toBe('loaded|b/c');
    controller.setSnapshot({ ...fleetSnapshot(), at: NOW + 1000 });
    await until(() => ui.lastFrame() === 'loaded|c/d!', 'the tail of the next snapshot');
    expect(controller.watchCalls()).toEqual([{ method: 'watchLog', service: 'openclaw', lines: 2 }]);
  });

  it('keeps at most the requested lines even when the snapshot carries more', async () => {
    const controller = fixedLogController({ service: 'openclaw', lines: Array.from({ length: 100 }, (_, i) => String(i)) });
    const ui = render(<Tail controller={controller} service="openclaw" lines={3} />);
    await until(() => ui.lastFrame() === 'loaded|97/98/99', 'the tail');
  });

  it('ignores a tail that belongs to another service', async () => {
    const controller = fixedLogController({ service: 'pipecat', lines: ['cat'] });
    const ui = render(<Tail controller={controller} service="openclaw" lines={3} />);
    await tick(50);
    expect(ui.lastFrame()).toBe('loading|');
  });

  it('shows a missing or empty log as loaded with no lines', async () => {
    const controller = new RecordingController(fleetSnapshot());
    const ui = render(<Tail controller={controller} service="openclaw" lines={3} />);
    await until(() => ui.lastFrame() === 'loaded|', 'the empty tail');
  });

  it('follows a change of service or size with one watchLog call each, and stops on unmount', async () => {
    const controller = new RecordingController(fleetSnapshot());
    controller.logs.set('openclaw', ['claw']);
    controller.logs.set('pipecat', ['cat1', 'cat2', 'cat3']);
    const ui = render(<Tail controller={controller} service="openclaw" lines={3} />);
    await until(() => ui.lastFrame() === 'loaded|claw', 'the first service');

    ui.rerender(<Tail controller={controller} service="pipecat" lines={3} />);
    expect(ui.lastFrame()).not.toContain('claw');
    await until(() => ui.lastFrame() === 'loaded|cat1/cat2/cat3', 'the second service');

    ui.rerender(<Tail controller={controller} service="pipecat" lines={1} />);
    await until(() => ui.lastFrame() === 'loaded|cat3', 'the smaller tail');
    // The same arguments again change nothing.
    ui.rerender(<Tail controller={controller} service="pipecat" lines={1} />);
    await tick(30);

    ui.unmount();
    expect(controller.watchCalls().map((c) => [c.service, c.lines])).toEqual([
      ['openclaw', 3],
      ['pipecat', 3],
      ['pipecat', 1],
      [null, 0],
    ]);
    expect(controller.watching).toBeNull();
  });

  it('watches nothing when nothing is shown, and stops watching when the pane has no room left', async () => {
    const controller = new RecordingController(fleetSnapshot());
    render(<Tail controller={controller} service={null} lines={3} />);
    render(<Tail controller={controller} service="openclaw" lines={0} />);
    await tick(60);
    expect(controller.watchCalls()).toHaveLength(0);

    const ui = render(<Tail controller={controller} service="openclaw" lines={2} />);
    await until(() => ui.lastFrame() === 'loaded|', 'the watched tail');
    ui.rerender(<Tail controller={controller} service="openclaw" lines={0} />);
    await tick(30);
    expect(ui.lastFrame()).toBe('loading|');
    expect(controller.watchCalls().map((c) => [c.service, c.lines])).toEqual([
      ['openclaw', 2],
      [null, 0],
    ]);
    ui.unmount();
    expect(controller.watchCalls()).toHaveLength(2);
  });
});

describe('the console and the log tail', () => {
  it('renders once per published snapshot, and never on a timer of its own', async () => {
    const controller = new RecordingController(fleetSnapshot());
    controller.logs.set('memory-engine', ['booted']);
    let commits = 0;
    const ui = render(
      <Profiler id="console" onRender={() => commits++}>
        <App controller={controller} gates={new RecordingGates()} control={new FakeControl()} onQuit={() => {}} colors={false} />
      </Profiler>,
    );
    await until(() => (ui.lastFrame() ?? '').includes('booted'), 'the log tail');

    // Output written between ticks waits for the next snapshot: no render of its own
    // (a pane polling the log on a timer would render it within a second).
    let before = { commits, frames: ui.frames.length };
    controller.logs.set('memory-engine', ['booted', 'between ticks']);
    await tick(1300);
    expect({ commits, frames: ui.frames.length }).toEqual(before);
    expect(ui.lastFrame()).not.toContain('between ticks');

    // Five ticks, each with new output: five renders, each showing the new line.
    before = { commits, frames: ui.frames.length };
    for (let i = 1; i <= 5; i++) {
      controller.logs.set('memory-engine', ['booted', `request ${i}`]);
      controller.setSnapshot({ ...fleetSnapshot(), at: NOW + i * 1000 });
      await tick(30);
      expect(ui.lastFrame()).toContain(`request ${i}`);
    }
    expect(commits - before.commits).toBe(5);
    expect(ui.frames.length - before.frames).toBe(5);
    // The tail was asked for once; the ticks brought it.
    expect(controller.watchCalls()).toHaveLength(1);
  });
});
