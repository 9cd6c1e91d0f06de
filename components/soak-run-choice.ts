// Which soak run the console's soak view shows: the one whose runner holds the fleet (or
// the desk follows) when it is the soak gate's, else the soak gate's latest run under the
// current contract; with none, what to say instead. Pure: the gate desk's snapshot and
// the fleet control in, a run folder out.
import { join } from 'node:path';
import type { FleetControl } from '../src/supervisor/fleet-lock-watch.ts';
import type { GateDeskSnapshot } from '../gates/desk/gate-controller.ts';
import { gateOfPurpose } from '../src/supervisor/gate-run-purpose.ts';

/** Whether the run's runner is known to hold the fleet, known gone, or not known. */
export type RunnerLiveness = 'live' | 'gone' | 'unknown';

export type SoakRunChoice =
  | { kind: 'run'; gate: string; runId: string; dir: string; runner: RunnerLiveness }
  | { kind: 'none'; gate: string; message: string };

const SOAK_KIND = 'soak';

export function chooseSoakRun(desk: GateDeskSnapshot, control: FleetControl, artifactsDir: string | null): SoakRunChoice {
  const state = desk.states.find((s) => s.gate.kind === SOAK_KIND);
  const gate = state?.gate.id ?? 'gate2';
  const run = (runId: string, runner: RunnerLiveness): SoakRunChoice =>
    artifactsDir === null ? { kind: 'none', gate, message: 'this console was not given an artifacts folder to read runs from' } : { kind: 'run', gate, runId, dir: join(artifactsDir, runId), runner };

  // The runner holding the fleet is the freshest news, before the states are even read.
  if (control.kind === 'following' && control.holder.run_id && gateOfPurpose(control.holder.purpose) === gate) {
    return run(control.holder.run_id, control.alive ? 'live' : 'gone');
  }
  if (desk.run !== null && desk.run.gate === gate && desk.run.live) return run(desk.run.runId, 'live');
  if (!desk.loaded) return { kind: 'none', gate, message: 'reading the gate states…' };
  if (state === undefined) return { kind: 'none', gate, message: `the pipeline ${desk.pipeline.name} has no soak gate` };
  if (state.run !== null) return run(state.run.run_id, state.status === 'RUNNING' ? 'live' : state.status === 'INTERRUPTED' ? 'gone' : 'unknown');
  return { kind: 'none', gate, message: `no ${gate} run yet under this contract: \`evident gate ${gate} --duration 3m\` starts a trial (or g, once the gates before it passed)` };
}
