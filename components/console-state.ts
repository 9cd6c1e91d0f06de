// What the console itself remembers between snapshots: which modal is open and which
// service is selected (by name, so a reordered list keeps the same service selected).

export type ConsoleMode = 'panes' | 'help' | 'quit' | 'quitting';

/** What the operator chose to do with the fleet when quitting. */
export type QuitChoice = 'stop-fleet' | 'leave-running';

export interface ConsoleState {
  readonly mode: ConsoleMode;
  /** The selected service's name; null selects the first service there is. */
  readonly selected: string | null;
  /** Set once the operator answered the quit question; no key does anything after that. */
  readonly quitChoice: QuitChoice | null;
}

export type ConsoleAction =
  | { type: 'move'; delta: number; names: readonly string[] }
  | { type: 'open-help' }
  | { type: 'close-help' }
  | { type: 'open-quit' }
  | { type: 'cancel-quit' }
  | { type: 'quit-chosen'; choice: QuitChoice };

export const INITIAL_CONSOLE_STATE: ConsoleState = { mode: 'panes', selected: null, quitChoice: null };

/** The selected service among `names`: the remembered one if it still exists, else the first. */
export function selectedName(state: ConsoleState, names: readonly string[]): string | null {
  if (state.selected !== null && names.includes(state.selected)) return state.selected;
  return names[0] ?? null;
}

export function consoleReducer(state: ConsoleState, action: ConsoleAction): ConsoleState {
  switch (action.type) {
    case 'move': {
      if (action.names.length === 0) return state;
      const current = selectedName(state, action.names);
      const index = current === null ? 0 : action.names.indexOf(current);
      const next = Math.min(action.names.length - 1, Math.max(0, index + action.delta));
      const name = action.names[next] ?? null;
      return name === state.selected ? state : { ...state, selected: name };
    }
    case 'open-help':
      return state.mode === 'panes' ? { ...state, mode: 'help' } : state;
    case 'close-help':
      return state.mode === 'help' ? { ...state, mode: 'panes' } : state;
    case 'open-quit':
      return state.mode === 'panes' ? { ...state, mode: 'quit' } : state;
    case 'cancel-quit':
      return state.mode === 'quit' ? { ...state, mode: 'panes' } : state;
    case 'quit-chosen':
      return state.mode === 'quit' ? { ...state, mode: 'quitting', quitChoice: action.choice } : state;
    default: {
      const unknown: never = action;
      throw new Error(`unknown console action: ${JSON.stringify(unknown)}`);
    }
  }
}
