// The console's own state (open modal, selection) held so that a key handler always
// sees the result of the key before it, even when several keys arrive in one chunk
// (a paste, key repeat) before React has re-rendered.
import { useCallback, useReducer, useRef } from 'react';
import { consoleReducer, INITIAL_CONSOLE_STATE } from '../console-state.ts';
import type { ConsoleAction, ConsoleState } from '../console-state.ts';

export interface ConsoleStore {
  /** The state for this render. */
  state: ConsoleState;
  /** The latest state, including actions dispatched since this render. */
  current: () => ConsoleState;
  dispatch: (action: ConsoleAction) => void;
}

export function useConsoleState(initial: ConsoleState = INITIAL_CONSOLE_STATE): ConsoleStore {
  const ref = useRef(initial);
  const [, rerender] = useReducer((n: number) => n + 1, 0);
  const dispatch = useCallback((action: ConsoleAction) => {
    const next = consoleReducer(ref.current, action);
    if (next === ref.current) return;
    ref.current = next;
    rerender();
  }, []);
  const current = useCallback(() => ref.current, []);
  return { state: ref.current, current, dispatch };
}
