// Below the services table: every gate of the pipeline with its state, and for a running
// gate its live progress from the run's journal, cut to the rows it is given.
import { memo, useMemo } from 'react';
import type { GateDeskSnapshot } from '../gates/desk/gate-controller.ts';
import { fitPaneLines, gatesPaneLines } from './gates-pane-lines.ts';
import { PaneLines } from './PaneLines.tsx';

export interface GatesPaneProps {
  snapshot: GateDeskSnapshot;
  /** Who holds the fleet when this console does not (`gate1 run …`), else null. */
  holder: string | null;
  width: number;
  /** Rows the pane may use, its title line included. */
  height: number;
  colors: boolean;
}

/** Rows the pane wants at a width. */
export function gatesPaneHeight(snapshot: GateDeskSnapshot, width: number): number {
  return gatesPaneLines(snapshot, width).length;
}

function GatesPaneView({ snapshot, holder, width, height, colors }: GatesPaneProps) {
  const lines = useMemo(() => fitPaneLines(gatesPaneLines(snapshot, width, holder), height, width), [snapshot, holder, width, height]);
  return <PaneLines lines={lines} width={width} height={height} colors={colors} />;
}

export const GatesPane = memo(GatesPaneView);
