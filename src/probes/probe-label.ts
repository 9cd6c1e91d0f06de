// A probe result in a few characters, the same in the console and the plain tables:
// `200 3ms` (HTTP status), `ok 186ms` (a command that exited 0, or a tcp connect),
// `exit 1 186ms` (a command that failed), `bad body` or `bad output` (the status or exit
// code was right, what came back was not), `refused`, `timeout`, or the probe's own words.
// An exit code is never shown as if it were an HTTP status, nor a right one as a success.
import type { ProbeResult } from '../telemetry/fleet-snapshot.ts';

/** HTTP statuses start at 100; a probe code below that is an exec probe's exit code. */
export function isExitCode(code: number): boolean {
  return code < 100;
}

/** A probe's code as a word: `200` for HTTP, `exit 0` for a command's exit code. */
export function probeCodeText(code: number): string {
  return isExitCode(code) ? `exit ${code}` : String(code);
}

export function probeLabel(probe: ProbeResult): string {
  const latency = `${Math.round(probe.latencyMs)}ms`;
  if (!probe.ok && probe.mismatch !== undefined) return `bad ${probe.mismatch}`;
  if (probe.code !== null && isExitCode(probe.code)) return probe.code === 0 ? `ok ${latency}` : `${probeCodeText(probe.code)} ${latency}`;
  if (probe.code !== null) return `${probe.code} ${latency}`;
  if (probe.ok) return `ok ${latency}`;
  const detail = probe.detail.toLowerCase();
  if (detail.includes('refused')) return 'refused';
  if (detail.includes('timed out') || detail.includes('timeout')) return 'timeout';
  return probe.detail === '' ? 'failed' : probe.detail;
}
