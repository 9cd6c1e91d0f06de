// What the soak runner gathers during one minute before minute-metrics.ts writes it
// down: per endpoint the requests completed, their errors by kind and a latency histogram
// of this minute only; per service every CPU/RSS sample, the probes and their timeouts.
// Pure bookkeeping, no I/O: the runner feeds it and swaps in a fresh window at each
// minute's end. Requests sent (`sent`) are not counted here: the generator counts them at
// send time and the runner takes the difference between two minutes.
import type { Histogram } from 'hdr-histogram-js';
import { newLatencyHistogram, recordMs } from '../../src/traffic/latency-histogram.ts';
import type { ErrorKind, OutcomeKind } from '../../src/traffic/request-outcome.ts';
import type { EndpointMinuteInput, ServiceMinuteInput } from './minute-metrics.ts';
import type { ProbeResults } from './minute-document.ts';

interface EndpointTally {
  requests: number;
  errors: Partial<Record<ErrorKind, number>>;
  histogram: Histogram;
}

interface ServiceTally {
  cpu: number[];
  rss: number[];
  probes: ProbeResults;
}

export class MinuteWindow {
  private readonly endpoints = new Map<string, EndpointTally>();
  private readonly services = new Map<string, ServiceTally>();

  constructor(endpointNames: readonly string[], serviceNames: readonly string[]) {
    for (const name of endpointNames) this.endpoints.set(name, { requests: 0, errors: {}, histogram: newLatencyHistogram() });
    for (const name of serviceNames) this.services.set(name, { cpu: [], rss: [], probes: { checks: 0, failures: 0, timeouts: 0 } });
  }

  /**
   * One request's outcome, in the minute it completed. Its latency (from its scheduled
   * time) goes into the histogram when a whole response came back, 2xx–5xx alike; a
   * failure's "latency" is only a bound, so it is counted by kind instead.
   */
  request(endpoint: string, kind: OutcomeKind, latencyMs: number): void {
    const tally = this.endpoints.get(endpoint);
    if (tally === undefined) return;
    tally.requests += 1;
    if (kind !== 'ok') tally.errors[kind] = (tally.errors[kind] ?? 0) + 1;
    if (kind === 'ok' || kind === 'http_status') recordMs(tally.histogram, latencyMs);
  }

  /** A CPU/RSS sample of a running service (null fields are not samples). */
  sample(service: string, cpuPercent: number | null, rssBytes: number | null): void {
    const tally = this.services.get(service);
    if (tally === undefined) return;
    if (cpuPercent !== null) tally.cpu.push(cpuPercent);
    if (rssBytes !== null) tally.rss.push(rssBytes);
  }

  probe(service: string, ok: boolean, timedOut: boolean): void {
    const tally = this.services.get(service);
    if (tally === undefined) return;
    tally.probes.checks += 1;
    if (!ok) tally.probes.failures += 1;
    if (timedOut) tally.probes.timeouts += 1;
  }

  /** The minute's endpoint inputs, given each endpoint's target rate and requests sent in the minute. */
  endpointInputs(targets: ReadonlyMap<string, number>, sent: ReadonlyMap<string, number>): EndpointMinuteInput[] {
    return [...this.endpoints].map(([name, t]) => ({
      name,
      target_rate_per_s: targets.get(name) ?? 0,
      sent: sent.get(name) ?? 0,
      requests: t.requests,
      errors: { ...t.errors },
      histogram: t.histogram,
    }));
  }

  /** The minute's service inputs, given the restarts each service had in the minute. */
  serviceInputs(restarts: ReadonlyMap<string, number>): ServiceMinuteInput[] {
    return [...this.services].map(([name, t]) => ({
      name,
      cpu_percent_samples: t.cpu,
      rss_bytes_samples: t.rss,
      restarts: restarts.get(name) ?? 0,
      probes: { ...t.probes },
    }));
  }
}
