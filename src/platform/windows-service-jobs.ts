// Job objects: what a cgroup is on Linux (service-cgroups.ts), on Windows. The sampler's
// launcher creates a service's process suspended, assigns it to the service's job and
// only then lets it run, and a job's members cannot break away (its limits forbid it): so
// everything the service starts, however it detaches, renames or scrubs its environment,
// is in the job, and `TerminateJobObject` ends them all at once. Membership is asked of
// the sampler each time (QueryInformationJobObject); a sampler that cannot answer
// rejects, so a failed look is never taken for an empty job.
//
// A job is named `Local\evident-<fleet tag>-<service>`: the pid file records the name, so
// any later evident process on the same session reopens the same job. What Windows cannot
// do is list the jobs that exist by prefix (as the folder of a fleet's cgroups is read on
// Linux): a job whose pid file is gone is found by the names of the contract's services
// (and those this process made), so one of a service since removed from the contract is not.
import type { FleetCgroup, ServiceCgroups } from './service-cgroups.ts';
import { fleetCgroupName } from './service-cgroups.ts';

/** What the jobs need of the sampler: one request, one answer (windows-sampler-client.ts). */
export interface SamplerRequests {
  request(op: string, payload?: Record<string, unknown>): Promise<unknown>;
}

/** The job of a fleet's service: `Local\evident-<tag>-<service>` (a service name is lowercase letters, digits and dashes). */
export function serviceJobName(fleetTag: string, service: string): string {
  return `Local\\${fleetCgroupName(fleetTag)}-${service}`;
}

/** The sampler's answer to `job`: whether the job exists, and its members' pids. */
export function parseJobReply(reply: unknown): { exists: boolean; pids: number[] } {
  const value = reply as { exists?: unknown; pids?: unknown } | null;
  if (value === null || typeof value !== 'object' || typeof value.exists !== 'boolean' || !Array.isArray(value.pids)) {
    throw new Error(`the sampler answered a job request with ${JSON.stringify(reply)}`);
  }
  const pids = value.pids.filter((pid): pid is number => Number.isInteger(pid) && (pid as number) > 0);
  if (pids.length !== value.pids.length) throw new Error(`the sampler listed a job's members as ${JSON.stringify(value.pids)}`);
  return { exists: value.exists, pids };
}

export function windowsServiceJobs(sampler: SamplerRequests): ServiceCgroups {
  /** The jobs this process named, by name. */
  const made = new Map<string, FleetCgroup>();
  const ask = async (job: string) => parseJobReply(await sampler.request('job', { job }));

  return {
    unavailable: null,

    // Named only: the launcher creates the job when it starts the service in it.
    async create(fleetTag, service) {
      const name = serviceJobName(fleetTag, service);
      made.set(name, { service, path: name });
      return name;
    },

    // A process is put in its job by the launcher, before it runs; one started otherwise
    // is not moved (a job's member could already have started others outside it). True
    // when it is in the job.
    async moveInto(path, pid) {
      return (await ask(path)).pids.includes(pid);
    },

    async members(path) {
      const job = await ask(path);
      return job.exists ? job.pids : [];
    },

    async cgroupOf(pid) {
      for (const name of made.keys()) if ((await ask(name)).pids.includes(pid)) return name;
      return null;
    },

    // Windows cannot list jobs by prefix: the ones made here and those of the services named.
    async fleetCgroups(fleetTag, services = []) {
      const prefix = serviceJobName(fleetTag, '');
      const candidates = new Map([...made].filter(([name]) => name.startsWith(prefix)));
      for (const service of services) candidates.set(serviceJobName(fleetTag, service), { service, path: serviceJobName(fleetTag, service) });
      const found: FleetCgroup[] = [];
      for (const [name, job] of candidates) if ((await ask(name)).exists) found.push(job);
      return found;
    },

    async killAll(path) {
      await sampler.request('terminate', { job: path });
    },

    // The job object goes when its last handle closes and its last member has exited.
    async removeIfEmpty(path) {
      const job = await ask(path);
      return !job.exists || job.pids.length === 0;
    },
  };
}
