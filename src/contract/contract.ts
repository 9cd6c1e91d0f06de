// A contract after loading: validated, paths resolved, start order computed, hashed.
import type { ContractSpec, ServiceSpec } from './schema.ts';
import type { RestartPolicy } from './restart-policy.ts';
import type { ServiceSignal } from './service-signals.ts';

export interface ResolvedService extends Omit<ServiceSpec, 'stop_signal' | 'daemonizes' | 'pid_file' | 'restart'> {
  /** The spec's restart, every member resolved; policy "no" when it says nothing. */
  restart: RestartPolicy;
  /** Absolute working directory (the spec's cwd is relative to the contract file). */
  cwd: string;
  /** The spec's stop_signal, or SIGTERM when it names none. */
  stop_signal: ServiceSignal;
  /** The spec's daemonizes, or false when it says nothing. */
  daemonizes: boolean;
  /** Absolute path of the daemon's pid file (the spec's is relative to the contract file); set exactly when daemonizes is. */
  pid_file?: string;
}

export interface Contract {
  /** Absolute path of the contract file. */
  path: string;
  name: string;
  version: string;
  /** SHA-256 (hex) of the canonical JSON of the validated contract. */
  hash: string;
  spec: ContractSpec;
  /** Services in dependency order: every service after all it depends on. */
  services: ResolvedService[];
}

/** One problem with a contract, as shown to the operator: where, and what was expected. */
export interface ContractProblem {
  /** `services[2].port`, or `file` / `line 3:14` for whole-file problems. */
  path: string;
  message: string;
}
