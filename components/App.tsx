// The console: header, services table, and below it the selected service's detail or the
// gates pane; footer. The help, the blocker form and the readers (execution log, blocker
// list) open over the panes, the quit question and the gate confirmation below the
// table; each takes the keys while it is open. S puts the soak's on-call view in place of
// the table and panes until S, f or Esc brings them back.
import { useMemo, useRef } from 'react';
import { Box, useWindowSize } from 'ink';
import type { FleetControlSource } from '../src/supervisor/fleet-lock-watch.ts';
import { holderLabel } from '../src/supervisor/fleet-lock-watch.ts';
import type { GateController } from '../gates/desk/gate-controller.ts';
import type { FleetController } from '../src/supervisor/fleet-controller.ts';
import { BlockerFormPane } from './BlockerFormPane.tsx';
import { blockerListText } from './blocker-list-text.ts';
import type { QuitChoice } from './console-state.ts';
import { INITIAL_CONSOLE_STATE, selectedName } from './console-state.ts';
import { DetailPane } from './DetailPane.tsx';
import { controlLine, fleetHolder } from './fleet-control-text.ts';
import { Footer, FOOTER_HEIGHT } from './Footer.tsx';
import type { HintOptions } from './footer-hints.ts';
import { GateConfirm, confirmHeight } from './GateConfirm.tsx';
import { GatesPane, gatesPaneHeight } from './GatesPane.tsx';
import { Header, headerHeight } from './Header.tsx';
import { HelpOverlay } from './HelpOverlay.tsx';
import { SoakPane } from './SoakPane.tsx';
import { chooseSoakRun } from './soak-run-choice.ts';
import type { SoakView } from './soak-view-lines.ts';
import { useActionRunner } from './hooks/use-action-runner.ts';
import { scopeOf, useConsoleKeys } from './hooks/use-console-keys.ts';
import { useConsoleState } from './hooks/use-console-state.ts';
import { useExecutionLog } from './hooks/use-execution-log.ts';
import { useFleetControl } from './hooks/use-fleet-control.ts';
import { useFleetSnapshot } from './hooks/use-fleet-snapshot.ts';
import { useGateDesk } from './hooks/use-gate-desk.ts';
import { useSoakRun } from './hooks/use-soak-run.ts';
import { GATE_COMMANDS, SERVICE_COMMANDS } from './key-bindings.ts';
import { frameRows, MIN_COLUMNS, MIN_ROWS, planBody } from './layout.ts';
import { QuitPrompt, quitPromptHeight, quitQuestion } from './QuitPrompt.tsx';
import { Reader, readerMaxScroll } from './Reader.tsx';
import { ServicesTable, tableHeight } from './ServicesTable.tsx';
import { TerminalTooSmall } from './TerminalTooSmall.tsx';
import { wrapText } from './wrap-text.ts';

interface AppProps {
  controller: FleetController;
  /** The gate engine: states, the followed run, and the gate keys' actions. */
  gates: GateController;
  /** Who controls the fleet: this console, or a gate runner it follows. */
  control: FleetControlSource;
  /** Called once, with the operator's answer to the quit question; the caller ends the program. */
  onQuit: (choice: QuitChoice) => void;
  /** False under NO_COLOR or when stdout is not a terminal: then no colour props at all. */
  colors: boolean;
  /** Where run folders are: the soak view reads its run there (without it, the view says so). */
  artifactsDir?: string | null;
}

/** Rows kept for the detail pane below the table before the table starts to scroll (at most half the body). */
const MIN_DETAIL_ROWS = 6;

const HIDE_SERVICE_HINTS: HintOptions = { hidden: SERVICE_COMMANDS, hints: { 'pane.toggle': 'detail' } };
const HIDE_GATE_HINTS: HintOptions = { hidden: GATE_COMMANDS };
const FOLLOWING_DETAIL_HINTS: HintOptions = { hidden: SERVICE_COMMANDS };
/** While another process holds the fleet, quitting cannot stop it. */
const FOLLOWING_QUIT_HINTS: HintOptions = { hidden: new Set(['quit.stop-fleet']) };

