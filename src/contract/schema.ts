// The boot contract: the fleet a console supervises, declared as data.
// This zod schema is the single source of truth: the TypeScript types, the runtime
// validation and the JSON Schema in contracts/ are all derived from it.
// Messages that need domain knowledge (ranges, name rules) live here; generic ones
// (wrong type, missing field, unknown field) come from schema-problems.ts.
import { z } from 'zod';
import { DEFAULT_PROBE_HOST, isProbeHost } from './probe-host.ts';
import { expected, seconds, semanticVersion, wholeNumber } from './schema-fields.ts';
import { SERVICE_SIGNALS, signalProblem } from './service-signals.ts';
import { restartSchema } from './restart-policy.ts';

const serviceName = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, {
    error: expected('expected a lowercase name of letters, digits and dashes (at most 63)'),
  });

const port = wholeNumber(1, 65535);

const timeoutMs = wholeNumber(1, 600_000);

// A signal name, written in full (SIGQUIT, not QUIT): see service-signals.ts.
const signalName = z.enum(SERVICE_SIGNALS, {
  error: (issue) => (issue.input === undefined ? undefined : signalProblem(issue.input)),
});

// An exec probe spawns a process, so it is usually probed less often than once a second.
const intervalS = seconds(3600)
  .default(1)
  .describe('How often telemetry runs this probe, in seconds (default 1).');

const probePort = port
  .optional()
  .describe('The port to probe; defaults to the service port.');

// Optional rather than defaulted: a default would change the hash of every contract
// already locked, though what it declares is the same.
const probeHost = z
  .string()
  .refine(isProbeHost, {
    error: expected('expected an IP address such as 127.0.0.1 or ::1 (no brackets) or a host name'),
  })
  .optional()
  .describe(`The host to probe: an IPv4 or IPv6 address (no brackets) or a host name; defaults to ${DEFAULT_PROBE_HOST}.`);

// What a body or an output must contain: plain text, never a pattern (a regular expression
// that backtracks would stall the loop that probes). Probes read the first 64 KB.
const expectedText = (what: string) =>
  z
    .string()
    .min(1, { error: expected(`expected the text ${what} must contain`) })
    .max(1024, { error: expected('expected at most 1024 characters') });

// A union has no "required" of its own: a missing value would read "one of the allowed forms".
const jsonScalar = z.union([z.string(), z.number(), z.boolean(), z.null()], {
  error: (issue) => (issue.input === undefined ? 'required' : expected('expected a string, a number, true, false or null')(issue)),
});

const expectJson = z
  .object({
    path: z
      .string()
      .regex(/^[^.]+(?:\.[^.]+)*$/, {
        error: expected('expected a dotted path into the JSON body, such as "status" or "checks.db.status"'),
      })
      .describe('A dotted path into the JSON body: "status", "checks.db.status", "replicas.0.state" (digits index a list).'),
    equals: jsonScalar.describe('The value that field must hold: a string, a number, true, false or null (compared exactly).'),
  })
  .strict()
  .describe('A field of a JSON body and the value that means healthy.');

const httpProbe = z
  .object({
    kind: z.literal('http').describe('GET a path (on 127.0.0.1 unless host says otherwise) and expect a status.'),
    path: z
      .string()
      .startsWith('/', { error: expected('expected a path starting with "/"') })
      .default('/healthz')
      .describe('The path to GET (default /healthz).'),
    expect_status: wholeNumber(100, 599)
      .default(200)
      .describe('The HTTP status that means healthy (default 200).'),
    timeout_ms: timeoutMs.default(2000).describe('How long to wait for the response, in ms (default 2000).'),
    interval_s: intervalS,
    port: probePort,
    host: probeHost,
    expect_body: expectedText('the body')
      .optional()
      .describe('Text the response body must contain (plain text, not a pattern; the first 64 KB are read).'),
    expect_json: expectJson.optional(),
  })
  .strict()
  .describe('Healthy when GET http://<host>:<port><path> answers with expect_status (and, where given, a body that holds expect_body and expect_json).');

const tcpProbe = z
  .object({
    kind: z.literal('tcp').describe('Open a TCP connection (to 127.0.0.1 unless host says otherwise).'),
    timeout_ms: timeoutMs.default(2000).describe('How long to wait for the connection, in ms (default 2000).'),
    interval_s: intervalS,
    port: probePort,
    host: probeHost,
  })
  .strict()
  .describe('Healthy when a TCP connection to <host>:<port> opens.');

const execProbe = z
  .object({
    kind: z.literal('exec').describe('Run a program and expect exit code 0.'),
    command: z.string().min(1, 'expected a program to run').describe('The program to run (no shell).'),
    args: z.array(z.string()).default([]).describe('Its arguments, one string each.'),
    timeout_ms: timeoutMs.default(5000).describe('How long the program may run, in ms (default 5000).'),
    interval_s: intervalS,
    expect_output: expectedText('the output')
      .optional()
      .describe('Text its standard output must contain, such as "PONG" (plain text, not a pattern; the first 64 KB are read).'),
  })
  .strict()
  .describe('Healthy when the program exits with code 0 within timeout_ms (and, where given, prints expect_output).');

