// A pipeline: the ordered hardening gates of a release, each with the parameters it runs
// with and the criteria it is judged by, declared as data (contracts/pipeline.*.json).
// This zod schema is the single source of truth: types, validation and the JSON Schema
// in contracts/ all come from it. Gate kinds evident cannot run yet (the security,
// backup/restore and determinism gates arrive in later versions) are declared and
// ordered all the same: the engine shows them and refuses to run them, by name. The soak
// (Gate 2) is declared in full: its traffic profile, sampling and criteria.
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
        allow_escaped_processes: z
          .boolean()
          .default(false)
          .describe(
            "Whether a process that left its service's process group or session (setsid, setpgid) may pass a cycle, obeying the stop or killed (default false). Allowed escapes are still recorded and listed in the summary.",
          ),
      })
      .prefault({})
      .describe('What passing means.'),
  })
  .describe('Starts the fleet, waits for every service to be healthy, probes it for the duration, stops it and checks nothing is left, N times.');

const httpMethod = z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']);
const requestPath = z.string().startsWith('/', { error: expected('expected a path starting with "/"') });

/** One endpoint of a soak's traffic: sent on a fixed arrival schedule, whether or not earlier requests returned. */
export const trafficEndpointSchema = z
  .strictObject({
    name: z.string().regex(/^[a-z0-9][a-z0-9-]{0,47}$/, { error: expected('expected a short lowercase name of letters, digits and dashes') }).describe('A label for counts and histograms, unique in the profile.'),
    method: httpMethod.default('GET').describe('The HTTP method (default GET).'),
    path: requestPath.describe('Path and query on the target service, such as /v1/chat.'),
    body: z.unknown().optional().describe('The request body: a string as is, anything else as JSON.'),
    rate_per_s: z.number({ error: expected('expected requests per second above 0') }).positive({ error: expected('expected requests per second above 0') }).max(10_000, { error: expected('expected at most 10000 requests per second') }).describe('Requests per second.'),
    timeout_ms: wholeNumber(1, 600_000).default(5000).describe('How long a response may take (a stream: between two chunks), in ms (default 5000).'),
    stream: z.boolean().default(false).describe('The response is a stream: a stall mid-body is a stuck stream.'),
  })
  .describe('One endpoint of the traffic profile.');

const soakGate = z
  .strictObject({
    id: gateId,
    title,
    kind: z.literal('soak').describe('Gate 2: a long soak under synthetic traffic, judged minute by minute.'),
    parameters: z
      .strictObject({
        duration_s: seconds(30 * 24 * 3600).default(172_800).describe('How long the soak runs, in seconds (default 172800: 48 h).'),
        warmup_s: seconds(24 * 3600).default(600).describe('Time after the start before baselines (memory, p95) are taken, in seconds (default 600).'),
        minute_s: seconds(3600)
          .default(60)
          .describe('The length of a metrics minute, in seconds (default 60). Only tests shorten it; a run that does is a trial.'),
        sample_interval_s: seconds(3600).default(5).describe('How often every service is probed and its CPU and RSS sampled, in seconds (default 5).'),
        target: z.string().min(1).default('api-gateway').describe('The contract service the traffic is sent to (its port from the contract; default api-gateway).'),
        traffic: z
          .strictObject({
            endpoints: z.array(trafficEndpointSchema).min(1, 'expected at least one endpoint').describe('Each endpoint with its rate.'),
            session_cycle: z
              .strictObject({
                every_s: seconds(24 * 3600).describe('A session is created and destroyed this often, in seconds.'),
                create: z.strictObject({ method: httpMethod.default('POST'), path: requestPath, body: z.unknown().optional() }).describe('The request that creates a session; its JSON answer carries `id`.'),
                destroy: z.strictObject({ method: httpMethod.default('DELETE'), path: requestPath.describe('With `:id` where the session id goes.') }).describe('The request that destroys it.'),
                timeout_ms: wholeNumber(1, 600_000).default(5000),
              })
              .optional()
              .describe('A session created and destroyed on a schedule of its own.'),
          })
          .describe('The synthetic traffic: open-model, on fixed arrival schedules.'),
      })
      .describe('How the soak runs.'),
    criteria: z
      .strictObject({
        max_error_rate: z.number().min(0).max(1).default(0.005).describe('Errors ÷ requests over the run, below which it passes (default 0.005: 0.5 %).'),
        max_memory_growth: z.number().min(0).default(0.05).describe('RSS growth per service against its baseline after warm-up (default 0.05: 5 %).'),
        max_restarts: wholeNumber(0, 1_000_000).default(0).describe('Service restarts allowed (default 0).'),
        p95_stability_factor: z.number().min(1).default(2).describe('No minute may have a p95 above this × the baseline p95 (default 2).'),
        sustained: z
          .array(
            z.strictObject({
              metric: z.enum(['p95_ms', 'p99_ms', 'error_rate']).describe('What is watched, per minute.'),
              above: z.number().min(0).describe('The threshold.'),
              minutes: wholeNumber(1, 10_000).describe('For this many consecutive minutes.'),
            }),
          )
          .default([])
          .describe('Sustained-window rules: the gate fails when the metric stays above the threshold for that many consecutive minutes.'),
      })
      .prefault({})
      .describe('What passing means; each measured value is recorded beside its verdict.'),
  })
  .describe('Sends the traffic profile to the running fleet for the duration and writes a metrics file every minute.');

/** A gate kind this version of evident declares but has no runner for yet. */
const declaredGate = z
  .strictObject({
    id: gateId,
    title,
    kind: z.enum(['security', 'backup-restore', 'determinism']).describe('A gate kind evident will run in a later version.'),
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

export const gateSchema = z.discriminatedUnion('kind', [preflightGate, startStopGate, soakGate, declaredGate, releaseGate]);

export const pipelineSchema = z
  .strictObject({
    $schema: z.string().optional().describe('The JSON Schema this file follows, for editors.'),
    name: z.string().min(1).describe('The name of this pipeline.'),
    version: semanticVersion.describe('Semantic version of this pipeline, such as 1.0.0; recorded with every run.'),
    description: z.string().optional().describe('What this pipeline is for, in a sentence.'),
    phase: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9.-]{0,15}$/, { error: expected('expected a short phase name such as "3"') })
      .optional()
      .describe('The hardening phase this pipeline belongs to, such as "3": every gate manifest is then headed "# Phase 3 Gate N Evidence Manifest", as the hardening plan names them.'),
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
export type SoakGateSpec = Extract<GateSpec, { kind: 'soak' }>;
export type TrafficEndpoint = z.infer<typeof trafficEndpointSchema>;
