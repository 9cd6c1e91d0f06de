import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { render } from 'ink';
import { App } from '../../components/App.tsx';
import { RecordingController } from './recording-controller.ts';
import { FakeControl, RecordingGates } from './recording-gates.ts';
import { fleetSnapshot } from './snapshot-fixtures.ts';
import { tick } from './render-console.tsx';

/** A stdin that is not a terminal (a pipe): it cannot be put in raw mode. */
class PipedStdin extends EventEmitter {
  isTTY = false;
  setEncoding() {}
  resume() {}
  pause() {}
  ref() {}
  unref() {}
  read() {
    return null;
  }
}

class CapturedStdout extends EventEmitter {
  columns = 80;
  rows = 24;
  frames: string[] = [];
  write = (frame: string) => {
    this.frames.push(frame);
    return true;
  };
}

describe('raw mode', () => {
  it('renders and says keys are off when stdin is not a terminal, instead of crashing', async () => {
    const stdout = new CapturedStdout();
    const controller = new RecordingController(fleetSnapshot());
    const instance = render(<App controller={controller} gates={new RecordingGates()} control={new FakeControl()} onQuit={() => {}} colors={false} />, {
      stdin: new PipedStdin() as unknown as NodeJS.ReadStream,
      stdout: stdout as unknown as NodeJS.WriteStream,
      stderr: new CapturedStdout() as unknown as NodeJS.WriteStream,
      debug: true,
      patchConsole: false,
      exitOnCtrlC: false,
    });
    await tick();
    const frame = stdout.frames.at(-1) ?? '';
    expect(frame).toContain('memory-engine');
    expect(frame).toContain('keys are off: stdin is not a terminal');
    instance.unmount();
  });
});
