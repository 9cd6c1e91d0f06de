// Render the console at a given terminal size with ink-testing-library, and wait for
// input hooks to subscribe before the test types (keys written earlier are lost).
import { render } from 'ink-testing-library';
import { App } from '../../components/App.tsx';
import type { FleetControlSource } from '../../src/supervisor/fleet-lock-watch.ts';
import type { GateController } from '../../gates/desk/gate-controller.ts';
import type { FleetController } from '../../src/supervisor/fleet-controller.ts';
import { FakeControl, RecordingGates } from './recording-gates.ts';

export const tick = (ms = 20) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export interface ConsoleOptions {
  columns?: number;
  rows?: number;
  colors?: boolean;
  gates?: GateController;
  control?: FleetControlSource;
}

export async function renderConsole(controller: FleetController, { columns = 80, rows = 24, colors = false, gates = new RecordingGates(), control = new FakeControl() }: ConsoleOptions = {}) {
  const quits: string[] = [];
  const rendered = render(<App controller={controller} gates={gates} control={control} onQuit={(choice) => quits.push(choice)} colors={colors} />);
  resize(rendered.stdout, columns, rows);
  await tick();
  const frame = () => rendered.lastFrame() ?? '';
  const press = async (...keys: string[]) => {
    for (const key of keys) {
      rendered.stdin.write(key);
      await tick();
    }
  };
  return { ...rendered, frame, press, quits, resize: (c: number, r: number) => resize(rendered.stdout, c, r) };
}

/** The test stdout reports a fixed width and no height; give it a size and tell Ink it changed. */
function resize(stdout: NodeJS.EventEmitter, columns: number, rows: number): void {
  Object.defineProperty(stdout, 'columns', { value: columns, configurable: true });
  Object.defineProperty(stdout, 'rows', { value: rows, configurable: true });
  stdout.emit('resize');
}

/** Wait until `check` holds (polling), or fail after `timeoutMs`. */
export async function until(check: () => boolean, what: string, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await tick();
  }
}

export const KEYS = {
  up: '\u001B[A',
  down: '\u001B[B',
  escape: '\u001B',
  tab: '\t',
  shiftTab: '\u001B[Z',
  enter: '\r',
  backspace: '\u007F',
  pageDown: '\u001B[6~',
  pageUp: '\u001B[5~',
  ctrlS: '\u0013',
} as const;
