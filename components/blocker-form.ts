// The blocker form as data: its fields (what failed, pre-filled from the failed run's
// verdict; root cause; fix; and the remediation plan when the gate failed twice in a
// row), which one has the cursor, and what went wrong with the last submission. Pure:
// the console's key handler dispatches edits and moves; `formPayload` checks the fields
// with the same rules as `evident blocker` and builds the record's payload.
import { BLOCKER_FIELD_PURPOSE, blockerPayload, type BlockerField, type BlockerPayload, type BlockerTarget } from '../gates/operations/record-blocker.ts';
import { editText, textValue, type TextEdit } from './text-edit.ts';

export type FieldId = 'what' | BlockerField;

export interface FormField {
  readonly id: FieldId;
  readonly label: string;
  readonly required: boolean;
  readonly value: string;
  readonly cursor: number;
}

export interface BlockerForm {
  readonly target: BlockerTarget & { title: string };
  readonly fields: readonly FormField[];
  /** The index of the field with the cursor. */
  readonly focus: number;
  /** Why the last submission was refused (a field left blank, or the recording failed). */
  readonly error: string | null;
  /** True while the blocker is being recorded: keys wait. */
  readonly submitting: boolean;
}

export type BlockerFormAction =
  | { type: 'edit'; edit: TextEdit }
  | { type: 'move'; delta: number }
  | { type: 'refuse'; message: string; field?: FieldId }
  | { type: 'submitting' };

const LABELS: Record<FieldId, string> = {
  what: 'What failed',
  'root-cause': 'Root cause',
  fix: 'Fix',
  remediation: 'Remediation',
};

function field(id: FieldId, required: boolean, value = ''): FormField {
  const text = textValue(value);
  return { id, label: LABELS[id], required, value: text.value, cursor: text.cursor };
}

/** The form for a failed run: what failed pre-filled, the cursor on the root cause. */
export function openBlockerForm(target: BlockerTarget & { title: string }): BlockerForm {
  const fields = [field('what', false, target.whatFailed), field('root-cause', true), field('fix', true)];
  if (target.remediationRequired) fields.push(field('remediation', true));
  return { target, fields, focus: 1, error: null, submitting: false };
}

export function blockerFormReducer(form: BlockerForm, action: BlockerFormAction): BlockerForm {
  switch (action.type) {
    case 'edit': {
      if (form.submitting) return form;
      const current = form.fields[form.focus];
      if (current === undefined) return form;
      const edited = editText(current, action.edit);
      if (edited.value === current.value && edited.cursor === current.cursor) return form;
      const fields = form.fields.map((f, i) => (i === form.focus ? { ...f, value: edited.value, cursor: edited.cursor } : f));
      return { ...form, fields };
    }
    case 'move': {
      if (form.submitting) return form;
      const focus = Math.min(form.fields.length - 1, Math.max(0, form.focus + action.delta));
      return focus === form.focus ? form : { ...form, focus };
    }
    case 'refuse': {
      const index = action.field === undefined ? -1 : form.fields.findIndex((f) => f.id === action.field);
      return { ...form, error: action.message, submitting: false, focus: index === -1 ? form.focus : index };
    }
    case 'submitting':
      return { ...form, submitting: true, error: null };
    default: {
      const unknown: never = action;
      throw new Error(`unknown form action: ${JSON.stringify(unknown)}`);
    }
  }
}

export function isLastField(form: BlockerForm): boolean {
  return form.focus === form.fields.length - 1;
}

/** The record's payload, or which field to fill in and why. */
export function formPayload(form: BlockerForm): { ok: true; payload: BlockerPayload } | { ok: false; field: BlockerField; message: string } {
  const value = (id: FieldId) => form.fields.find((f) => f.id === id)?.value;
  // What failed, left blank, is the run's verdict, as with `evident blocker` without --what.
  const checked = blockerPayload(form.target, { what: value('what'), rootCause: value('root-cause'), fix: value('fix'), remediation: value('remediation') });
  if (checked.ok) return checked;
  const message =
    checked.missing === 'remediation'
      ? `Remediation is required: ${form.target.gate} failed ${form.target.failuresInARow} times in a row`
      : `${LABELS[checked.missing]} is required: ${BLOCKER_FIELD_PURPOSE[checked.missing]}`;
  return { ok: false, field: checked.missing, message };
}
