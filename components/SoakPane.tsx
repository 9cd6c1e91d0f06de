// Gate 2's on-call view: the soak run's status, traffic, latency sparklines, memory growth
// and the breach (or the criterion nearest to one), cut to the rows it is given. Used
// full-body by the console (S) and full-screen by `evident watch`.
import { memo, useMemo } from 'react';
import { fitPaneLines } from './gates-pane-lines.ts';
import { soakViewLines, type SoakView } from './soak-view-lines.ts';
import { PaneLines } from './PaneLines.tsx';

export interface SoakPaneProps {
  view: SoakView;
  /** Epoch ms the times count to. */
  now: number;
  width: number;
  height: number;
  colors: boolean;
}

function SoakPaneView({ view, now, width, height, colors }: SoakPaneProps) {
  const lines = useMemo(() => fitPaneLines(soakViewLines(view, width, now, height), height, width), [view, now, width, height]);
  return <PaneLines lines={lines} width={width} height={height} colors={colors} />;
}

export const SoakPane = memo(SoakPaneView);
