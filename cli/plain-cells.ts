// The cells of plain-text service tables and the probe in JSON, the same for every
// headless command.
import { probeLabel } from '../src/probes/probe-label.ts';
import type { ProbeResult } from '../src/telemetry/fleet-snapshot.ts';

export function healthCell(probe: ProbeResult | null): string {
  return probe ? probeLabel(probe) : '-';
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
