// Mounts the live console on the terminal and owns its lifecycle: adopt (or, while a gate
// runner holds the fleet, only follow), sample, watch the fleet lock and the gates, start
// the fleet if asked, and on quit either stop the fleet or leave it for the next console
// (a runner's fleet is always left to it). The only place that unmounts Ink.
import { render } from 'ink';
import { holderLabel, type FleetLockWatch } from '../src/supervisor/fleet-lock-watch.ts';
import type { RunnableGateController } from '../gates/desk/lazy-gate-desk.ts';
import type { FleetSupervisor } from '../src/supervisor/fleet-supervisor.ts';
import { journaledController, type RecordAction } from '../src/evidence/journaled-controller.ts';
import type { SupervisorEvent } from '../src/supervisor/supervisor-event.ts';
import { App } from './App.tsx';
import type { QuitChoice } from './console-state.ts';

export interface InteractiveOptions {
  intervalMs: number;
  up: boolean;
  colors: boolean;
  /** Hands the console the supervisor's event stream (events before mount included). */
  onEvent: (handler: (event: SupervisorEvent & { at: number }) => void) => void;
  /** Records an operator action in the operator journal; resolves once it is on disk. */
  recordAction: RecordAction;
  /** The fleet lock, held or followed; its callbacks switch the supervisor between control and follow. */
  control: FleetLockWatch;
  /** The gate engine: started after the first frame, stopped on quit. */
  gates: RunnableGateController;
  /** Where run folders are, for the soak view. */
  artifactsDir: string;
  /** Resolves when a signal asks the console to go (leave-signals.ts): it leaves the fleet running. */
  leave: Promise<unknown>;
}

export async function runInteractiveConsole(supervisor: FleetSupervisor, options: InteractiveOptions): Promise<number> {
  const { control, gates } = options;
  // Events reach the screen through the snapshot (states, last errors); nothing is
  // printed underneath the frame.
  options.onEvent(() => {});
  // Opened while a gate runner holds the fleet: watch it, take nothing over.
  if (control.getSnapshot().kind !== 'controlling') await supervisor.follow();
  await supervisor.adopt();

  let resolveQuit: (choice: QuitChoice) => void = () => {};
  const quit = new Promise<QuitChoice>((resolve) => (resolveQuit = resolve));
  // Every key that changes the fleet is recorded before it acts.
  const controller = journaledController(supervisor, options.recordAction);
  const instance = render(<App controller={controller} gates={gates} control={control} onQuit={(choice) => resolveQuit(choice)} colors={options.colors} artifactsDir={options.artifactsDir} />, {
    // We already know this is a terminal; CI=true in the environment must not turn the
    // console into a one-frame printer.
    interactive: true,
    alternateScreen: true,
    incrementalRendering: true,
    exitOnCtrlC: false,
    maxFps: 15,
  });
  // The first frame first; sampling (and an exec probe's first spawn) right after.
  supervisor.startTelemetry(options.intervalMs);
  control.start();
  gates.start();
  if (options.up && control.getSnapshot().kind === 'controlling') void controller.startAll().catch(() => {});
  // A closed terminal, a lost SSH session or a SIGTERM is not a decision to stop the fleet.
  void options.leave.then(() => resolveQuit('leave-running'));

  const choice = await quit;
  gates.stop();
  // Whoever holds the fleet now keeps it while the console quits.
  control.stop();
  // Quitting is a decision too: stop the fleet, or leave it for the next console.
  await options.recordAction('quit', { choice }).catch(() => {});
  const held = control.getSnapshot();
  if (choice === 'stop-fleet' && held.kind === 'controlling' && !supervisor.following) await supervisor.stopAll().catch(() => {});
  supervisor.stopTelemetry();
  await supervisor.releaseOutput();
  instance.unmount();
  await instance.waitUntilExit().catch(() => {});
  if (held.kind === 'following') {
    console.log(`${holderLabel(held.holder)} goes on in pid ${held.holder.pid}; \`evident gates\` or a new console follows it`);
    return 0;
  }
  if (held.kind === 'handing-over') {
    console.log(`the ${held.purpose} is starting and goes on without the console; \`evident gates\` or a new console follows it`);
    return 0;
  }
  const running = supervisor.runningServices();
  if (choice === 'leave-running' && running.length > 0) {
    console.log(`left running for the next console to adopt: ${running.join(', ')} (\`evident down\` stops them)`);
  } else {
    const leftovers = supervisor.getSnapshot().leftovers;
    console.log(leftovers.length === 0 ? 'fleet stopped: no process and no listener left behind' : `fleet stopped; ${leftovers.length} leftover(s): run \`evident zombies\``);
  }
  return 0;
}
