// The top of the console: which contract runs, how the host and the console itself are
// doing, how many services are healthy, which process holds the fleet when it is not
// this console, and a warning when a stop left something behind.
import { memo } from 'react';
import { Box, Text } from 'ink';
import type { FleetSnapshot, HostSnapshot, ServiceSnapshot } from '../src/telemetry/fleet-snapshot.ts';
import { fitLeft, formatBytes, formatPercent, shortHash, truncate } from './format.ts';
import { leftoversLine } from './leftovers-text.ts';
import { colorProps } from './state-color.ts';

export interface HeaderProps {
  contract: FleetSnapshot['contract'];
  host: HostSnapshot;
  services: readonly ServiceSnapshot[];
  leftovers: FleetSnapshot['leftovers'];
  skippedTicks: number;
  /** Who holds the fleet when it is not this console (`fleet held by gate1 run … (pid …)`), else null. */
  control: string | null;
  width: number;
  colors: boolean;
}

/** Running with a passing probe. */
export function isHealthy(service: ServiceSnapshot): boolean {
  return service.state === 'running' && service.probe?.ok === true;
}

/** Lines the header takes: two, plus one when another process holds the fleet, plus one when leftovers were found. */
export function headerHeight(leftovers: FleetSnapshot['leftovers'], control: string | null = null): number {
  return 2 + (control === null ? 0 : 1) + (leftovers.length > 0 ? 1 : 0);
}

function HeaderView({ contract, host, services, leftovers, skippedTicks, control, width, colors }: HeaderProps) {
  const healthy = services.filter(isHealthy).length;
  const health = `${healthy}/${services.length} healthy`;
  const title = `evident · ${contract.name} v${contract.version} #${shortHash(contract.hash)}`;
  const titleWidth = Math.max(0, width - health.length - 1);
  const mem = host.memUsedBytes === null && host.memTotalBytes === null ? '—' : `${formatBytes(host.memUsedBytes)}/${formatBytes(host.memTotalBytes)}`;
  const skipped = skippedTicks > 0 ? `  ${skippedTicks} ticks skipped` : '';
  const machine = `host cpu ${formatPercent(host.cpuPercent)} mem ${mem}   console cpu ${formatPercent(host.selfCpuPercent)} rss ${formatBytes(host.selfRssBytes)}${skipped}`;
  const healthColor = healthy === services.length ? 'green' : 'yellow';
  return (
    <Box flexDirection="column" width={width} flexShrink={0}>
      <Text wrap="truncate-end">
        <Text {...(colors ? { bold: true } : {})}>{fitLeft(title, titleWidth)}</Text> <Text {...colorProps(colors, healthColor)}>{health}</Text>
      </Text>
      <Text wrap="truncate-end">{truncate(machine, width)}</Text>
      {control !== null && (
        <Text wrap="truncate-end" {...colorProps(colors, 'yellow')}>
          {truncate(control, width)}
        </Text>
      )}
      {leftovers.length > 0 && (
        <Text wrap="truncate-end" {...colorProps(colors, 'red')}>
          {truncate(`! ${leftoversLine(leftovers, width - 2)}`, width)}
        </Text>
      )}
    </Box>
  );
}

export const Header = memo(HeaderView);
