// The fleet as a table: a header line, then one row per service, scrolled so the
// selected service is always in view when there are more rows than room.
import { useMemo } from 'react';
import { Box, Text } from 'ink';
import type { ServiceSnapshot } from '../src/telemetry/fleet-snapshot.ts';
import { visibleWindow } from './layout.ts';
import { rowHeight, ServiceRow } from './ServiceRow.tsx';
import { columnWidths, headerCells, rowModel } from './table-columns.ts';

export interface ServicesTableProps {
  services: readonly ServiceSnapshot[];
  /** Epoch ms of the snapshot: uptimes are measured to it, not to the wall clock. */
  now: number;
  selected: string | null;
  width: number;
  /** Rows the table may use, its header line included. */
  height: number;
  colors: boolean;
}

/** Rows the table needs to show every service. */
export function tableHeight(services: readonly ServiceSnapshot[]): number {
  return 1 + services.reduce((n, s) => n + (s.portHolder === null ? 1 : 2), 0);
}

export function ServicesTable({ services, now, selected, width, height, colors }: ServicesTableProps) {
  const widths = useMemo(() => columnWidths(width), [width]);
  const rows = useMemo(() => services.map((s) => rowModel(s, now)), [services, now]);
  if (height <= 0) return null;
  const selectedIndex = Math.max(0, rows.findIndex((r) => r.name === selected));
  const budget = height - 1;
  // When even the selected row's holder line does not fit, rows are shown one line each.
  const heights = rows.map((r) => Math.min(rowHeight(r), budget));
  const [start, end] = visibleWindow(heights, selectedIndex, budget);
  const hidden = rows.length - (end - start);
  const header = headerCells(widths);
  return (
    <Box flexDirection="column" width={width} height={height} flexShrink={0} overflow="hidden">
      <Text wrap="truncate-end" {...(colors ? { dimColor: true } : {})}>
        {hidden > 0 ? `${header.slice(0, width - 14).padEnd(width - 14)} ${start + 1}–${end} of ${rows.length}` : header}
      </Text>
      {rows.length === 0 && <Text wrap="truncate-end">  no services in the contract</Text>}
      {rows.slice(start, end).map((row) => (
        <ServiceRow
          key={row.name}
          row={row}
          selected={row.name === selected}
          showHolder={rowHeight(row) <= budget}
          widths={widths}
          width={width}
          colors={colors}
        />
      ))}
    </Box>
  );
}
