// What the prerequisites look at, as raw observations for `preflight.check` records: the
// runtime's version, where each service's command resolves, who holds each contract
// port, whether state/ and artifacts/ take a written and fsync'd file, free space there,
// and the variables the pipeline requires. The judge decides; this only looks.
import { resolveCommand } from '../../src/platform/resolve-command.ts';
import { inheritedEnvironment } from '../../src/supervisor/inherited-environment.ts';
import { freeBytes, writableProblem } from '../../src/fs/probe-writable.ts';
import { isSecretName } from '../../src/redaction/secret-names.ts';
import { describeHolders } from '../../src/supervisor/port-holders.ts';
import type { SupervisorContext } from '../../src/supervisor/supervisor-context.ts';

export interface PreflightInput {
  context: SupervisorContext;
  artifactsDir: string;
  /** Variables the pipeline requires (name → value). */
  environment: Record<string, string>;
  env: Record<string, string | undefined>;
}

export async function observePreflight(input: PreflightInput): Promise<Record<string, unknown>[]> {
  const { context } = input;
  const observations: Record<string, unknown>[] = [{ check: 'runtime', subject: 'node', version: process.version, exec_path: process.execPath }];

  for (const service of context.contract.services) {
    // The environment spawn will give it, so the command is looked for where spawn will look.
    const env = { ...inheritedEnvironment(service, input.env), ...service.env };
    const found = resolveCommand(service.command, service.cwd, env);
    observations.push({ check: 'command', subject: service.name, command: service.command, cwd: service.cwd, resolved: found.path, searched: found.searched });
  }

  const servicesByPort = new Map(context.contract.services.map((s) => [s.port, s.name]));
  const holders = await describeHolders(context, [...servicesByPort.keys()]);
  for (const [port, service] of servicesByPort) {
    const holder = holders.find((h) => h.port === port) ?? null;
    observations.push({ check: 'port', subject: String(port), service, holder: holder && { pid: holder.pid, command: holder.command, ours: holder.ours, service: holder.ours ? service : null } });
  }

  for (const folder of [context.paths.root, input.artifactsDir]) {
    observations.push({ check: 'writable', subject: folder, error: writableProblem(folder) });
    try {
      observations.push({ check: 'disk', subject: folder, free_bytes: freeBytes(folder), error: null });
    } catch (error) {
      observations.push({ check: 'disk', subject: folder, free_bytes: 0, error: (error as Error).message });
    }
  }

  for (const [name, required] of Object.entries(input.environment)) {
    const value = input.env[name];
    // A secret-looking name's value is never recorded: only whether it matches.
    observations.push({ check: 'environment', subject: name, set: value !== undefined, matches: value === required, ...(isSecretName(name) ? {} : { value: value ?? null }) });
  }
  return observations;
}
