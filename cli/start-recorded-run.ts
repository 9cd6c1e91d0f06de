// Starts a recorded run for a fleet command: the run folder under the artifacts folder,
// signed with this state folder's key, its config snapshot taken from this invocation.
import { arch, release } from 'node:os';
import type { RunOptions, RunWriter } from '../src/evidence/run-writer.ts';
import { resolveArtifactsDir } from '../src/paths/state-paths.ts';
import type { SupervisorContext } from '../src/supervisor/supervisor-context.ts';
import { evidentVersion } from './evident-version.ts';

export interface RecordedRunRequest {
  kind: string;
  actor: string;
  artifactsFlag: string | undefined;
  criteria: Record<string, unknown>;
  parameters: Record<string, unknown>;
  flags: Record<string, unknown>;
  /** A gate run's extras: its id (named in the fleet lock first), label, trial flag, run.start fields. */
  run?: Pick<RunOptions, 'id' | 'label' | 'trial' | 'start'>;
  /** More of the effective configuration for the snapshot (the pipeline, the gate). */
  config?: Record<string, unknown>;
}

export async function startRecordedRun(context: SupervisorContext, request: RecordedRunRequest): Promise<RunWriter> {
  // Loaded only when a run is recorded: plain `down` stays as light as before.
  await import('../gates/registered-judges.ts');
  const { RunWriter } = await import('../src/evidence/run-writer.ts');
  const { contract, paths } = context;
  const artifactsDir = resolveArtifactsDir(request.artifactsFlag);
  return RunWriter.create({
    artifactsDir,
    keysDir: paths.keys,
    kind: request.kind,
    contract: { name: contract.name, version: contract.version, hash: contract.hash, path: contract.path },
    actor: request.actor,
    criteria: request.criteria,
    parameters: request.parameters,
    ...request.run,
    snapshot: {
      config: { contract_path: contract.path, state_dir: paths.root, artifacts_dir: artifactsDir, services: contract.services.map((s) => s.name), ...request.config },
      flags: request.flags,
      env: process.env,
      serviceEnvNames: contract.services.flatMap((s) => Object.keys(s.env)),
      evidentVersion: evidentVersion(),
      platform: { os: process.platform, arch: arch(), release: release() },
      runtime: process.version,
    },
  });
}
