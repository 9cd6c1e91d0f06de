// A scrollable text over the panes (the execution log, the blocker list): a title line
// with the lines in view, then the lines. Scrolled by the console's key handler.
import { Box, Text } from 'ink';
import { truncate } from './format.ts';

export interface ReaderProps {
  title: string;
  /** Already wrapped to the width. */
  lines: readonly string[];
  /** The first line shown (clamped here too). */
  scroll: number;
  width: number;
  /** Rows the reader may use, its title included. */
  height: number;
}

/** The largest useful scroll for lines in a reader of `height` rows. */
export function readerMaxScroll(lineCount: number, height: number): number {
  return Math.max(0, lineCount - Math.max(1, height - 1));
}

export function Reader({ title, lines, scroll, width, height }: ReaderProps) {
  if (height <= 0) return null;
  const rows = Math.max(0, height - 1);
  const start = Math.min(Math.max(0, scroll), readerMaxScroll(lines.length, height));
  const shown = lines.slice(start, start + rows);
  const range = lines.length > rows ? ` · ${start + 1}–${start + shown.length} of ${lines.length}` : '';
  return (
    <Box flexDirection="column" width={width} height={height} flexShrink={0} overflow="hidden">
      <Text wrap="truncate-end">{truncate(`── ${title}${range} `, width).padEnd(width, '─')}</Text>
      {shown.map((line, i) => (
        <Text key={start + i} wrap="truncate-end">
          {truncate(line, width) || ' '}
        </Text>
      ))}
    </Box>
  );
}
