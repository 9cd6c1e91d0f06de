// Gate 2, driven: start the fleet fresh, send the traffic profile to the target service on
// its open-model schedule for the duration, probe and sample every service every
// sample interval (restarting one that died, as a supervisor would, and counting it), and
// at each minute's end write that minute's metrics — a `soak.minute` journal record and
// the same document as `gate2-metrics-minute-<NNNN>.json` — then judge it with the same
// fold the judge uses. A breach stops the run at once, naming the criterion; the verdict
// is still the judge's, recomputed from the journal when the run ends.
//
// Nothing per request goes to the journal: a 48-hour soak sends ~300,000 requests, and
// the minute documents hold what the verdict needs (encoded latency histograms, counts by
// kind, every CPU/RSS sample), so the journal stays small enough for verify to read back.
import type { RunWriter } from '../../src/evidence/run-writer.ts';
import type { ResolvedService } from '../../src/contract/contract.ts';
import { probeService } from '../../src/probes/health-probe.ts';
import { probeLabel } from '../../src/probes/probe-label.ts';
import type { FleetSupervisor } from '../../src/supervisor/fleet-supervisor.ts';
import type { EndpointSpec } from '../../src/traffic/endpoint-spec.ts';
import { LoadGenerator } from '../../src/traffic/load-generator.ts';
import { buildMinuteMetrics, recomputedPercentiles } from './minute-metrics.ts';
import { minuteMetricsFileName, type MinuteMetrics } from './minute-document.ts';
import { MinuteWindow } from './minute-window.ts';
import { SESSION_ENDPOINT, SessionCycle, type SessionCycleSpec } from './session-cycle.ts';
import { SoakTally, type Breach, type SoakCriteria } from './soak-tally.ts';
import { sleepUntil } from '../sleep-until.ts';

export interface SoakRunParameters {
  duration_s: number;
  warmup_s: number;
  minute_s: number;
  sample_interval_s: number;
  target: string;
  traffic: { endpoints: EndpointSpec[]; session_cycle?: SessionCycleSpec };
}

export interface SoakContext {
  run: RunWriter;
  supervisor: FleetSupervisor;
  services: readonly ResolvedService[];
  parameters: SoakRunParameters;
  criteria: SoakCriteria;
  signal: AbortSignal;
  progress?: (line: string) => void;
}

const HOST = '127.0.0.1';