export function App({ controller, gates, control, onQuit, colors, artifactsDir = null }: AppProps) {
  const snapshot = useFleetSnapshot(controller);
  const desk = useGateDesk(gates);
  const fleetControl = useFleetControl(control);
  const { columns, rows } = useWindowSize();
  // A console that opens while a runner holds the fleet shows the gates first.
  const store = useConsoleState(control.getSnapshot().kind === 'controlling' ? INITIAL_CONSOLE_STATE : { ...INITIAL_CONSOLE_STATE, pane: 'gates' });
  const runner = useActionRunner();
  const readerLimits = useRef({ maxScroll: 0, page: 1 });
  const keysOn = useConsoleKeys({ controller, gates, control: control.getSnapshot, store, runner, onQuit, reader: () => readerLimits.current });

  const { mode, quitChoice, pane } = store.state;
  const names = useMemo(() => snapshot.services.map((s) => s.name), [snapshot.services]);
  const selected = selectedName(store.state, names);
  const service = snapshot.services.find((s) => s.name === selected) ?? null;
  const quitOpen = mode === 'quit' || mode === 'quitting';
  const scope = scopeOf(mode);
  const held = controlLine(fleetControl);
  const following = fleetControl.kind === 'following' ? holderLabel(fleetControl.holder) : null;
  const log = useExecutionLog(gates, mode === 'log');
  const soakChoice = useMemo(() => chooseSoakRun(desk, fleetControl, artifactsDir), [desk, fleetControl, artifactsDir]);
  const soak = useSoakRun(soakChoice.kind === 'run' ? soakChoice.dir : null, mode === 'soak');
  const soakRunId = soakChoice.kind === 'run' ? soakChoice.runId : null;
  const soakRunner = soakChoice.kind === 'run' ? soakChoice.runner : null;
  const soakMessage = soakChoice.kind === 'none' ? soakChoice.message : null;
  const soakView = useMemo<SoakView>(
    () =>
      soakRunId === null || soakRunner === null
        ? { kind: 'none', gate: soakChoice.gate, message: soakMessage ?? '' }
        : { kind: 'run', gate: soakChoice.gate, runId: soakRunId, snapshot: soak.snapshot, runner: soakRunner },
    [soakChoice.gate, soakRunId, soakRunner, soakMessage, soak.snapshot],
  );
  const width = columns;
  const readerLines = useMemo(() => {
    if (mode === 'blockers') return wrapText(blockerListText(desk.blockers), width);
    if (mode !== 'log') return [];
    if (log.state === 'read') return wrapText(log.text, width);
    return [log.state === 'failed' ? `the execution log could not be read: ${log.message}` : 'reading the journals…'];
  }, [mode, log, desk.blockers, width]);

  if (columns < MIN_COLUMNS || rows < MIN_ROWS) {
    return <TerminalTooSmall columns={columns} rows={rows} prompt={quitOpen ? quitQuestion(undefined, following) : null} />;
  }

  const height = frameRows(rows);
  const body = height - headerHeight(snapshot.leftovers, held) - FOOTER_HEIGHT;
  readerLimits.current = { maxScroll: readerMaxScroll(readerLines.length, body), page: Math.max(1, body - 2) };
  const confirm = mode === 'confirm-gate' ? store.state.confirm : null;
  const showGates = pane === 'gates';
  const minBelow = quitOpen
    ? quitPromptHeight(width, undefined, following)
    : confirm !== null
      ? confirmHeight(confirm, width)
      : showGates
        ? Math.min(gatesPaneHeight(desk, width), Math.floor((body * 2) / 3))
        : Math.min(MIN_DETAIL_ROWS, Math.floor(body / 2));
  const plan = planBody(body, tableHeight(snapshot.services), minBelow);
  const running = snapshot.services.filter((s) => s.state === 'running').length;
  const readOnly = fleetControl.kind !== 'controlling';
  const hints = scope === 'quit' ? (readOnly ? FOLLOWING_QUIT_HINTS : undefined) : showGates ? HIDE_SERVICE_HINTS : readOnly ? FOLLOWING_DETAIL_HINTS : HIDE_GATE_HINTS;

  let content;
  if (mode === 'help') content = <HelpOverlay width={width} height={body} colors={colors} />;
  else if (mode === 'soak') content = <SoakPane view={soakView} now={soak.now} width={width} height={body} colors={colors} />;
  else if (mode === 'blocker-form' && store.state.form !== null) content = <BlockerFormPane form={store.state.form} width={width} height={body} colors={colors} />;
  else if (mode === 'log' || mode === 'blockers') {
    const title = mode === 'log' ? 'execution log' : `blockers documented (${desk.blockers.length})`;
    content = <Reader title={title} lines={readerLines} scroll={store.state.scroll} width={width} height={body} />;
  } else {
    let below = null;
    if (quitOpen) below = <QuitPrompt running={running} total={snapshot.services.length} choice={quitChoice} following={following} width={width} height={Math.min(plan.detail, quitPromptHeight(width, undefined, following))} colors={colors} />;
    else if (confirm !== null) below = <GateConfirm confirm={confirm} width={width} height={Math.min(plan.detail, confirmHeight(confirm, width))} colors={colors} />;
    else if (showGates) below = <GatesPane snapshot={desk} holder={fleetHolder(fleetControl)} width={width} height={plan.detail} colors={colors} />;
    else if (service !== null) below = <DetailPane controller={controller} service={service} now={snapshot.at} width={width} height={plan.detail} colors={colors} />;
    content = (
      <>
        <ServicesTable services={snapshot.services} now={snapshot.at} selected={selected} width={width} height={plan.table} colors={colors} />
        {below}
      </>
    );
  }

  return (
    <Box flexDirection="column" width={width} height={height} overflow="hidden">
      <Header
        contract={snapshot.contract}
        host={snapshot.host}
        services={snapshot.services}
        leftovers={snapshot.leftovers}
        skippedTicks={snapshot.skippedTicks}
        control={held}
        width={width}
        colors={colors}
      />
      <Box flexDirection="column" width={width} height={body} flexShrink={0} overflow="hidden">
        {content}
      </Box>
      <Footer activity={snapshot.activity} status={runner.status} scope={scope} keysOn={keysOn} hints={hints} width={width} colors={colors} />
    </Box>
  );
}
