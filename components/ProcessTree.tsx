// A service's processes, one line each (pid, parent pid, state letter, CPU, RSS, command),
// the command indented under its parent. Shows at most `rows` processes.
import { Box, Text } from 'ink';
import type { TreeProcess } from '../src/telemetry/fleet-snapshot.ts';
import { fitLeft, fitRight, formatBytes, formatPercent } from './format.ts';
import { orderTree } from './process-tree.ts';
import { colorProps } from './state-color.ts';

export interface ProcessTreeProps {
  processes: readonly TreeProcess[];
  /** Process lines allowed below the column header. */
  rows: number;
  width: number;
  colors: boolean;
}

const COLUMNS = `${fitRight('PID', 7)} ${fitRight('PPID', 7)} S ${fitRight('CPU', 6)} ${fitRight('RSS', 9)}  COMMAND`;

export function processLine(process: TreeProcess, depth: number): string {
  const indent = depth === 0 ? '' : `${'  '.repeat(depth - 1)}└ `;
  // A defunct process has no command line left: it waits for its parent (the line above it) to collect it.
  const command = process.command === '' ? (process.state === 'Z' ? '(defunct: not yet collected by its parent)' : '(no command line)') : shortProgram(process.command);
  return `${fitRight(String(process.pid), 7)} ${fitRight(String(process.ppid), 7)} ${fitLeft(process.state, 1)} ${fitRight(formatPercent(process.cpuPercent), 6)} ${fitRight(formatBytes(process.rssBytes), 9)}  ${indent}${command}`;
}

export function ProcessTree({ processes, rows, width, colors }: ProcessTreeProps) {
  if (processes.length === 0) {
    return <Text wrap="truncate-end">  no process running</Text>;
  }
  if (rows <= 0) return null;
  const ordered = orderTree(processes);
  const fits = ordered.length <= rows;
  const shown = fits ? ordered : ordered.slice(0, rows - 1);
  const more = ordered.length - shown.length;
  return (
    <Box flexDirection="column" width={width} flexShrink={0}>
      <Text wrap="truncate-end" {...(colors ? { dimColor: true } : {})}>
        {COLUMNS}
      </Text>
      {shown.map(({ process, depth }) => (
        <Text key={process.pid} wrap="truncate-end" {...colorProps(colors, process.state === 'Z' ? 'red' : undefined)}>
          {processLine(process, depth)}
        </Text>
      ))}
      {more > 0 && <Text wrap="truncate-end">{`        … ${more} more process${more === 1 ? '' : 'es'}`}</Text>}
    </Box>
  );
}

/**
 * The command made to fit the pane: the program's own name instead of its full path
 * (`/opt/x/bin/node a.ts` → `node a.ts`), and long absolute paths among the arguments cut
 * to their last two parts (`/home/op/src/fleet/worker.ts` → `…/fleet/worker.ts`), so the
 * words that tell processes apart stay visible however deep the checkout is.
 */
export function shortProgram(command: string): string {
  // Windows reports a program path with spaces in quotes: "C:\Program Files\node.exe" a.ts
  const quoted = command.startsWith('"') ? command.indexOf('"', 1) : -1;
  const end = quoted > 0 ? quoted + 1 : command.indexOf(' ') < 0 ? command.length : command.indexOf(' ');
  const program = command.slice(0, end).replaceAll('"', '');
  const base = program.split(/[\\/]/).pop() ?? program;
  const args = command.slice(end).split(' ').filter((arg) => arg !== '');
  return [base, ...args.map(shortPath)].join(' ');
}

const ABSOLUTE_PATH = /^(?:\/|[A-Za-z]:[\\/]|\\\\)/;

function shortPath(arg: string): string {
  if (!ABSOLUTE_PATH.test(arg)) return arg;
  const parts = arg.split(/[\\/]/).filter((part) => part !== '');
  if (parts.length <= 3) return arg;
  const sep = arg.includes('\\') && !arg.includes('/') ? '\\' : '/';
  return `…${sep}${parts.slice(-2).join(sep)}`;
}
