// The blocker form over the panes: which failed run it documents, its text fields (what
// failed, pre-filled from the evidence; root cause; fix; the remediation plan after two
// failures in a row), and why the last submission was refused. Keys are in the footer.
import { Box, Text } from 'ink';
import type { BlockerForm } from './blocker-form.ts';
import { truncate } from './format.ts';
import { colorProps } from './state-color.ts';
import { TextField } from './TextField.tsx';

export interface BlockerFormPaneProps {
  form: BlockerForm;
  width: number;
  /** Rows the form may use. */
  height: number;
  colors: boolean;
}

export function formTitle(form: BlockerForm, width: number): string {
  const { target } = form;
  return truncate(`── blocker of ${target.gate} run ${target.runId} `, width).padEnd(width, '─');
}

/** `  Gate 1: consecutive start/stop cycles · FAILED, 2 times in a row` */
export function formSubtitle(form: BlockerForm): string {
  const { target } = form;
  const times = target.failuresInARow >= 2 ? `, ${target.failuresInARow} times in a row` : '';
  return `  ${target.title} · FAILED${times}`;
}

function fieldLabel(form: BlockerForm, index: number): string {
  const field = form.fields[index];
  if (field === undefined) return '';
  if (field.id === 'what') return `${field.label} (from the evidence; blank keeps it)`;
  if (field.id === 'remediation') return `${field.label} * (the plan before a third attempt)`;
  return `${field.label}${field.required ? ' *' : ''}`;
}

export function BlockerFormPane({ form, width, height, colors }: BlockerFormPaneProps) {
  if (height <= 0) return null;
  const fieldWidth = Math.max(1, width - 4);
  const status = form.submitting ? 'recording…' : form.error === null ? '* required' : `! ${form.error}`;
  return (
    <Box flexDirection="column" width={width} height={height} flexShrink={0} overflow="hidden">
      <Text wrap="truncate-end" {...colorProps(colors, 'yellow')}>
        {formTitle(form, width)}
      </Text>
      <Text wrap="truncate-end">{truncate(formSubtitle(form), width)}</Text>
      {form.fields.map((field, i) => (
        <Box key={field.id} flexDirection="column" width={width} flexShrink={0}>
          <Text wrap="truncate-end" {...(colors && i === form.focus ? { bold: true } : {})}>
            {truncate(`  ${fieldLabel(form, i)}`, width)}
          </Text>
          <Box width={width} flexShrink={0}>
            <Text>{i === form.focus ? '  › ' : '    '}</Text>
            <TextField text={field} focused={i === form.focus} width={fieldWidth} colors={colors} />
          </Box>
        </Box>
      ))}
      <Text wrap="truncate-end" {...colorProps(colors, form.error === null ? undefined : 'red')}>
        {truncate(`  ${status}`, width)}
      </Text>
    </Box>
  );
}
