// A daemonizing service names its pid file, and only a daemonizing service may: the one
// field is meaningless without the other. Read from the parsed JSON defensively, as
// service-relations.ts does, so these problems are reported with every other one.
import type { ContractProblem } from './contract.ts';

/** Problems with `daemonizes` and `pid_file` in `input` (parsed contract JSON, valid or not). */
export function daemonFieldProblems(input: unknown): ContractProblem[] {
  const services = isRecord(input) && Array.isArray(input.services) ? input.services : [];
  return services.flatMap((raw: unknown, index: number): ContractProblem[] => {
    if (!isRecord(raw)) return [];
    const path = `services[${index}].pid_file`;
    if (raw.daemonizes === true && raw.pid_file === undefined) {
      return [{ path, message: 'required when "daemonizes" is true: the file the daemon writes its pid to, such as "run/nginx.pid"' }];
    }
    // A daemonizes that is not a boolean has its own problem; this one would only repeat it.
    if ((raw.daemonizes === undefined || raw.daemonizes === false) && raw.pid_file !== undefined) {
      return [{ path, message: 'read only for a service that forks into the background: add "daemonizes": true, or remove "pid_file"' }];
    }
    return [];
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
