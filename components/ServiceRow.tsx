// One service in the table: a line of cells, and a second line when someone else holds
// its port. Memoised on its text, so a snapshot that leaves a row unchanged skips it.
import { memo } from 'react';
import { Box, Text } from 'ink';
import { colorProps, stateColor } from './state-color.ts';
import { rowCells, sameRow } from './table-columns.ts';
import type { ColumnWidths, RowModel } from './table-columns.ts';

export interface ServiceRowProps {
  row: RowModel;
  selected: boolean;
  widths: ColumnWidths;
  width: number;
  colors: boolean;
  /** False hides the port-holder line (when only one row fits). */
  showHolder: boolean;
}

function ServiceRowView({ row, selected, widths, width, colors, showHolder }: ServiceRowProps) {
  const cells = rowCells(row, widths);
  const marker = (selected ? '›' : ' ').padEnd(widths.marker);
  const emphasis = colors && selected ? { bold: true } : {};
  return (
    <Box flexDirection="column" width={width} flexShrink={0}>
      <Text wrap="truncate-end" {...emphasis}>
        {marker}
        {cells.before}
        <Text {...colorProps(colors, stateColor(row.state))}>{cells.state}</Text>
        {cells.after}
      </Text>
      {showHolder && row.holder !== null && (
        <Text wrap="truncate-end" {...colorProps(colors, row.holderOurs ? 'yellow' : 'red')}>
          {' '.repeat(widths.marker + 2)}
          {row.holder}
        </Text>
      )}
    </Box>
  );
}

export const ServiceRow = memo(
  ServiceRowView,
  (a, b) =>
    a.selected === b.selected &&
    a.showHolder === b.showHolder && a.width === b.width && a.colors === b.colors && a.widths === b.widths && sameRow(a.row, b.row),
);

/** Lines a row takes on screen with its holder line. */
export function rowHeight(row: RowModel): number {
  return row.holder === null ? 1 : 2;
}
