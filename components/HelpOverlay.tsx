// Every key of the console, from the key table, over the panes until Esc or ? closes it:
// the panes' keys one a line, then the blocker form's and the readers' keys in brief.
// (The soak view's keys are in its S line and its footer.)
import { Box, Text } from 'ink';
import { bindingsIn, KEY_BINDINGS } from './key-bindings.ts';
import type { KeyBinding, Scope } from './key-bindings.ts';
import { fitLeft, truncate } from './format.ts';
import { colorProps } from './state-color.ts';

export interface HelpOverlayProps {
  width: number;
  /** Rows the overlay may use. */
  height: number;
  colors: boolean;
  table?: readonly KeyBinding[];
}

const KEY_COLUMN = 8;

/** `  form    Tab ↓ next  ⇧Tab ↑ back  …`: a modal's hinted keys on one line, as its footer shows them. */
function scopeLine(intro: string, scope: Scope, table: readonly KeyBinding[]): string {
  const keys = bindingsIn(scope, table)
    .filter((b) => b.hint !== null)
    .map((b) => `${b.label} ${b.hint}`)
    .join('  ');
  return `  ${fitLeft(intro, KEY_COLUMN)}${keys}`;
}

/** The selection keys share a line, so every key of the panes still fits 80×24. */
const SELECTION: readonly KeyBinding['command'][] = ['select.previous', 'select.next'];

export function helpLines(table: readonly KeyBinding[] = KEY_BINDINGS): { text: string; dangerous: boolean }[] {
  const line = (b: KeyBinding) => ({ text: `${b.dangerous ? '!' : ' '} ${fitLeft(b.label, KEY_COLUMN)}${b.description}`, dangerous: b.dangerous });
  const close = bindingsIn('help', table).map((b) => b.label.split(' ').join(' or ')).join(', ');
  const selection = bindingsIn('fleet', table).filter((b) => SELECTION.includes(b.command));
  const paired = selection.length === SELECTION.length;
  const fleetLines = bindingsIn('fleet', table).flatMap((b) => {
    if (!paired || !SELECTION.includes(b.command)) return [line(b)];
    if (b !== selection[0]) return [];
    return [{ text: `  ${fitLeft(selection.map((s) => s.label).join(' '), KEY_COLUMN)}select the previous or the next service`, dangerous: false }];
  });
  // The note rides on the title line: at 80×24 every line below it is a key.
  return [
    { text: `── keys ── ! stops or kills processes · ${close} closes this help `, dangerous: false },
    ...fleetLines,
    { text: scopeLine('form', 'form', table), dangerous: false },
    { text: scopeLine('log, B', 'reader', table), dangerous: false },
  ];
}

export function HelpOverlay({ width, height, colors, table = KEY_BINDINGS }: HelpOverlayProps) {
  if (height <= 0) return null;
  const lines = helpLines(table);
  const shown = lines.length <= height ? lines : [...lines.slice(0, height - 1), lines[lines.length - 1]!];
  return (
    <Box flexDirection="column" width={width} height={height} flexShrink={0} overflow="hidden">
      {shown.map((l, i) => (
        <Text key={i} wrap="truncate-end" {...colorProps(colors, l.dangerous ? 'red' : undefined)}>
          {i === 0 ? truncate(l.text, width).padEnd(width, '─') : truncate(l.text, width) || ' '}
        </Text>
      ))}
    </Box>
  );
}
