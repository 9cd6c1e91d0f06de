// The cells of plain-text service tables and the probe in JSON, the same for every
// headless command.
import type { ProbeResult } from '../telemetry/fleet-snapshot.ts';

/** HTTP status as is; an exec probe's exit code says so; tcp has none. */
export function healthCode(code: number | null, ok: boolean): string {
  if (code === null) return ok ? 'ok' : 'fail';
  return code < 100 ? `exit ${code}` : String(code);
}

export function healthCell(probe: ProbeResult | null): string {
  return probe ? `${healthCode(probe.code, probe.ok)} ${probe.latencyMs}ms` : '-';
}

export function percentCell(percent: number | null): string {
  return percent === null ? '-' : `${percent.toFixed(1)}%`;
}

export function bytesCell(bytes: number | null): string {
  return bytes === null ? '-' : `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

export function pidCell(pid: number | null): string {
  return pid === null ? '-' : String(pid);
}

export function probeJson(probe: ProbeResult | null) {
  return probe ? { ok: probe.ok, code: probe.code, latency_ms: probe.latencyMs, detail: probe.detail } : null;
}