export const healthProbeSchema = z
  .discriminatedUnion('kind', [httpProbe, tcpProbe, execProbe])
  .describe('How evident decides the service is healthy: "http", "tcp" or "exec".');

export const serviceSchema = z
  .object({
    name: serviceName.describe('Unique name: lowercase letters, digits and dashes.'),
    description: z.string().optional().describe('One line for the operator.'),
    command: z
      .string()
      .min(1, 'expected a program to run')
      .refine((c) => !/[|&;<>`$]/.test(c), {
        message: 'expected a program, not a shell line (no | & ; < > $ or backtick): put its arguments in "args"',
      })
      .describe('The program to start, such as "node". There is no shell: arguments go in "args".'),
    args: z.array(z.string()).default([]).describe('Arguments to the program, one string each.'),
    cwd: z.string().default('.').describe('Working directory, relative to the contract file (default ".").'),
    env: z
      .record(
        z.string(),
        // The value is not quoted back: environment variables often hold secrets.
        z.string({
          error: (issue) =>
            issue.input === undefined ? undefined : 'expected a string (the value is not shown: it may be a secret)',
        }),
      )
      .default({})
      .describe('Extra environment variables for the service.'),
    // No zod default, as for stop_signal: a contract without it keeps its hash.
    inherit_env: z
      .union([
        z.boolean(),
        z.array(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'expected an environment variable name (letters, digits, underscore)')),
      ], { error: 'expected true, false or a list of environment variable names' })
      .optional()
      .describe('Which of evident\'s own environment variables the service inherits: true (all, the default), false (none) or a list of names such as ["PATH", "HOME", "LANG"]. "env" and evident\'s markers are added either way.'),
    port: port.describe('The TCP port the service listens on, on 127.0.0.1.'),
    health: healthProbeSchema,
    startup_timeout_s: seconds(3600)
      .default(90)
      .describe('How long the service may take to become healthy, in seconds (default 90).'),
    stop_timeout_s: seconds(3600)
      .default(10)
      .describe('How long to wait after a polite stop before killing, in seconds (default 10).'),
    // No zod default: a contract that does not name it keeps the hash it had before the
    // field existed (locks hold); the loader resolves it to SIGTERM.
    stop_signal: signalName
      .optional()
      .describe('The signal that asks the service to stop gracefully, sent once (default SIGTERM; nginx: SIGQUIT). SIGKILL follows after stop_timeout_s.'),
    reload_signal: signalName
      .optional()
      .describe('The signal that asks the service to reload its configuration (nginx: SIGHUP), sent by `evident reload`; without it, reload is refused.'),
    // No zod default, as for stop_signal: a contract without them keeps its hash. That
    // pid_file goes with daemonizes is checked in daemon-fields.ts.
    daemonizes: z
      .boolean()
      .optional()
      .describe('True when the program forks into the background and the started process exits 0 (nginx "daemon on;", redis-server --daemonize yes), as systemd\'s Type=forking: evident then follows the daemon named in pid_file (default false).'),
    pid_file: z
      .string()
      .min(1, 'expected a path')
      .optional()
      .describe('Where the daemon writes its pid, relative to the contract file; required with "daemonizes": true, and read only then.'),
    // No zod default, as for stop_signal: resolved in restart-policy.ts.
    restart: restartSchema.optional(),
    depends_on: z
      .array(serviceName)
      .default([])
      .describe('Names of services that must be healthy before this one starts.'),
  })
  .strict()
  .describe('One service of the fleet.');

export const contractSchema = z
  .object({
    $schema: z.string().optional().describe('The JSON Schema this file follows, for editors.'),
    name: z.string().min(1).describe('The name of this fleet.'),
    version: semanticVersion.describe('Semantic version of this contract, such as 1.0.0; recorded with every run.'),
    description: z.string().optional().describe('What this fleet is, in a sentence.'),
    services: z
      .array(serviceSchema)
      .min(1, 'expected at least one service')
      .describe('The services, in any order: evident starts them in dependency order.'),
  })
  .strict()
  .meta({
    title: 'evident boot contract',
    description: 'The fleet of local services evident supervises: how to start each one and how to tell it is healthy.',
  });

export type HealthProbe = z.infer<typeof healthProbeSchema>;
export type HttpProbe = z.infer<typeof httpProbe>;
export type TcpProbe = z.infer<typeof tcpProbe>;
export type ExecProbe = z.infer<typeof execProbe>;
export type ServiceSpec = z.infer<typeof serviceSchema>;
export type ContractSpec = z.infer<typeof contractSchema>;
