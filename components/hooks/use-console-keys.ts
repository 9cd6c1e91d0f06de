// The console's one key handler. The key table names the command for the scope that has
// the keys (an open modal's, else the panes'); this hook carries it out. Controller calls
// are started, not awaited, so no key ever waits on the fleet. In the blocker form, a key
// the table does not name is typing. While another process holds the fleet, the service
// keys only say why they do nothing.
import { useRef } from 'react';
import { useInput, useStdin } from 'ink';
import type { FleetControl } from '../../src/supervisor/fleet-lock-watch.ts';
import type { GateController } from '../../gates/desk/gate-controller.ts';
import type { FleetController } from '../../src/supervisor/fleet-controller.ts';
import { formPayload, isLastField, openBlockerForm } from '../blocker-form.ts';
import { selectedName } from '../console-state.ts';
import type { ConsoleMode, QuitChoice } from '../console-state.ts';
import { fleetHolder, serviceKeysOff } from '../fleet-control-text.ts';
import { errorMessage } from '../format.ts';
import { commandFor, keyName, SERVICE_COMMANDS } from '../key-bindings.ts';
import type { CommandId, Scope } from '../key-bindings.ts';
import { textEditFor } from '../text-edit.ts';
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
    case 'confirm-gate':
      return 'confirm';
    case 'blocker-form':
      return 'form';
    case 'log':
    case 'blockers':
      return 'reader';
    case 'soak':
      return 'soak';
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
  gates: GateController;
  /** Who controls the fleet right now (read at each key, not per render). */
  control: () => FleetControl;
  store: ConsoleStore;
  runner: ActionRunner;
  onQuit: (choice: QuitChoice) => void;
  /** The open reader's scroll limit and page size (read at each key). */
  reader: () => { maxScroll: number; page: number };
}

