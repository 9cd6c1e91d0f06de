// A pipeline: the ordered hardening gates of a release, each with the parameters it runs
// with and the criteria it is judged by, declared as data (contracts/pipeline.*.json).
// This zod schema is the single source of truth: types, validation and the JSON Schema
// in contracts/ all come from it. Gate kinds evident cannot run yet (the soak, security,
// backup/restore and determinism gates arrive in later versions) are declared and
// ordered all the same: the engine shows them and refuses to run them, by name.
import { z } from 'zod';
import { expected, seconds, semanticVersion, wholeNumber } from '../contract/schema-fields.ts';

const gateId = z
  .string()
  .regex(/^[a-z][a-z0-9-]{0,31}$/, { error: expected('expected a short lowercase id of letters, digits and dashes, such as "gate1"') })
  .describe('How operators and commands name this gate: `evident gate gate1` (or `evident gate 1`).');

const title = z.string().min(1).describe('The gate as the console and the execution log name it.');

const envName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { error: expected('expected an environment variable name') });

const preflightGate = z
  .strictObject({
    id: gateId,
    title,
    kind: z.literal('preflight').describe('Prerequisites: runtime, commands, ports, folders, disk and environment.'),
    parameters: z
      .strictObject({
        min_node_major: wholeNumber(18, 99).default(22).describe('Lowest Node.js major version evident runs on (default 22).'),
        min_free_disk_mb: wholeNumber(0, 10_000_000).default(1024).describe('Free space needed where state/ and artifacts/ live, in MB (default 1024).'),
      })
      .prefault({})
      .describe('What the prerequisites check.'),
  })
  .describe('Checks the machine before any gate touches the fleet; each check is a record.');

const startStopGate = z
  .strictObject({
    id: gateId,
    title,
    kind: z.literal('start-stop-cycles').describe('Gate 1: consecutive start/stop cycles of the whole fleet.'),
    parameters: z
      .strictObject({
        cycles: wholeNumber(1, 10_000).default(10).describe('Start/stop cycles (default 10).'),
        duration_s: seconds(7 * 24 * 3600).default(1800).describe('How long each cycle probes the running fleet, in seconds (default 1800).'),
        interval_s: seconds(3600).default(5).describe('Seconds between probe rounds within a cycle (default 5).'),
      })
      .prefault({})
      .describe('How the gate runs; fewer cycles, a shorter duration or a longer interval make a run a trial.'),
    criteria: z
      .strictObject({
        max_failed_health_checks: wholeNumber(0, 1_000_000).default(0).describe('Failed health checks allowed over the run (default 0).'),
        max_leftovers: wholeNumber(0, 1_000_000).default(0).describe('Processes or listeners left after a stop, allowed per cycle (default 0).'),
      })
      .prefault({})
      .describe('What passing means.'),
  })
  .describe('Starts the fleet, waits for every service to be healthy, probes it for the duration, stops it and checks nothing is left, N times.');

/** A gate kind this version of evident declares but has no runner for yet. */
const declaredGate = z
  .strictObject({
    id: gateId,
    title,
    kind: z.enum(['soak', 'security', 'backup-restore', 'determinism']).describe('A gate kind evident will run in a later version.'),
    parameters: z.record(z.string(), z.unknown()).default({}).describe('Its parameters, kept as declared.'),
    criteria: z.record(z.string(), z.unknown()).default({}).describe('Its pass criteria, kept as declared.'),
  })
  .describe('A gate declared for ordering and display; running it is refused until evident has its runner.');

const releaseGate = z
  .strictObject({
    id: gateId,
    title,
    kind: z.literal('release').describe('The release: every earlier gate passed in full under the current contract.'),
  })
  .describe('Passes only when every gate before it has a full (not trial) pass under the current contract.');

export const gateSchema = z.discriminatedUnion('kind', [preflightGate, startStopGate, declaredGate, releaseGate]);

export const pipelineSchema = z
  .strictObject({
    $schema: z.string().optional().describe('The JSON Schema this file follows, for editors.'),
    name: z.string().min(1).describe('The name of this pipeline.'),
    version: semanticVersion.describe('Semantic version of this pipeline, such as 1.0.0; recorded with every run.'),
    description: z.string().optional().describe('What this pipeline is for, in a sentence.'),
    environment: z
      .record(envName, z.string())
      .default({})
      .describe('Variables the gates need set, with their values (a deterministic environment, such as PYTHONHASHSEED=0). The preflight checks them.'),
    gates: z.array(gateSchema).min(1, 'expected at least one gate').describe('The gates, in the order they must pass.'),
  })
  .meta({
    title: 'evident pipeline',
    description: 'The ordered hardening gates of a release: each runs only when the one before it passed under the current contract.',
  });

export type PipelineSpec = z.infer<typeof pipelineSchema>;
export type GateSpec = z.infer<typeof gateSchema>;
export type GateKind = GateSpec['kind'];
export type StartStopGateSpec = Extract<GateSpec, { kind: 'start-stop-cycles' }>;
export type PreflightGateSpec = Extract<GateSpec, { kind: 'preflight' }>;
