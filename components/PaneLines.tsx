// A pane of finished lines (text and an optional colour each), one Ink row per line, cut to
// the height it is given: what the gates pane and the soak view draw their lines with.
import { Box, Text } from 'ink';
import type { PaneLine } from './gates-pane-lines.ts';
import { colorProps } from './state-color.ts';

export interface PaneLinesProps {
  lines: readonly PaneLine[];
  width: number;
  height: number;
  colors: boolean;
}

export function PaneLines({ lines, width, height, colors }: PaneLinesProps) {
  if (height <= 0) return null;
  return (
    <Box flexDirection="column" width={width} height={height} flexShrink={0} overflow="hidden">
      {lines.map((line, i) => (
        <Text key={i} wrap="truncate-end" {...colorProps(colors, line.color)}>
          {line.text || ' '}
        </Text>
      ))}
    </Box>
  );
}
