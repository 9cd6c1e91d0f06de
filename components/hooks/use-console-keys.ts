// The console's one key handler. The key table names the command for the scope that has
// the keys (an open modal's, else the panes'); this hook carries it out. Controller calls
// are started, not awaited, so no key ever waits on the fleet.
import { useInput, useStdin } from 'ink';
import type { FleetController } from '../../src/supervisor/fleet-controller.ts';
import { selectedName } from '../console-state.ts';
import type { ConsoleMode, QuitChoice } from '../console-state.ts';
import { errorMessage } from '../format.ts';
import { commandFor, keyName } from '../key-bindings.ts';
import type { CommandId, Scope } from '../key-bindings.ts';
import type { ActionRunner } from './use-action-runner.ts';
import type { ConsoleStore } from './use-console-state.ts';

/** The key table scope that receives keys in a mode; null once the console is quitting. */
export function scopeOf(mode: ConsoleMode): Scope | null {
  switch (mode) {
    case 'panes':
      return 'fleet';
    case 'help':
      return 'help';
    case 'quit':
      return 'quit';
    case 'quitting':
      return null;
    default: {
      const unknown: never = mode;
      throw new Error(`unknown console mode: ${String(unknown)}`);
    }
  }
}

export interface ConsoleKeysOptions {
  controller: FleetController;
  store: ConsoleStore;
  runner: ActionRunner;
  onQuit: (choice: QuitChoice) => void;
}

/** Returns whether keys are read at all (false when stdin cannot be put in raw mode). */
export function useConsoleKeys({ controller, store, runner, onQuit }: ConsoleKeysOptions): boolean {
  const { isRawModeSupported } = useStdin();
  const scope = scopeOf(store.state.mode);

  const perform = (command: CommandId): void => {
    const state = store.current();
    const names = controller.getSnapshot().services.map((s) => s.name);
    const selected = selectedName(state, names);
    const onSelected = (verb: string, call: (service: string) => Promise<void>): void => {
      if (selected === null) {
        runner.notice(`nothing to ${verb}: no service selected`);
        return;
      }
      runner.run(`${verb} ${selected}`, () => call(selected));
    };
    const quit = (choice: QuitChoice): void => {
      store.dispatch({ type: 'quit-chosen', choice });
      onQuit(choice);
    };
    switch (command) {
      case 'select.previous':
        return store.dispatch({ type: 'move', delta: -1, names });
      case 'select.next':
        return store.dispatch({ type: 'move', delta: 1, names });
      case 'service.start':
        return onSelected('start', (s) => controller.start(s));
      case 'service.stop':
        return onSelected('stop', (s) => controller.stop(s));
      case 'service.restart':
        return onSelected('restart', (s) => controller.restart(s));
      case 'fleet.start-all':
        return runner.run('start all', () => controller.startAll());
      case 'fleet.stop-all':
        return runner.run('stop all', () => controller.stopAll());
      case 'fleet.reap':
        return runner.run('reap leftovers', () => controller.reapOurs());
      case 'help.open':
        return store.dispatch({ type: 'open-help' });
      case 'help.close':
        return store.dispatch({ type: 'close-help' });
      case 'quit.open':
        return store.dispatch({ type: 'open-quit' });
      case 'quit.cancel':
        return store.dispatch({ type: 'cancel-quit' });
      case 'quit.stop-fleet':
        return quit('stop-fleet');
      case 'quit.leave-running':
        return quit('leave-running');
      default: {
        const unknown: never = command;
        throw new Error(`unknown command: ${String(unknown)}`);
      }
    }
  };

  useInput(
    (input, key) => {
      // The latest mode, not this render's: several keys can arrive before a re-render.
      const current = scopeOf(store.current().mode);
      if (current === null) return;
      const command = commandFor(current, keyName(input, key));
      if (command === null) return;
      try {
        perform(command);
      } catch (error) {
        runner.notice(`${command} failed: ${errorMessage(error)}`);
      }
    },
    { isActive: isRawModeSupported && scope !== null },
  );

  return isRawModeSupported;
}
