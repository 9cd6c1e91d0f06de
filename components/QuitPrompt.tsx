// The question asked before the console quits: the fleet can be stopped, or left running
// for the next console to adopt. The choices and their keys come from the key table.
import { Box, Text } from 'ink';
import { bindingsIn, KEY_BINDINGS } from './key-bindings.ts';
import type { KeyBinding } from './key-bindings.ts';
import type { QuitChoice } from './console-state.ts';
import { colorProps } from './state-color.ts';

export interface QuitPromptProps {
  running: number;
  total: number;
  /** Set once answered: the prompt then says what is happening instead of asking. */
  choice: QuitChoice | null;
  /** Who holds the fleet when it is not this console (`gate1 run …`): it goes on, and quitting cannot stop it. */
  following: string | null;
  width: number;
  /** Rows the prompt may use, its border included. */
  height: number;
  colors: boolean;
  table?: readonly KeyBinding[];
}

/**
 * `Quit: stop the fleet (s), leave it running for the next console to adopt (l), or cancel (Esc)`;
 * while another process holds the fleet, `Quit: gate1 run … goes on without this console: leave (l), or cancel (Esc)`.
 */
export function quitQuestion(table: readonly KeyBinding[] = KEY_BINDINGS, following: string | null = null): string {
  if (following !== null) {
    const label = (command: string) => bindingsIn('quit', table).find((b) => b.command === command)?.label ?? '';
    return `Quit: ${following} goes on without this console: leave (${label('quit.leave-running')}), or cancel (${label('quit.cancel')})`;
  }
  const options = bindingsIn('quit', table).map((b) => `${b.description} (${b.label})`);
  const last = options.pop();
  return options.length === 0 ? `Quit: ${last ?? ''}` : `Quit: ${options.join(', ')}, or ${last}`;
}

/** Rows the prompt wants at a width: border, the wrapped question, the fleet line. */
export function quitPromptHeight(width: number, table: readonly KeyBinding[] = KEY_BINDINGS, following: string | null = null): number {
  const inner = Math.max(1, width - 4);
  return 2 + Math.ceil(quitQuestion(table, following).length / inner) + 1;
}

export function QuitPrompt({ running, total, choice, following, width, height, colors, table = KEY_BINDINGS }: QuitPromptProps) {
  if (height <= 0) return null;
  const question =
    choice === null
      ? quitQuestion(table, following)
      : following !== null
        ? `Quitting: ${following} goes on without this console…`
        : choice === 'stop-fleet'
          ? 'Quitting: stopping the fleet…'
          : 'Quitting: leaving the fleet running for the next console…';
  const fleet = `${running} of ${total} services running.`;
  if (height < 3) {
    return (
      <Text wrap="truncate-end" {...colorProps(colors, 'yellow')}>
        {question}
      </Text>
    );
  }
  return (
    <Box flexDirection="column" width={width} height={height} flexShrink={0} overflow="hidden" borderStyle="round" paddingX={1} {...(colors ? { borderColor: 'yellow' } : {})}>
      <Box flexShrink={0}>
        <Text wrap="wrap">{question}</Text>
      </Box>
      <Box flexShrink={0}>
        <Text wrap="truncate-end">{fleet}</Text>
      </Box>
    </Box>
  );
}
