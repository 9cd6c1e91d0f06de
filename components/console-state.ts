// What the console itself remembers between snapshots: which modal is open, which service
// is selected (by name, so a reordered list keeps the same service selected), which pane
// is below the table, the gate confirmation, the blocker form, how far a reader is
// scrolled, and whether the soak view stands in for the fleet view.
import { blockerFormReducer, type BlockerForm, type BlockerFormAction } from './blocker-form.ts';

export type ConsoleMode = 'panes' | 'help' | 'quit' | 'quitting' | 'confirm-gate' | 'blocker-form' | 'log' | 'blockers' | 'soak';

/** What the operator chose to do with the fleet when quitting. */
export type QuitChoice = 'stop-fleet' | 'leave-running';

/** Below the services table: the selected service's detail, or the gates. */
export type BottomPane = 'detail' | 'gates';

/** The question `g` (run the next gate) or `Q` (quarantine a run that does not verify) asks, or why it may not be done. */
export interface GateConfirmation {
  action: 'run' | 'quarantine';
  gate: string;
  /** `Run gate1 — Gate 1: …` without the question mark. */
  question: string;
  /** Set when the gate may not run: shown instead of the question, and `y` does nothing. */
  refusal: string | null;
}

export interface ConsoleState {
  readonly mode: ConsoleMode;
  /** The selected service's name; null selects the first service there is. */
  readonly selected: string | null;
  /** Set once the operator answered the quit question; no key does anything after that. */
  readonly quitChoice: QuitChoice | null;
  readonly pane: BottomPane;
  readonly confirm: GateConfirmation | null;
  readonly form: BlockerForm | null;
  /** The first line a reader (log, blocker list) shows. */
  readonly scroll: number;
}

export type ConsoleAction =
  | { type: 'move'; delta: number; names: readonly string[] }
  | { type: 'open-help' }
  | { type: 'close-help' }
  | { type: 'open-quit' }
  | { type: 'cancel-quit' }
  | { type: 'quit-chosen'; choice: QuitChoice }
  | { type: 'toggle-pane' }
  | { type: 'show-pane'; pane: BottomPane }
  | { type: 'open-confirm'; confirm: GateConfirmation }
  | { type: 'close-confirm' }
  | { type: 'open-form'; form: BlockerForm }
  | { type: 'form'; action: BlockerFormAction }
  | { type: 'close-form' }
  | { type: 'open-reader'; reader: 'log' | 'blockers' }
  | { type: 'close-reader' }
  | { type: 'scroll'; delta: number; max: number }
  | { type: 'open-soak' }
  | { type: 'close-soak' };

export const INITIAL_CONSOLE_STATE: ConsoleState = { mode: 'panes', selected: null, quitChoice: null, pane: 'detail', confirm: null, form: null, scroll: 0 };

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
    case 'toggle-pane':
      return { ...state, pane: state.pane === 'detail' ? 'gates' : 'detail' };
    case 'show-pane':
      return state.pane === action.pane ? state : { ...state, pane: action.pane };
    case 'open-confirm':
      return state.mode === 'panes' ? { ...state, mode: 'confirm-gate', confirm: action.confirm } : state;
    case 'close-confirm':
      return state.mode === 'confirm-gate' ? { ...state, mode: 'panes', confirm: null } : state;
    case 'open-form':
      return state.mode === 'panes' ? { ...state, mode: 'blocker-form', form: action.form } : state;
    case 'form':
      return state.mode === 'blocker-form' && state.form !== null ? { ...state, form: blockerFormReducer(state.form, action.action) } : state;
    case 'close-form':
      return state.mode === 'blocker-form' ? { ...state, mode: 'panes', form: null } : state;
    case 'open-reader':
      return state.mode === 'panes' ? { ...state, mode: action.reader, scroll: 0 } : state;
    case 'close-reader':
      return state.mode === 'log' || state.mode === 'blockers' ? { ...state, mode: 'panes', scroll: 0 } : state;
    case 'scroll': {
      const scroll = Math.min(Math.max(0, action.max), Math.max(0, state.scroll + action.delta));
      return scroll === state.scroll ? state : { ...state, scroll };
    }
    case 'open-soak':
      return state.mode === 'panes' ? { ...state, mode: 'soak' } : state;
    case 'close-soak':
      return state.mode === 'soak' ? { ...state, mode: 'panes' } : state;
    default: {
      const unknown: never = action;
      throw new Error(`unknown console action: ${JSON.stringify(unknown)}`);
    }
  }
}
