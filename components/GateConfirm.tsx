// The question `g` asks before a gate runs, naming the gate and how long it takes — or,
// when the sequencing rules refuse it, why it may not run. The keys come from the table.
import { Box, Text } from 'ink';
import type { GateConfirmation } from './console-state.ts';
import { bindingsIn, KEY_BINDINGS } from './key-bindings.ts';
import type { KeyBinding } from './key-bindings.ts';
import { colorProps } from './state-color.ts';
import { wrapText } from './wrap-text.ts';

export interface GateConfirmProps {
  confirm: GateConfirmation;
  width: number;
  /** Rows the prompt may use, its border included. */
  height: number;
  colors: boolean;
  table?: readonly KeyBinding[];
}

/** `Run gate1 — …? y/n`, or `gate2 may not run: … (Esc closes)`. */
export function confirmText(confirm: GateConfirmation, table: readonly KeyBinding[] = KEY_BINDINGS): string {
  if (confirm.refusal !== null) return `${confirm.gate} may not run: ${confirm.refusal} (Esc closes)`;
  const [yes, no] = bindingsIn('confirm', table);
  return `${confirm.question}? ${yes?.keys[0] ?? 'y'}/${no?.keys[0] ?? 'n'}`;
}

/** Rows the prompt wants at a width: its border and the wrapped text. */
export function confirmHeight(confirm: GateConfirmation, width: number): number {
  return 2 + wrapText(confirmText(confirm), Math.max(1, width - 4)).length;
}

export function GateConfirm({ confirm, width, height, colors, table = KEY_BINDINGS }: GateConfirmProps) {
  if (height <= 0) return null;
  const text = confirmText(confirm, table);
  const color = confirm.refusal === null ? 'yellow' : 'red';
  if (height < 3) {
    return (
      <Text wrap="truncate-end" {...colorProps(colors, color)}>
        {text}
      </Text>
    );
  }
  return (
    <Box flexDirection="column" width={width} height={height} flexShrink={0} overflow="hidden" borderStyle="round" paddingX={1} {...(colors ? { borderColor: color } : {})}>
      {wrapText(text, Math.max(1, width - 4)).map((line, i) => (
        <Text key={i} wrap="truncate-end">
          {line || ' '}
        </Text>
      ))}
    </Box>
  );
}
