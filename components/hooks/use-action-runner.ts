// Runs operator actions (controller calls) without waiting for them: the key handler
// returns at once, and the outcome lands in the footer's status line. A rejected call
// becomes a message, never an exception.
import { useCallback, useReducer, useRef } from 'react';
import { actionStatusReducer, IDLE } from '../action-status.ts';
import type { ActionStatus } from '../action-status.ts';
import { errorMessage } from '../format.ts';

export interface ActionRunner {
  status: ActionStatus;
  /** Start `call` now, labelled `label` (`stop openclaw`) in the status line. */
  run: (label: string, call: () => Promise<void>) => void;
  /** Put a message in the status line (e.g. why a key did nothing). */
  notice: (message: string) => void;
}

export function useActionRunner(): ActionRunner {
  const [status, dispatch] = useReducer(actionStatusReducer, IDLE);
  const nextId = useRef(1);

  const run = useCallback((label: string, call: () => Promise<void>) => {
    const id = nextId.current++;
    dispatch({ type: 'begin', id, label });
    let pending: Promise<void>;
    try {
      pending = Promise.resolve(call());
    } catch (error) {
      pending = Promise.reject(error);
    }
    pending.then(
      () => dispatch({ type: 'succeed', id, label }),
      (error: unknown) => dispatch({ type: 'fail', id, label, message: errorMessage(error) }),
    );
  }, []);

  const notice = useCallback((message: string) => dispatch({ type: 'notice', message }), []);

  return { status, run, notice };
}
