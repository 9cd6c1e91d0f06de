// The last lines a service wrote, as of the latest telemetry tick, exactly as many as fit.
import { memo } from 'react';
import { Box, Text } from 'ink';
import type { FleetController } from '../src/supervisor/fleet-controller.ts';
import { useLogTail } from './hooks/use-log-tail.ts';

export interface LogTailProps {
  controller: FleetController;
  service: string;
  /** Lines available for output; the tail never shows more. */
  rows: number;
  width: number;
  colors: boolean;
}

function LogTailView({ controller, service, rows, width, colors }: LogTailProps) {
  const tail = useLogTail(controller, service, rows);
  if (rows <= 0) return null;
  const lines = tail.lines;
  const placeholder = tail.loaded ? '(no output yet)' : 'reading log…';
  return (
    <Box flexDirection="column" width={width} height={rows} flexShrink={0} overflow="hidden">
      {lines.length === 0 && (
        <Text wrap="truncate-end" {...(colors ? { dimColor: true } : {})}>
          {placeholder}
        </Text>
      )}
      {lines.map((line, i) => (
        // Lines have no identity of their own; their position from the bottom is stable enough for a tail.
        <Text key={lines.length - i} wrap="truncate-end">
          {line === '' ? ' ' : line}
        </Text>
      ))}
    </Box>
  );
}

export const LogTail = memo(LogTailView);
