// The boot contract: the fleet a console supervises, declared as data.
// This zod schema is the single source of truth: the TypeScript types, the runtime
// validation and the JSON Schema in contracts/ are all derived from it.
import { z } from 'zod';

const serviceName = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'expected a lowercase name of letters, digits and dashes');

const port = z
  .number({ error: (issue) => `expected a number 1–65535, got ${describe(issue.input)}` })
  .int('expected a whole number 1–65535')
  .min(1, 'expected a number 1–65535')
  .max(65535, 'expected a number 1–65535');

const timeoutMs = z.number().int().min(1).max(600_000);

const httpProbe = z
  .object({
    kind: z.literal('http'),
    path: z.string().startsWith('/', 'expected a path starting with "/"').default('/healthz'),
    expect_status: z.number().int().min(100).max(599).default(200),
    timeout_ms: timeoutMs.default(2000),
    port: port.optional().describe('defaults to the service port'),
  })
  .strict();

const tcpProbe = z
  .object({
    kind: z.literal('tcp'),
    timeout_ms: timeoutMs.default(2000),
    port: port.optional().describe('defaults to the service port'),
  })
  .strict();

const execProbe = z
  .object({
    kind: z.literal('exec'),
    command: z.string().min(1),
    args: z.array(z.string()).default([]),
    timeout_ms: timeoutMs.default(5000),
  })
  .strict();

export const healthProbeSchema = z.discriminatedUnion('kind', [httpProbe, tcpProbe, execProbe]);

export const serviceSchema = z
  .object({
    name: serviceName,
    description: z.string().optional(),
    command: z
      .string()
      .min(1, 'expected a program to run')
      .refine((c) => !/[|&;<>`$]/.test(c), {
        message: 'expected a program, not a shell line (no | & ; < > $ or backtick): put its arguments in "args"',
      }),
    args: z.array(z.string()).default([]),
    cwd: z.string().default('.').describe('relative to the contract file'),
    env: z.record(z.string(), z.string()).default({}),
    port,
    health: healthProbeSchema,
    startup_timeout_s: z.number().positive().max(3600).default(90),
    stop_timeout_s: z.number().positive().max(3600).default(10),
    depends_on: z.array(serviceName).default([]),
  })
  .strict();

export const contractSchema = z
  .object({
    $schema: z.string().optional(),
    name: z.string().min(1),
    version: z
      .string()
      .regex(/^\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.-]+)?$/, 'expected a semantic version such as 1.0.0'),
    description: z.string().optional(),
    services: z.array(serviceSchema).min(1, 'expected at least one service'),
  })
  .strict();

export type HealthProbe = z.infer<typeof healthProbeSchema>;
export type ServiceSpec = z.infer<typeof serviceSchema>;
export type ContractSpec = z.infer<typeof contractSchema>;

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  return JSON.stringify(value) ?? String(value);
}