/** Returns whether keys are read at all (false when stdin cannot be put in raw mode). */
export function useConsoleKeys({ controller, gates, control, store, runner, onQuit, reader }: ConsoleKeysOptions): boolean {
  const { isRawModeSupported } = useStdin();
  const scope = scopeOf(store.state.mode);
  // A `g` pressed while the gate states are still loading is kept, and offered once they are.
  const waitingForGates = useRef(false);

  const submitForm = (): void => {
    const form = store.current().form;
    if (form === null || form.submitting) return;
    const checked = formPayload(form);
    if (!checked.ok) {
      store.dispatch({ type: 'form', action: { type: 'refuse', message: checked.message, field: checked.field } });
      return;
    }
    store.dispatch({ type: 'form', action: { type: 'submitting' } });
    gates.documentBlocker(checked.payload).then(
      (message) => {
        store.dispatch({ type: 'close-form' });
        store.dispatch({ type: 'show-pane', pane: 'gates' });
        runner.notice(message);
      },
      (error: unknown) => store.dispatch({ type: 'form', action: { type: 'refuse', message: `not recorded: ${errorMessage(error)}` } }),
    );
  };

  const offerNextGate = (): void => {
    const holder = fleetHolder(control());
    if (holder !== null) {
      runner.notice(`g: ${holder} holds the fleet`);
      return;
    }
    const desk = gates.getSnapshot();
    if (!desk.loaded) {
      runner.notice('reading the gate states: the next gate is offered once read');
      if (waitingForGates.current) return;
      waitingForGates.current = true;
      const unsubscribe = gates.subscribe(() => {
        if (!gates.getSnapshot().loaded) return;
        unsubscribe();
        waitingForGates.current = false;
        offerNextGate();
      });
      return;
    }
    const next = desk.next;
    if (next === null && desk.problems.length > 0) return runner.notice(desk.problems[0] as string);
    if (next === null) return runner.notice('every gate has passed: nothing to run');
    const activity = controller.getSnapshot().activity;
    if (activity !== null) return runner.notice(`wait until the console is done ${activity} before running a gate`);
    const refusal = !next.plan.ok ? next.plan.problem : !next.admission.ok ? next.admission.reason : null;
    store.dispatch({ type: 'open-confirm', confirm: { action: 'run', gate: next.gate.id, question: next.question, refusal } });
  };

  /** Q: the first gate whose latest run does not verify, offered for quarantine. */
  const offerQuarantine = (): void => {
    const unverified = gates.getSnapshot().states.find((s) => s.status === 'UNVERIFIED');
    if (unverified === undefined || unverified.run === null) return runner.notice('no gate run is UNVERIFIED: nothing to quarantine');
    const question = `Quarantine ${unverified.gate.id} run ${unverified.run.run_id} — it does not verify (${unverified.unverified}); its folder moves to invalidated/`;
    store.dispatch({ type: 'open-confirm', confirm: { action: 'quarantine', gate: unverified.gate.id, question, refusal: null } });
  };

  const runConfirmed = (): void => {
    const confirm = store.current().confirm;
    store.dispatch({ type: 'close-confirm' });
    if (confirm === null || confirm.refusal !== null) return;
    store.dispatch({ type: 'show-pane', pane: 'gates' });
    if (confirm.action === 'quarantine') {
      runner.run(`quarantine ${confirm.gate}'s run`, async () => {
        await gates.quarantineUnverified(confirm.gate);
      });
      return;
    }
    runner.run(`start the ${confirm.gate} runner`, async () => {
      await gates.runGate(confirm.gate);
    });
  };

  const perform = (command: CommandId): void => {
    if (SERVICE_COMMANDS.has(command)) {
      const off = serviceKeysOff(control());
      if (off !== null) return runner.notice(off);
    }
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
    const scroll = (delta: number): void => store.dispatch({ type: 'scroll', delta, max: reader().maxScroll });
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
      case 'service.reload':
        return onSelected('reload', (s) => controller.reload(s));
      case 'fleet.start-all':
        return runner.run('start all', () => controller.startAll());
      case 'fleet.stop-all':
        return runner.run('stop all', () => controller.stopAll());
      case 'fleet.reap':
        return runner.run('reap leftovers', () => controller.reapOurs());
      case 'gate.run':
        return offerNextGate();
      case 'gate.blocker': {
        const target = gates.getSnapshot().toDocument;
        if (target === null) return runner.notice('no failed gate waits for its blocker');
        return store.dispatch({ type: 'open-form', form: openBlockerForm(target) });
      }
      case 'gate.blockers':
        return store.dispatch({ type: 'open-reader', reader: 'blockers' });
      case 'gate.log':
        return store.dispatch({ type: 'open-reader', reader: 'log' });
      case 'gate.quarantine':
        return offerQuarantine();
      case 'pane.toggle':
        return store.dispatch({ type: 'toggle-pane' });
      case 'help.open':
        return store.dispatch({ type: 'open-help' });
      case 'help.close':
        return store.dispatch({ type: 'close-help' });
      case 'quit.open':
        return store.dispatch({ type: 'open-quit' });
      case 'quit.cancel':
        return store.dispatch({ type: 'cancel-quit' });
      case 'quit.stop-fleet': {
        const holder = fleetHolder(control());
        if (holder !== null) return runner.notice(`${holder} holds the fleet: l quits, leaving it`);
        return quit('stop-fleet');
      }
      case 'quit.leave-running':
        return quit('leave-running');
      case 'confirm.yes':
        return runConfirmed();
      case 'confirm.no':
        return store.dispatch({ type: 'close-confirm' });
      case 'form.next':
        return store.dispatch({ type: 'form', action: { type: 'move', delta: 1 } });
      case 'form.previous':
        return store.dispatch({ type: 'form', action: { type: 'move', delta: -1 } });
      case 'form.enter': {
        const form = state.form;
        if (form !== null && isLastField(form)) return submitForm();
        return store.dispatch({ type: 'form', action: { type: 'move', delta: 1 } });
      }
      case 'form.submit':
        return submitForm();
      case 'form.cancel':
        store.dispatch({ type: 'close-form' });
        return runner.notice('blocker form closed: nothing recorded');
      case 'reader.up':
        return scroll(-1);
      case 'reader.down':
        return scroll(1);
      case 'reader.page-up':
        return scroll(-reader().page);
      case 'reader.page-down':
        return scroll(reader().page);
      case 'reader.close':
        return store.dispatch({ type: 'close-reader' });
      case 'soak.open':
        return store.dispatch({ type: 'open-soak' });
      case 'soak.close':
        return store.dispatch({ type: 'close-soak' });
      case 'soak.quit':
        // The quit question is about the fleet: it is asked in the fleet view.
        store.dispatch({ type: 'close-soak' });
        return store.dispatch({ type: 'open-quit' });
      case 'watch.quit':
        // `evident watch`'s key: the console never has the watch scope.
        return;
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
      if (command === null) {
        // In the form, what the table does not name is typing (a paste arrives whole).
        if (current !== 'form') return;
        const edit = textEditFor(input, key);
        if (edit !== null) store.dispatch({ type: 'form', action: { type: 'edit', edit } });
        return;
      }
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
