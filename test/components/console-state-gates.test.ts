import { describe, expect, it } from 'vitest';
import { blockerFormReducer, formPayload, openBlockerForm } from '../../components/blocker-form.ts';
import { consoleReducer, INITIAL_CONSOLE_STATE } from '../../components/console-state.ts';

const TARGET = { gate: 'gate1', runId: '01JRUN', whatFailed: 'beta failed', failuresInARow: 1, remediationRequired: false, title: 'Gate 1' };

describe('console state: the gate modals', () => {
  it('opens the confirmation, the form and the readers only from the panes, one at a time', () => {
    const confirm = { action: 'run' as const, gate: 'gate1', question: 'Run gate1', refusal: null };
    const confirming = consoleReducer(INITIAL_CONSOLE_STATE, { type: 'open-confirm', confirm });
    expect(confirming).toMatchObject({ mode: 'confirm-gate', confirm });
    expect(consoleReducer(confirming, { type: 'open-reader', reader: 'log' })).toBe(confirming);
    expect(consoleReducer(confirming, { type: 'open-form', form: openBlockerForm(TARGET) })).toBe(confirming);
    expect(consoleReducer(confirming, { type: 'close-confirm' })).toMatchObject({ mode: 'panes', confirm: null });
    const help = consoleReducer(INITIAL_CONSOLE_STATE, { type: 'open-help' });
    expect(consoleReducer(help, { type: 'open-confirm', confirm })).toBe(help);
  });

  it('scrolls a reader within its lines and starts it at the top each time', () => {
    let state = consoleReducer(INITIAL_CONSOLE_STATE, { type: 'open-reader', reader: 'log' });
    state = consoleReducer(state, { type: 'scroll', delta: 30, max: 12 });
    expect(state.scroll).toBe(12);
    state = consoleReducer(state, { type: 'scroll', delta: -50, max: 12 });
    expect(state.scroll).toBe(0);
    state = consoleReducer(consoleReducer(state, { type: 'scroll', delta: 5, max: 12 }), { type: 'close-reader' });
    expect(consoleReducer(state, { type: 'open-reader', reader: 'blockers' })).toMatchObject({ mode: 'blockers', scroll: 0 });
  });

  it('toggles the pane below the table and keeps it across modals', () => {
    const gates = consoleReducer(INITIAL_CONSOLE_STATE, { type: 'toggle-pane' });
    expect(gates.pane).toBe('gates');
    expect(consoleReducer(consoleReducer(gates, { type: 'open-help' }), { type: 'close-help' }).pane).toBe('gates');
    expect(consoleReducer(gates, { type: 'show-pane', pane: 'gates' })).toBe(gates);
  });
});

describe('the blocker form', () => {
  it('edits only the focused field, and keeps the cursor inside the fields', () => {
    let form = openBlockerForm(TARGET);
    expect(form.fields.map((f) => f.id)).toEqual(['what', 'root-cause', 'fix']);
    expect(form.focus).toBe(1);
    form = blockerFormReducer(form, { type: 'edit', edit: { type: 'insert', text: 'leak' } });
    form = blockerFormReducer(form, { type: 'move', delta: 5 });
    expect(form.focus).toBe(2);
    form = blockerFormReducer(form, { type: 'edit', edit: { type: 'insert', text: 'close it' } });
    expect(formPayload(form)).toEqual({ ok: true, payload: { gate: 'gate1', run_id: '01JRUN', what_failed: 'beta failed', root_cause: 'leak', fix: 'close it' } });
    form = blockerFormReducer(form, { type: 'move', delta: -9 });
    expect(form.focus).toBe(0);
  });

  it('waits while submitting, and a refusal puts the cursor on the field to fill in', () => {
    let form = blockerFormReducer(openBlockerForm({ ...TARGET, failuresInARow: 2, remediationRequired: true }), { type: 'submitting' });
    expect(blockerFormReducer(form, { type: 'edit', edit: { type: 'insert', text: 'x' } })).toBe(form);
    form = blockerFormReducer(form, { type: 'refuse', message: 'Fix is required', field: 'fix' });
    expect(form).toMatchObject({ submitting: false, error: 'Fix is required', focus: 2 });
    expect(formPayload(form)).toEqual({ ok: false, field: 'root-cause', message: 'Root cause is required: why it failed' });
  });
});
