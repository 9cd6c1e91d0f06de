// Every gate kind evident can run, by the pipeline's `kind`. A new gate adds its line here.
import type { GateKind } from './gate-kind.ts';
import { preflightKind } from './preflight/kind.ts';
import { releaseKind } from './release/kind.ts';
import { soakKind } from './soak/kind.ts';
import { startStopCyclesKind } from './start-stop-cycles/kind.ts';

const KINDS: readonly GateKind[] = [preflightKind, startStopCyclesKind, soakKind, releaseKind];

export function gateKind(kind: string): GateKind | undefined {
  return KINDS.find((k) => k.kind === kind);
}
