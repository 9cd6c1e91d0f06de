// Checks that span services, which the per-field schema cannot see: unique names and
// ports, depends_on naming real services, and no dependency cycles. They read the parsed
// JSON defensively, so they run even when some fields are invalid and every problem in
// the file is reported together.
import type { ContractProblem } from './contract.ts';
import { closestName } from './closest-name.ts';
import { findCycles } from './dependency-order.ts';

interface ServiceFacts {
  index: number;
  name: string | undefined;
  port: number | undefined;
  /** Same positions as in the file; an entry that is not a string is undefined. */
  dependsOn: (string | undefined)[];
}

/** Problems between services in `input` (parsed contract JSON, valid or not). */
export function serviceRelationProblems(input: unknown): ContractProblem[] {
  const services = readFacts(input);
  const problems: ContractProblem[] = [];

  const firstByName = new Map<string, ServiceFacts>();
  for (const service of services) {
    if (service.name === undefined) continue;
    const first = firstByName.get(service.name);
    if (first === undefined) firstByName.set(service.name, service);
    else problems.push({ path: `services[${service.index}].name`, message: `duplicate name: services[${first.index}] is also called ${service.name}` });
  }

  const firstByPort = new Map<number, ServiceFacts>();
  for (const service of services) {
    if (service.port === undefined) continue;
    const first = firstByPort.get(service.port);
    if (first === undefined) firstByPort.set(service.port, service);
    else problems.push({ path: `services[${service.index}].port`, message: `port ${service.port} is used by both ${label(first)} and ${label(service)}` });
  }

  const names = [...firstByName.keys()];
  for (const service of services) {
    service.dependsOn.forEach((dep, k) => {
      if (dep === undefined) return;
      const path = `services[${service.index}].depends_on[${k}]`;
      if (dep === service.name) {
        problems.push({ path, message: `${dep} depends on itself` });
      } else if (!firstByName.has(dep)) {
        const suggestion = closestName(dep, names);
        const hint = suggestion === undefined ? '' : ` (did you mean ${JSON.stringify(suggestion)}?)`;
        problems.push({ path, message: `unknown service ${JSON.stringify(dep)}${hint}` });
      }
    });
  }

  // Self-dependencies are reported above; a cycle needs at least two services.
  const nodes = [...firstByName.values()].map((s) => ({ name: s.name ?? '', dependsOn: s.dependsOn.filter((d): d is string => d !== undefined && d !== s.name) }));
  for (const cycle of findCycles(nodes)) {
    const first = firstByName.get(cycle[0] ?? '');
    problems.push({ path: `services[${first?.index ?? 0}].depends_on`, message: `dependency cycle: ${cycle.join(' → ')}` });
  }
  return problems;
}

function label(service: ServiceFacts): string {
  return service.name === undefined ? `services[${service.index}]` : `${service.name} (services[${service.index}])`;
}

/** The fields these checks need, taken only where they have the right type. */
function readFacts(input: unknown): ServiceFacts[] {
  const services = isRecord(input) && Array.isArray(input.services) ? input.services : [];
  return services.map((raw: unknown, index: number): ServiceFacts => {
    const service = isRecord(raw) ? raw : {};
    return {
      index,
      name: typeof service.name === 'string' ? service.name : undefined,
      port: Number.isInteger(service.port) ? (service.port as number) : undefined,
      dependsOn: Array.isArray(service.depends_on) ? service.depends_on.map((d) => (typeof d === 'string' ? d : undefined)) : [],
    };
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