export async function runSoak(ctx: SoakContext): Promise<{ stoppedEarly: string | null }> {
  const { run, supervisor, parameters } = ctx;
  const say = ctx.progress ?? (() => {});
  const names = ctx.services.map((s) => s.name);
  const target = ctx.services.find((s) => s.name === parameters.target);
  if (target === undefined) throw new Error(`the traffic target "${parameters.target}" is not a service of the contract (${names.join(', ')})`);

  // A soak measures a freshly started fleet: its memory baseline is not yesterday's heap.
  await supervisor.adopt();
  if (supervisor.runningServices().length > 0) {
    say(`stopping the ${supervisor.runningServices().length} service(s) already running, to soak a fresh fleet`);
    await run.record({ type: 'gate.prepare', payload: { stopping: supervisor.runningServices() } });
    await supervisor.stopServices(names);
  }
  say('starting the fleet');
  const started = await supervisor.startServices(names);
  if (!started.ok) {
    const reason = `the fleet did not start: ${started.failed.map((f) => `${f.service}: ${f.reason}`).join('; ')}`;
    await run.record({ type: 'gate.stopped-early', payload: { reason } });
    say(reason);
    await supervisor.stopServices(names);
    return { stoppedEarly: reason };
  }

  const minuteMs = parameters.minute_s * 1000;
  const tally = new SoakTally({ ...parameters, services: names, criteria: ctx.criteria, percentiles: recomputedPercentiles });
  const durationMs = tally.expected * minuteMs;
  const endpointNames = [...parameters.traffic.endpoints.map((e) => e.name), ...(parameters.traffic.session_cycle ? [SESSION_ENDPOINT] : [])];
  let window = new MinuteWindow(endpointNames, names);
  const generator = new LoadGenerator({
    baseUrl: `http://${HOST}:${target.port}`,
    endpoints: parameters.traffic.endpoints,
    durationMs,
    onRequest: (r) => window.request(r.endpoint, r.kind, r.latency_ms),
  });
  const sessions = parameters.traffic.session_cycle
    ? new SessionCycle({ host: HOST, port: target.port }, parameters.traffic.session_cycle, durationMs, (kind, ms) => window.request(SESSION_ENDPOINT, kind, ms))
    : null;
  const targets = new Map(parameters.traffic.endpoints.map((e) => [e.name, e.rate_per_s]));
  if (sessions) targets.set(SESSION_ENDPOINT, sessions.ratePerS);

  await run.record({
    type: 'soak.traffic.start',
    payload: { target: target.name, base_url: `http://${HOST}:${target.port}`, endpoints: [...targets].map(([name, rate]) => ({ name, rate_per_s: rate })), minutes: tally.expected, minute_s: parameters.minute_s, baseline_minute: tally.baseline },
  });
  say(`traffic to ${target.name} (${describeRates(targets)}); ${tally.expected} minute(s) of ${parameters.minute_s} s, baseline minute ${tally.baseline}`);

  const wallT0 = Date.now();
  const t0 = performance.now();
  generator.start();
  sessions?.start(t0);
  const sampler = startSampler(ctx, () => window, t0);
  const restartsBefore = restartCounts(supervisor);
  const sentBefore = new Map<string, number>();
  let stoppedEarly: string | null = null;

  try {
    for (let m = 1; m <= tally.expected; m++) {
      if (!(await sleepUntil(t0 + m * minuteMs, ctx.signal))) {
        stoppedEarly = 'aborted';
        break;
      }
      // Connections open at the minute's end: read before the last minute closes them.
      const connections = generator.stats().open_connections;
      // The last minute also takes the requests still in flight at its end (each bounded by its timeout).
      if (m === tally.expected) await Promise.all([generator.stop(), sessions?.stop()]);
      const closing = window;
      window = new MinuteWindow(endpointNames, names);
      const doc = closeMinute(m, closing, { generator, sessions, targets, sentBefore, restartsBefore, supervisor, wallT0, minuteMs, connections });
      await run.record({ type: 'soak.minute', payload: doc as unknown as Record<string, unknown> });
      run.attachNamed(minuteMetricsFileName(m), `${JSON.stringify(doc, null, 2)}\n`);
      tally.add(doc);
      say(describeMinute(doc, tally));
      const breach = tally.firstBreach();
      if (breach !== null) {
        stoppedEarly = describeBreach(breach);
        await run.record({ type: 'gate.stopped-early', payload: { minute: m, reason: stoppedEarly, breach } });
        say(`${stoppedEarly}: the gate fails now`);
        break;
      }
    }
  } finally {
    await sampler.stop();
    await Promise.all([generator.stop(), sessions?.stop()]);
    say('stopping the fleet');
    await supervisor.stopServices(names);
  }
  return { stoppedEarly };
}

interface MinuteSources {
  generator: LoadGenerator;
  sessions: SessionCycle | null;
  targets: ReadonlyMap<string, number>;
  /** Requests sent per endpoint up to the previous minute's end; updated here. */
  sentBefore: Map<string, number>;
  /** Restarts per service up to the previous minute's end; updated here. */
  restartsBefore: Map<string, number>;
  supervisor: FleetSupervisor;
  wallT0: number;
  minuteMs: number;
  connections: number;
}

function closeMinute(m: number, closing: MinuteWindow, s: MinuteSources): MinuteMetrics {
  const stats = s.generator.stats();
  const sentNow = new Map(stats.endpoints.map((e) => [e.name, e.sent]));
  if (s.sessions) sentNow.set(SESSION_ENDPOINT, s.sessions.sent);
  const sent = new Map([...sentNow].map(([name, total]) => [name, total - (s.sentBefore.get(name) ?? 0)]));
  for (const [name, total] of sentNow) s.sentBefore.set(name, total);
  const restartsNow = restartCounts(s.supervisor);
  const restarts = new Map([...restartsNow].map(([name, total]) => [name, Math.max(0, total - (s.restartsBefore.get(name) ?? 0))]));
  for (const [name, total] of restartsNow) s.restartsBefore.set(name, total);
  return buildMinuteMetrics({
    minute: m,
    start: new Date(s.wallT0 + (m - 1) * s.minuteMs).toISOString(),
    end: new Date(s.wallT0 + m * s.minuteMs).toISOString(),
    endpoints: closing.endpointInputs(s.targets, sent),
    active_connections: s.connections,
    services: closing.serviceInputs(restarts),
  });
}

