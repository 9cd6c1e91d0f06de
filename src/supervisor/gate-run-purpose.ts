// How a gate runner names itself in the fleet lock (`gate gate2 run 01K…`), and which gate
// a holder's purpose names: written by the runner, read by every view that follows it.

export function gateRunPurpose(gate: string, runId: string): string {
  return `gate ${gate} run ${runId}`;
}

/** The gate a lock holder's purpose names, or null for a holder that is no gate runner. */
export function gateOfPurpose(purpose: string): string | null {
  return /^gate (\S+) run /.exec(purpose)?.[1] ?? null;
}
