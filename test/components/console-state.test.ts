import { describe, expect, it } from 'vitest';
import { consoleReducer, INITIAL_CONSOLE_STATE, selectedName } from '../../components/console-state.ts';
import { actionStatusReducer, describeStatus, IDLE } from '../../components/action-status.ts';

const names = ['a', 'b', 'c'];

describe('console state', () => {
  it('moves the selection within the list and keeps it by name', () => {
    let state = INITIAL_CONSOLE_STATE;
    expect(selectedName(state, names)).toBe('a');
    state = consoleReducer(state, { type: 'move', delta: -1, names });
    expect(selectedName(state, names)).toBe('a');
    state = consoleReducer(state, { type: 'move', delta: 1, names });
    state = consoleReducer(state, { type: 'move', delta: 1, names });
    state = consoleReducer(state, { type: 'move', delta: 1, names });
    expect(selectedName(state, names)).toBe('c');
    expect(selectedName(state, ['c', 'a'])).toBe('c');
    expect(selectedName(state, ['a', 'b'])).toBe('a');
    expect(selectedName(state, [])).toBeNull();
  });

  it('opens one modal at a time and stops at quitting', () => {
    const help = consoleReducer(INITIAL_CONSOLE_STATE, { type: 'open-help' });
    expect(help.mode).toBe('help');
    expect(consoleReducer(help, { type: 'open-quit' })).toBe(help);
    expect(consoleReducer(help, { type: 'close-help' }).mode).toBe('panes');
    const quit = consoleReducer(INITIAL_CONSOLE_STATE, { type: 'open-quit' });
    expect(consoleReducer(quit, { type: 'cancel-quit' }).mode).toBe('panes');
    const quitting = consoleReducer(quit, { type: 'quit-chosen', choice: 'leave-running' });
    expect(quitting).toMatchObject({ mode: 'quitting', quitChoice: 'leave-running' });
    expect(consoleReducer(quitting, { type: 'cancel-quit' })).toBe(quitting);
  });

  it('throws on an unknown action', () => {
    expect(() => consoleReducer(INITIAL_CONSOLE_STATE, { type: 'nope' } as never)).toThrow(/unknown console action/);
  });
});

describe('action status', () => {
  it('keeps an error on screen when an older action succeeds after it', () => {
    let status = actionStatusReducer(IDLE, { type: 'begin', id: 1, label: 'stop a' });
    status = actionStatusReducer(status, { type: 'begin', id: 2, label: 'start b' });
    status = actionStatusReducer(status, { type: 'fail', id: 2, label: 'start b', message: 'port busy' });
    status = actionStatusReducer(status, { type: 'succeed', id: 1, label: 'stop a' });
    expect(describeStatus(status)).toBe('start b failed: port busy');
  });

  it('reports pending and done for the latest action', () => {
    let status = actionStatusReducer(IDLE, { type: 'begin', id: 1, label: 'stop a' });
    expect(describeStatus(status)).toBe('stop a…');
    status = actionStatusReducer(status, { type: 'succeed', id: 1, label: 'stop a' });
    expect(describeStatus(status)).toBe('stop a: done');
    expect(describeStatus(IDLE)).toBe('');
  });
});
