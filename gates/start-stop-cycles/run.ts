// Gate 1, driven: for each cycle, start the whole fleet and wait for every service to be
// healthy; probe every service every interval for the duration; stop the fleet and check
// that the stop was clean. Every probe and sample is a journal record (supervisor events —
// start, ready, stop, kill, the leftover check — are recorded by the caller as they
// happen). A failure stops the gate at once: the stop is held, from its own events, to
// the judge the verdict uses (gates/stop-findings.ts); the verdict is judge()'s, from the
// records.
import type { RunWriter } from '../../src/evidence/run-writer.ts';
import { supervisorRecord } from '../../src/evidence/supervisor-record.ts';
import type { FleetSupervisor } from '../../src/supervisor/fleet-supervisor.ts';
import { probeService } from '../../src/probes/health-probe.ts';
import type { ResolvedService } from '../../src/contract/contract.ts';
import { gate1StopCriteria, roundsPerCycle, type StartStopCriteria, type StartStopParameters } from './judge.ts';
import { sleepUntil } from '../sleep-until.ts';
import { judgeStopFindings } from '../stop-findings.ts';

export interface StartStopContext {
  run: RunWriter;
  supervisor: FleetSupervisor;
  services: readonly ResolvedService[];
  parameters: StartStopParameters;
  criteria: StartStopCriteria;
  /** Aborted when an operator asks the run to stop (or the runner is signalled). */
  signal: AbortSignal;
  /** Told as the run moves on, for a headless runner's lines. */
  progress?: (line: string) => void;
}

export interface StartStopOutcome {
  /** Why the run stopped before its last cycle, or null when it ran them all. */
  stoppedEarly: string | null;
}

export async function runStartStopCycles(ctx: StartStopContext): Promise<StartStopOutcome> {
  const { run, supervisor, parameters, criteria } = ctx;
  const names = ctx.services.map((s) => s.name);
  const rounds = roundsPerCycle(parameters);
  const say = ctx.progress ?? (() => {});
  let failedChecks = 0;

  // Cycle 1 starts from a stopped fleet: whatever runs now is adopted and stopped first.
  await supervisor.adopt();
  if (supervisor.runningServices().length > 0) {
    say(`stopping the ${supervisor.runningServices().length} service(s) already running before cycle 1`);
    await run.record({ type: 'gate.prepare', payload: { stopping: supervisor.runningServices() } });
    await supervisor.stopServices(names);
  }

  for (let cycle = 1; cycle <= parameters.cycles; cycle++) {
    if (ctx.signal.aborted) return { stoppedEarly: 'aborted' };
    await run.record({ type: 'gate.cycle.start', payload: { cycle, of: parameters.cycles, rounds, services: names } });
    say(`cycle ${cycle}/${parameters.cycles}: starting the fleet`);
    const started = await supervisor.startServices(names);
    if (!started.ok) {
      const reason = `cycle ${cycle}: ${started.failed.map((f) => `${f.service}: ${f.reason}`).join('; ')}`;
      return stopEarly(ctx, cycle, reason, names);
    }
    say(`cycle ${cycle}/${parameters.cycles}: all ${names.length} healthy; probing every ${parameters.interval_s} s for ${parameters.duration_s} s (${rounds} rounds)`);
    const t0 = performance.now();
    for (let round = 1; round <= rounds; round++) {
      // Rounds keep to the schedule (round r at t0 + (r-1) × interval), not to the end of the last one.
      if (!(await sleepUntil(t0 + (round - 1) * parameters.interval_s * 1000, ctx.signal))) return stopEarly(ctx, cycle, 'aborted', names);
      const results = await Promise.all(ctx.services.map((service) => probeService(service)));
      await supervisor.tick();
      const snapshot = supervisor.getSnapshot();
      const records: Promise<unknown>[] = [];
      results.forEach((result, i) => {
        const service = ctx.services[i] as ResolvedService;
        records.push(
          run.observe({
            type: 'probe.health',
            event_time: new Date(result.at).toISOString(),
            payload: { cycle, round, service: service.name, kind: service.health.kind, ok: result.ok, code: result.code, latency_ms: result.latencyMs, detail: result.detail },
          }),
        );
        const sample = snapshot.services.find((s) => s.name === service.name);
        if (sample) {
          records.push(
            run.observe({
              type: 'sample.service',
              event_time: new Date(snapshot.at).toISOString(),
              payload: { cycle, round, service: service.name, state: sample.state, pid: sample.pid, cpu_percent: sample.cpuPercent, rss_bytes: sample.rssBytes, pids: sample.tree.map((p) => p.pid) },
            }),
          );
        }
      });
      await Promise.all(records);
      const failed = results.map((r, i) => ({ r, service: (ctx.services[i] as ResolvedService).name })).filter(({ r }) => !r.ok);
      failedChecks += failed.length;
      if (failedChecks > criteria.max_failed_health_checks) {
        const first = failed[0];
        const reason = `cycle ${cycle}, round ${round}: ${first ? `${first.service} failed its health check (${first.r.detail})` : 'health checks failed'}`;
        return stopEarly(ctx, cycle, reason, names);
      }
    }
    if (!(await sleepUntil(t0 + parameters.duration_s * 1000, ctx.signal))) return stopEarly(ctx, cycle, 'aborted', names);
    say(`cycle ${cycle}/${parameters.cycles}: stopping the fleet`);
    const stopped = await supervisor.stopServices(names);
    const findings = judgeStopFindings(stopped.events.map(supervisorRecord), gate1StopCriteria({ ...criteria }));
    await run.record({ type: 'gate.cycle.end', payload: { cycle, leftovers: findings.leftovers.length, stop_findings: findings.reasons.length } });
    if (findings.reasons.length > 0) {
      const reason = `cycle ${cycle}: ${findings.reasons.join('; ')}`;
      await run.record({ type: 'gate.stopped-early', payload: { cycle, reason } });
      say(reason);
      return { stoppedEarly: reason };
    }
    for (const allowed of findings.allowed) say(`cycle ${cycle}/${parameters.cycles}: allowed by the pipeline: ${allowed}`);
    say(`cycle ${cycle}/${parameters.cycles}: stopped cleanly, nothing left behind`);
  }
  return { stoppedEarly: null };
}

/** A failure (or an abort) mid-cycle: record why, stop the fleet with its leftover check, end the cycle. */
async function stopEarly(ctx: StartStopContext, cycle: number, reason: string, names: string[]): Promise<StartStopOutcome> {
  await ctx.run.record({ type: 'gate.stopped-early', payload: { cycle, reason } });
  ctx.progress?.(reason === 'aborted' ? `cycle ${cycle}: aborted; stopping the fleet` : `${reason}; stopping the fleet`);
  await ctx.supervisor.stopServices(names);
  await ctx.run.record({ type: 'gate.cycle.end', payload: { cycle, stopped_early: true } });
  return { stoppedEarly: reason };
}
