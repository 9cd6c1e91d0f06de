import { afterEach, describe, expect, it } from 'vitest';
import { Text } from 'ink';
import { cleanup, render } from 'ink-testing-library';
import { useLogTail } from '../../components/hooks/use-log-tail.ts';
import type { FleetController } from '../../src/supervisor/fleet-controller.ts';
import { RecordingController } from './recording-controller.ts';
import { fleetSnapshot } from './snapshot-fixtures.ts';
import { tick, until } from './render-console.tsx';

afterEach(() => cleanup());

function Tail({ controller, service, lines, intervalMs }: { controller: FleetController; service: string | null; lines: number; intervalMs: number }) {
  const tail = useLogTail(controller, service, lines, intervalMs);
  return <Text>{`${tail.loaded ? 'loaded' : 'loading'}|${tail.error ?? ''}|${tail.lines.join('/')}`}</Text>;
}

const fetches = (c: RecordingController) => c.calls.filter((call) => call.method === 'logTail');

describe('useLogTail', () => {
  it('fetches at once, then again on every interval, keeping only the last lines', async () => {
    const controller = new RecordingController(fleetSnapshot());
    controller.logs.set('openclaw', ['a', 'b', 'c']);
    const ui = render(<Tail controller={controller} service="openclaw" lines={2} intervalMs={25} />);
    await until(() => ui.lastFrame() === 'loaded||b/c', 'the first tail');
    controller.logs.set('openclaw', ['a', 'b', 'c', 'd\u001B[1m!\u001B[0m']);
    await until(() => ui.lastFrame() === 'loaded||c/d!', 'the refreshed tail');
    expect(fetches(controller).every((c) => c.method === 'logTail' && c.service === 'openclaw' && c.lines === 2)).toBe(true);
  });

  it('keeps at most the requested lines even when the controller returns more', async () => {
    const controller = new RecordingController(fleetSnapshot());
    controller.logTail = (service: string, lines: number) => {
      controller.calls.push({ method: 'logTail', service, lines });
      return Promise.resolve(Array.from({ length: 100 }, (_, i) => String(i)));
    };
    const ui = render(<Tail controller={controller} service="openclaw" lines={3} intervalMs={1000} />);
    await until(() => ui.lastFrame() === 'loaded||97/98/99', 'the tail');
  });

  it('skips a tick while the previous fetch is still running', async () => {
    const controller = new RecordingController(fleetSnapshot());
    controller.logTail = (service: string, lines: number) => {
      controller.calls.push({ method: 'logTail', service, lines });
      return new Promise<string[]>(() => {});
    };
    render(<Tail controller={controller} service="openclaw" lines={3} intervalMs={10} />);
    await tick(120);
    expect(fetches(controller)).toHaveLength(1);
  });

  it('shows a failed fetch as an error instead of throwing', async () => {
    const controller = new RecordingController(fleetSnapshot());
    controller.failures.set('logTail', 'log file is gone');
    const ui = render(<Tail controller={controller} service="openclaw" lines={3} intervalMs={1000} />);
    await until(() => ui.lastFrame() === 'loaded|log file is gone|', 'the error');
  });

  it('drops the old service lines when the service changes, and stops polling on unmount', async () => {
    const controller = new RecordingController(fleetSnapshot());
    controller.logs.set('openclaw', ['claw']);
    controller.logs.set('pipecat', ['cat']);
    const ui = render(<Tail controller={controller} service="openclaw" lines={3} intervalMs={20} />);
    await until(() => ui.lastFrame() === 'loaded||claw', 'the first service');
    ui.rerender(<Tail controller={controller} service="pipecat" lines={3} intervalMs={20} />);
    expect(ui.lastFrame()).not.toContain('claw');
    await until(() => ui.lastFrame() === 'loaded||cat', 'the second service');
    ui.unmount();
    const count = fetches(controller).length;
    await tick(100);
    expect(fetches(controller)).toHaveLength(count);
  });

  it('does not poll when nothing is shown', async () => {
    const controller = new RecordingController(fleetSnapshot());
    render(<Tail controller={controller} service={null} lines={3} intervalMs={10} />);
    render(<Tail controller={controller} service="openclaw" lines={0} intervalMs={10} />);
    await tick(60);
    expect(fetches(controller)).toHaveLength(0);
  });
});