/**
 * Every sample interval from the start (round k due at t0 + k × interval, the first at
 * once): probe every service, sample the fleet's CPU and RSS, and start again any service
 * that died (the supervisor counts that as a restart). Samples go into whichever minute is
 * open when the round finishes, so every minute is due the same ⌊minute ÷ interval⌋
 * rounds, from the one at its start on (soak-tally.ts `observationRule` judges them).
 */
function startSampler(ctx: SoakContext, currentWindow: () => MinuteWindow, t0: number): { stop(): Promise<void> } {
  const intervalMs = ctx.parameters.sample_interval_s * 1000;
  let stopped = false;
  let wake: (() => void) | null = null;
  const loop = (async () => {
    for (let k = 0; !stopped; k++) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.max(0, t0 + k * intervalMs - performance.now()));
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wake = null;
      if (stopped) break;
      // Rounds keep to the schedule; one that overran is skipped, not queued.
      if (performance.now() > t0 + (k + 1) * intervalMs) continue;
      await sampleRound(ctx, currentWindow);
    }
  })();
  return {
    stop: async () => {
      stopped = true;
      (wake as (() => void) | null)?.();
      await loop;
    },
  };
}

async function sampleRound(ctx: SoakContext, currentWindow: () => MinuteWindow): Promise<void> {
  const { supervisor } = ctx;
  const probes = await Promise.all(ctx.services.map((service) => probeService(service)));
  await supervisor.tick();
  const window = currentWindow();
  probes.forEach((probe, i) => {
    const name = (ctx.services[i] as ResolvedService).name;
    window.probe(name, probe.ok, !probe.ok && probeLabel(probe) === 'timeout');
  });
  for (const service of supervisor.getSnapshot().services) {
    if (service.state === 'running' || service.state === 'unhealthy') window.sample(service.name, service.cpuPercent, service.rssBytes);
  }
  for (const service of supervisor.getSnapshot().services) {
    if (ctx.signal.aborted || (service.state !== 'exited' && service.state !== 'failed')) continue;
    ctx.progress?.(`${service.name} is ${service.state}${service.lastError ? ` (${service.lastError})` : ''}: starting it again`);
    await ctx.run.record({ type: 'soak.restart', payload: { service: service.name, state: service.state, last_error: service.lastError } });
    const again = await supervisor.startServices([service.name]);
    if (!again.ok) ctx.progress?.(`${service.name} did not start again: ${again.failed.map((f) => f.reason).join('; ')}`);
  }
}

function restartCounts(supervisor: FleetSupervisor): Map<string, number> {
  return new Map(supervisor.getSnapshot().services.map((s) => [s.name, s.restarts]));
}

function describeRates(targets: ReadonlyMap<string, number>): string {
  return [...targets].map(([name, rate]) => `${name} ${Number(rate.toPrecision(3))}/s`).join(', ');
}

function describeMinute(doc: MinuteMetrics, tally: SoakTally): string {
  const o = doc.overall;
  const p95 = o.p95_ms === null ? 'n/a' : `${Math.round(o.p95_ms)} ms`;
  const growth = tally
    .criteriaResults()
    .filter((c) => c.name === 'max_memory_growth' && c.measured !== null)
    .reduce<{ service?: string; measured: number } | null>((worst, c) => (worst === null || (c.measured as number) > worst.measured ? { service: c.service, measured: c.measured as number } : worst), null);
  const restarts = doc.services.reduce((a, s) => a + s.restarts, 0);
  const phase = doc.minute < tally.baseline ? ' (warm-up)' : '';
  return [
    `minute ${doc.minute}/${tally.expected}${phase}: ${o.requests} request(s), ${o.achieved_rate_per_s.toFixed(2)}/s of ${Number(o.target_rate_per_s.toPrecision(3))}/s`,
    `errors ${(o.error_rate * 100).toFixed(2)} %`,
    `p95 ${p95}`,
    growth ? `memory ${growth.measured >= 0 ? '+' : ''}${(growth.measured * 100).toFixed(1)} % (${growth.service})` : 'memory baseline pending',
    `restarts ${restarts}`,
  ].join(', ');
}

export function describeBreach(b: Breach): string {
  const measured = b.measured === null ? 'n/a' : String(Number(b.measured.toPrecision(4)));
  const named = b.service ?? b.endpoint;
  return `minute ${b.minute}: ${b.criterion}${named ? ` (${named})` : ''} measured ${measured}, limit ${Number(b.limit.toPrecision(4))}`;
}
