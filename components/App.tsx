// The console: header, services table, the selected service's detail, footer; the help
// and the quit question open over the panes and take the keys while they are open.
import { useMemo } from 'react';
import { Box, useWindowSize } from 'ink';
import type { FleetController } from '../src/supervisor/fleet-controller.ts';
import type { QuitChoice } from './console-state.ts';
import { selectedName } from './console-state.ts';
import { DetailPane } from './DetailPane.tsx';
import { Footer, FOOTER_HEIGHT } from './Footer.tsx';
import { Header, headerHeight } from './Header.tsx';
import { HelpOverlay } from './HelpOverlay.tsx';
import { useActionRunner } from './hooks/use-action-runner.ts';
import { scopeOf, useConsoleKeys } from './hooks/use-console-keys.ts';
import { useConsoleState } from './hooks/use-console-state.ts';
import { useFleetSnapshot } from './hooks/use-fleet-snapshot.ts';
import { frameRows, MIN_COLUMNS, MIN_ROWS, planBody } from './layout.ts';
import { QuitPrompt, quitPromptHeight, quitQuestion } from './QuitPrompt.tsx';
import { ServicesTable, tableHeight } from './ServicesTable.tsx';
import { TerminalTooSmall } from './TerminalTooSmall.tsx';

interface AppProps {
  controller: FleetController;
  /** Called once, with the operator's answer to the quit question; the caller ends the program. */
  onQuit: (choice: QuitChoice) => void;
  /** False under NO_COLOR or when stdout is not a terminal: then no colour props at all. */
  colors: boolean;
}

/** Rows kept for the detail pane below the table before the table starts to scroll (at most half the body). */
const MIN_DETAIL_ROWS = 6;

export function App({ controller, onQuit, colors }: AppProps) {
  const snapshot = useFleetSnapshot(controller);
  const { columns, rows } = useWindowSize();
  const store = useConsoleState();
  const runner = useActionRunner();
  const keysOn = useConsoleKeys({ controller, store, runner, onQuit });

  const { mode, quitChoice } = store.state;
  const names = useMemo(() => snapshot.services.map((s) => s.name), [snapshot.services]);
  const selected = selectedName(store.state, names);
  const service = snapshot.services.find((s) => s.name === selected) ?? null;
  const quitOpen = mode === 'quit' || mode === 'quitting';
  const scope = scopeOf(mode);

  if (columns < MIN_COLUMNS || rows < MIN_ROWS) {
    return <TerminalTooSmall columns={columns} rows={rows} prompt={quitOpen ? quitQuestion() : null} />;
  }

  const width = columns;
  const height = frameRows(rows);
  const body = height - headerHeight(snapshot.leftovers) - FOOTER_HEIGHT;
  const minDetail = quitOpen ? quitPromptHeight(width) : Math.min(MIN_DETAIL_ROWS, Math.floor(body / 2));
  const plan = planBody(body, tableHeight(snapshot.services), minDetail);
  const running = snapshot.services.filter((s) => s.state === 'running').length;

  return (
    <Box flexDirection="column" width={width} height={height} overflow="hidden">
      <Header
        contract={snapshot.contract}
        host={snapshot.host}
        services={snapshot.services}
        leftovers={snapshot.leftovers}
        skippedTicks={snapshot.skippedTicks}
        width={width}
        colors={colors}
      />
      <Box flexDirection="column" width={width} height={body} flexShrink={0} overflow="hidden">
        {mode === 'help' ? (
          <HelpOverlay width={width} height={body} colors={colors} />
        ) : (
          <>
            <ServicesTable services={snapshot.services} now={snapshot.at} selected={selected} width={width} height={plan.table} colors={colors} />
            {quitOpen ? (
              <QuitPrompt running={running} total={snapshot.services.length} choice={quitChoice} width={width} height={Math.min(plan.detail, quitPromptHeight(width))} colors={colors} />
            ) : (
              service !== null && <DetailPane controller={controller} service={service} now={snapshot.at} width={width} height={plan.detail} colors={colors} />
            )}
          </>
        )}
      </Box>
      <Footer activity={snapshot.activity} status={runner.status} scope={scope} keysOn={keysOn} width={width} colors={colors} />
    </Box>
  );
}
