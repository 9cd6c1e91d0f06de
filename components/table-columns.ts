// The services table as text: column widths for a terminal width, and one row of
// already-formatted cells per service (so a row re-renders only when its text changes).
import type { PortHolder, ProbeResult, ServiceSnapshot, ServiceState } from '../src/telemetry/fleet-snapshot.ts';
import { probeLabel } from '../src/probes/probe-label.ts';
import { fitLeft, fitRight, formatBytes, formatDuration, formatPercent, MISSING } from './format.ts';

export interface ColumnWidths {
  marker: number;
  name: number;
  pid: number;
  state: number;
  health: number;
  cpu: number;
  rss: number;
  uptime: number;
  restarts: number;
}

const FIXED = { marker: 2, pid: 7, state: 9, cpu: 6, rss: 9, uptime: 6, restarts: 8 } as const;
const GAPS = 7;
const HEALTH_MIN = 11;
const NAME_MIN = 8;
const NAME_MAX = 24;

/** Widths that add up to at most `total` when it allows (80 columns does); extra room goes to name, then health. */
export function columnWidths(total: number): ColumnWidths {
  const fixed = FIXED.marker + FIXED.pid + FIXED.state + FIXED.cpu + FIXED.rss + FIXED.uptime + FIXED.restarts + GAPS;
  const free = Math.max(0, total - fixed - HEALTH_MIN);
  const name = Math.max(NAME_MIN, Math.min(NAME_MAX, free));
  const health = HEALTH_MIN + Math.max(0, free - name);
  return { ...FIXED, name, health };
}

export interface RowModel {
  name: string;
  pid: string;
  state: ServiceState;
  health: string;
  cpu: string;
  rss: string;
  uptime: string;
  restarts: string;
  /** `port 7010 held by pid 4242 node x.js`, or null when the port is free or ours. */
  holder: string | null;
  holderOurs: boolean;
}

/**
 * A probe in a few characters: `200 3ms` (HTTP status), `ok 186ms` (a command that exited
 * 0, or a tcp connect), `exit 1 186ms` (a command that failed), `bad body` / `bad output`
 * (right status or exit code, wrong answer), `refused`, `timeout`, or `—` before the first
 * probe. An exit code is never shown as if it were a status.
 */
export function healthText(probe: ProbeResult | null): string {
  return probe === null ? MISSING : probeLabel(probe);
}

export function holderText(holder: PortHolder): string {
  const who = holder.pid === null ? 'a process evident cannot see' : `pid ${holder.pid}`;
  const command = holder.command === '' ? '' : ` ${holder.command}`;
  const ours = holder.ours ? ' (ours: press R to reap)' : '';
  return `port ${holder.port} held by ${who}${command}${ours}`;
}

export function rowModel(service: ServiceSnapshot, now: number): RowModel {
  return {
    name: service.name,
    pid: service.pid === null ? MISSING : String(service.pid),
    state: service.state,
    health: healthText(service.probe),
    cpu: formatPercent(service.cpuPercent),
    rss: formatBytes(service.rssBytes),
    uptime: service.startedAt === null ? MISSING : formatDuration(Math.max(0, now - service.startedAt)),
    restarts: String(service.restarts),
    holder: service.portHolder === null ? null : holderText(service.portHolder),
    holderOurs: service.portHolder?.ours ?? false,
  };
}

export function sameRow(a: RowModel, b: RowModel): boolean {
  return (
    a.name === b.name &&
    a.pid === b.pid &&
    a.state === b.state &&
    a.health === b.health &&
    a.cpu === b.cpu &&
    a.rss === b.rss &&
    a.uptime === b.uptime &&
    a.restarts === b.restarts &&
    a.holder === b.holder &&
    a.holderOurs === b.holderOurs
  );
}

/** The cells of a row, each padded to its column, split around the state (which may be coloured). */
export function rowCells(row: RowModel, w: ColumnWidths): { before: string; state: string; after: string } {
  return {
    before: `${fitLeft(row.name, w.name)} ${fitRight(row.pid, w.pid)} `,
    state: fitLeft(row.state, w.state),
    after: ` ${fitLeft(row.health, w.health)} ${fitRight(row.cpu, w.cpu)} ${fitRight(row.rss, w.rss)} ${fitRight(row.uptime, w.uptime)} ${fitRight(row.restarts, w.restarts)}`,
  };
}

export function headerCells(w: ColumnWidths): string {
  return (
    ' '.repeat(w.marker) +
    `${fitLeft('NAME', w.name)} ${fitRight('PID', w.pid)} ${fitLeft('STATE', w.state)} ${fitLeft('HEALTH', w.health)} ` +
    `${fitRight('CPU', w.cpu)} ${fitRight('RSS', w.rss)} ${fitRight('UPTIME', w.uptime)} ${fitRight('RESTARTS', w.restarts)}`
  );
}
