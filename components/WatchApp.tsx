// `evident watch` on a terminal: the soak view alone, full-screen, over a footer that says
// it only reads. q (or Ctrl-C, Esc) quits, handing back the verdict if the run has one.
import { useMemo, useRef } from 'react';
import { Box, Text, useInput, useStdin, useWindowSize } from 'ink';
import type { SoakStatus } from '../gates/soak/soak-run-follower.ts';
import { footerHints } from './footer-hints.ts';
import { truncate } from './format.ts';
import { useSoakRun } from './hooks/use-soak-run.ts';
import { commandFor, keyName } from './key-bindings.ts';
import { frameRows, MIN_COLUMNS, MIN_ROWS } from './layout.ts';
import { SoakPane } from './SoakPane.tsx';
import type { SoakView } from './soak-view-lines.ts';
import { TerminalTooSmall } from './TerminalTooSmall.tsx';

export interface WatchAppProps {
  dir: string;
  gate: string;
  runId: string;
  colors: boolean;
  /** Called when the operator quits, with the run's verdict if it has one. */
  onQuit: (status: SoakStatus | null) => void;
  everyMs?: number;
}

const FOOTER_ROWS = 2;

export function WatchApp({ dir, gate, runId, colors, onQuit, everyMs }: WatchAppProps) {
  const { columns, rows } = useWindowSize();
  const { isRawModeSupported } = useStdin();
  const reading = useSoakRun(dir, true, everyMs);
  const latest = useRef(reading);
  latest.current = reading;
  useInput(
    (input, key) => {
      if (commandFor('watch', keyName(input, key)) === 'watch.quit') onQuit(latest.current.snapshot?.end?.status ?? null);
    },
    { isActive: isRawModeSupported },
  );
  const snapshot = reading.snapshot;
  const view = useMemo<SoakView>(
    () => ({ kind: 'run', gate: snapshot?.run?.gate ?? gate, runId: snapshot?.run?.runId ?? runId, snapshot, runner: 'unknown' }),
    [snapshot, gate, runId],
  );
  if (columns < MIN_COLUMNS || rows < MIN_ROWS) return <TerminalTooSmall columns={columns} rows={rows} prompt={null} />;
  const height = frameRows(rows);
  const keys = isRawModeSupported ? footerHints('watch', columns) : 'keys are off: stdin is not a terminal (Ctrl-C quits)';
  return (
    <Box flexDirection="column" width={columns} height={height} overflow="hidden">
      <SoakPane view={view} now={reading.now} width={columns} height={height - FOOTER_ROWS} colors={colors} />
      <Text wrap="truncate-end">{truncate(`read-only: ${dir}`, columns)}</Text>
      <Text wrap="truncate-end" {...(colors ? { dimColor: true } : {})}>
        {truncate(keys, columns)}
      </Text>
    </Box>
  );
}
