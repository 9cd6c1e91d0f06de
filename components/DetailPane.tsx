// Everything about the selected service: its process tree, CPU and RSS over time, the
// last probe, the last error and the tail of its output, cut to the rows it is given.
import { Box, Text } from 'ink';
import type { FleetController } from '../src/supervisor/fleet-controller.ts';
import type { ProbeResult, ServiceSnapshot } from '../src/telemetry/fleet-snapshot.ts';
import { probeCodeText } from '../src/probes/probe-label.ts';
import { fitRight, formatAgo, formatBytes, formatDuration, formatPercent, truncate } from './format.ts';
import { planDetail } from './layout.ts';
import { LogTail } from './LogTail.tsx';
import { ProcessTree } from './ProcessTree.tsx';
import { Sparkline } from './Sparkline.tsx';
import type { SparklineScale } from './sparkline-text.ts';
import { colorProps, stateColor } from './state-color.ts';

export interface DetailPaneProps {
  controller: FleetController;
  service: ServiceSnapshot;
  /** Epoch ms of the snapshot, for uptime and probe age. */
  now: number;
  width: number;
  /** Rows the pane may use, its title line included. */
  height: number;
  colors: boolean;
}

/** `── openclaw :7040 running · pid 4242 · up 1h02m · 2 restarts ────`, exactly `width` wide. */
export function detailTitle(service: ServiceSnapshot, now: number, width: number): string {
  const parts = [`${service.name} :${service.port} ${service.state}`];
  if (service.pid !== null) parts.push(`pid ${service.pid}`);
  if (service.startedAt !== null) parts.push(`up ${formatDuration(Math.max(0, now - service.startedAt))}`);
  parts.push(`${service.restarts} restart${service.restarts === 1 ? '' : 's'}`);
  const text = `── ${parts.join(' · ')} `;
  return truncate(text, width).padEnd(width, '─');
}

export function probeLine(probe: ProbeResult | null, now: number): string {
  if (probe === null) return 'probe: none yet';
  const detail = probe.detail === '' ? (probe.code === null ? 'no detail' : probeCodeText(probe.code)) : probe.detail;
  return `probe ${probe.ok ? 'ok' : 'FAILED'}: ${detail} in ${Math.round(probe.latencyMs)}ms, ${formatAgo(probe.at, now)}`;
}

/** CPU bars start at 0 and fill at 1% or more, so an idle service looks idle. */
const CPU_SCALE: SparklineScale = { base: 'zero', ceiling: 1 };
/** RSS bars span the range shown, so growth is visible on top of a large base. */
const RSS_SCALE: SparklineScale = { base: 'range', ceiling: 0 };

// "cpu " + bars + " " + value(6) + "   rss " + bars + " " + value(9)
const SPARK_LABELS = 4 + 1 + 6 + 3 + 4 + 1 + 9;

export function DetailPane({ controller, service, now, width, height, colors }: DetailPaneProps) {
  const plan = planDetail(height, service.tree.length, service.lastError !== null);
  if (height <= 0) return null;
  const barWidth = Math.max(0, Math.floor((width - SPARK_LABELS) / 2));
  const dim = colors ? { dimColor: true } : {};
  return (
    <Box flexDirection="column" width={width} height={height} flexShrink={0} overflow="hidden">
      <Text wrap="truncate-end" {...colorProps(colors, stateColor(service.state))}>
        {detailTitle(service, now, width)}
      </Text>
      {plan.showTree && <ProcessTree processes={service.tree} rows={plan.treeRows} width={width} colors={colors} />}
      {plan.showError && (
        <Text wrap="truncate-end" {...colorProps(colors, 'red')}>
          {`last error: ${service.lastError ?? ''}`}
        </Text>
      )}
      {plan.showProbe && (
        <Text wrap="truncate-end" {...colorProps(colors, service.probe === null || service.probe.ok ? undefined : 'red')}>
          {probeLine(service.probe, now)}
        </Text>
      )}
      {plan.showSparklines && (
        <Text wrap="truncate-end">
          {'cpu '}
          <Sparkline values={service.cpuHistory} width={barWidth} scale={CPU_SCALE} color={colors ? 'cyan' : undefined} />
          {` ${fitRight(formatPercent(service.cpuPercent), 6)}   rss `}
          <Sparkline values={service.rssHistory} width={barWidth} scale={RSS_SCALE} color={colors ? 'magenta' : undefined} />
          {` ${fitRight(formatBytes(service.rssBytes), 9)}`}
        </Text>
      )}
      {plan.logRows > 0 && (
        <Text wrap="truncate-end" {...dim}>
          {'── log '.padEnd(width, '─')}
        </Text>
      )}
      {plan.logRows > 0 && <LogTail controller={controller} service={service.name} rows={plan.logRows} width={width} colors={colors} />}
    </Box>
  );
}
