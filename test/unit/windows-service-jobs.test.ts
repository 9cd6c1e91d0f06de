// Job objects as the Windows proof of ownership, checked from Linux against recorded
// sampler answers: what is asked of the sampler, how its answers are read, and that a
// failed or malformed answer is an error, never an empty job.
import { describe, expect, it } from 'vitest';
import { parseJobReply, serviceJobName, windowsServiceJobs, type SamplerRequests } from '../../src/platform/windows-service-jobs.ts';

/** Answers `job` and `terminate` from recorded job tables, and keeps every request it was sent. */
function recordedSampler(jobs: Record<string, number[]>): SamplerRequests & { sent: [string, Record<string, unknown> | undefined][] } {
  const sent: [string, Record<string, unknown> | undefined][] = [];
  return {
    sent,
    async request(op, payload) {
      sent.push([op, payload]);
      const name = String(payload?.job);
      if (op === 'job') return name in jobs ? { exists: true, pids: jobs[name] } : { exists: false, pids: [] };
      if (op === 'terminate') {
        const existed = name in jobs;
        delete jobs[name];
        return { terminated: existed };
      }
      throw new Error(`no recorded answer to ${op}`);
    },
  };
}

const TAG = '3f0a9c';
const WEB = serviceJobName(TAG, 'web');

describe('serviceJobName', () => {
  it('names a job in the session namespace after the fleet and the service', () => {
    expect(WEB).toBe('Local\\evident-3f0a9c-web');
  });
});

describe('parseJobReply', () => {
  it('reads whether the job exists and its members', () => {
    expect(parseJobReply({ exists: true, pids: [4120, 4188] })).toEqual({ exists: true, pids: [4120, 4188] });
    expect(parseJobReply({ exists: false, pids: [] })).toEqual({ exists: false, pids: [] });
  });

  it('refuses an answer of another shape rather than reading it as an empty job', () => {
    for (const bad of [null, [], {}, { exists: true }, { exists: 'yes', pids: [] }, { exists: true, pids: ['4120'] }, { exists: true, pids: [0] }, { exists: true, pids: [1.5] }]) {
      expect(() => parseJobReply(bad)).toThrow(/the sampler/);
    }
  });
});

describe('windowsServiceJobs', () => {
  it('names the job at create (the launcher makes it) and finds its members', async () => {
    const sampler = recordedSampler({ [WEB]: [4120, 4188] });
    const jobs = windowsServiceJobs(sampler);
    expect(jobs.unavailable).toBeNull();
    expect(await jobs.create(TAG, 'web')).toBe(WEB);
    expect(sampler.sent).toEqual([]);
    expect(await jobs.members(WEB)).toEqual([4120, 4188]);
    expect(await jobs.moveInto(WEB, 4188)).toBe(true);
    expect(await jobs.moveInto(WEB, 5000)).toBe(false);
    expect(await jobs.cgroupOf(4188)).toBe(WEB);
    expect(await jobs.cgroupOf(5000)).toBeNull();
    expect(await jobs.fleetCgroups(TAG)).toEqual([{ service: 'web', path: WEB }]);
    expect(await jobs.fleetCgroups('another')).toEqual([]);
    expect(await jobs.removeIfEmpty(WEB)).toBe(false);
  });

  it('ends every member at once with TerminateJobObject, after which the job is gone', async () => {
    const sampler = recordedSampler({ [WEB]: [4120, 4188, 4242] });
    const jobs = windowsServiceJobs(sampler);
    await jobs.create(TAG, 'web');
    await jobs.killAll(WEB);
    expect(sampler.sent.at(-1)).toEqual(['terminate', { job: WEB }]);
    expect(await jobs.members(WEB)).toEqual([]);
    expect(await jobs.removeIfEmpty(WEB)).toBe(true);
    expect(await jobs.fleetCgroups(TAG)).toEqual([]);
  });

  it("finds a job another process made by its service's name (Windows cannot list jobs by prefix)", async () => {
    const jobs = windowsServiceJobs(recordedSampler({ [WEB]: [4120], [serviceJobName(TAG, 'db')]: [] }));
    expect(await jobs.fleetCgroups(TAG)).toEqual([]);
    expect(await jobs.fleetCgroups(TAG, ['web', 'db', 'cache'])).toEqual([
      { service: 'web', path: WEB },
      { service: 'db', path: serviceJobName(TAG, 'db') },
    ]);
  });

  it('rejects when the sampler cannot say (a failed look is not an empty job)', async () => {
    const jobs = windowsServiceJobs({
      async request() {
        throw new Error('the Windows sampler did not answer job within 5000 ms');
      },
    });
    await expect(jobs.members(WEB)).rejects.toThrow(/did not answer/);
    await expect(jobs.removeIfEmpty(WEB)).rejects.toThrow(/did not answer/);
    const garbled = windowsServiceJobs({ request: async () => ({ exists: true, pids: 'all of them' }) });
    await expect(garbled.members(WEB)).rejects.toThrow(/the sampler listed|the sampler answered/);
  });
});
