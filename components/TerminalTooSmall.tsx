// Shown instead of the panes when the terminal cannot hold them. Keys still work.
import { Box, Text } from 'ink';
import { frameRows, MIN_COLUMNS, MIN_ROWS } from './layout.ts';

export interface TerminalTooSmallProps {
  columns: number;
  rows: number;
  /** The question to show instead, when a prompt is open. */
  prompt: string | null;
}

export function TerminalTooSmall({ columns, rows, prompt }: TerminalTooSmallProps) {
  const text = prompt ?? `evident needs ${MIN_COLUMNS}×${MIN_ROWS}, this terminal is ${columns}×${rows} (q quits)`;
  return (
    <Box width={Math.max(1, columns)} height={Math.max(1, frameRows(rows))} overflow="hidden">
      <Text wrap="wrap">{text}</Text>
    </Box>
  );
}
