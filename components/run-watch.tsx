// Mounts `evident watch` on the terminal and owns its lifecycle: the alternate screen, the
// quit key (or a closed terminal), then one line saying where the run stood. It never
// touches the run.
import { render } from 'ink';
import type { SoakStatus } from '../gates/soak/soak-run-follower.ts';
import { WatchApp } from './WatchApp.tsx';

export interface WatchOptions {
  dir: string;
  gate: string;
  runId: string;
  colors: boolean;
  everyMs: number;
}

/** Resolves with the run's verdict when it had one at quit time, else null. */
export async function runWatch(options: WatchOptions): Promise<SoakStatus | null> {
  let resolveQuit: (status: SoakStatus | null) => void = () => {};
  const quit = new Promise<SoakStatus | null>((resolve) => (resolveQuit = resolve));
  const instance = render(<WatchApp {...options} onQuit={(status) => resolveQuit(status)} />, {
    interactive: true,
    alternateScreen: true,
    incrementalRendering: true,
    exitOnCtrlC: false,
    maxFps: 15,
  });
  const leave = () => resolveQuit(null);
  process.once('SIGHUP', leave);
  process.once('SIGTERM', leave);
  const status = await quit;
  process.off('SIGHUP', leave);
  process.off('SIGTERM', leave);
  instance.unmount();
  await instance.waitUntilExit().catch(() => {});
  return status;
}
