// Whether the services we call are up, asked of their /healthz only when our own health
// is asked (and cached briefly), so an idle fleet does not fill each other's logs.
import { callJson } from './http-client.ts';
import { describeError } from './log.ts';

export interface UpstreamStatus {
  name: string;
  url: string;
  /** It answered HTTP at all. */
  reachable: boolean;
  /** It answered /healthz with 2xx. */
  healthy: boolean;
  status: number | null;
  latency_ms: number;
  error?: string;
}

export interface UpstreamTarget {
  name: string;
  baseUrl: string;
}

export interface UpstreamHealth {
  /** Fresh or cached (at most `maxAgeMs` old) status of every target. */
  check(): Promise<UpstreamStatus[]>;
}

export function createUpstreamHealth(targets: UpstreamTarget[], maxAgeMs = 1000, timeoutMs = 800): UpstreamHealth {
  let last: { at: number; statuses: UpstreamStatus[] } | null = null;
  let running: Promise<UpstreamStatus[]> | null = null;

  const probe = async (target: UpstreamTarget): Promise<UpstreamStatus> => {
    const url = `${target.baseUrl}/healthz`;
    const started = performance.now();
    const latency = (): number => Math.round((performance.now() - started) * 10) / 10;
    try {
      const reply = await callJson(target.name, url, { timeoutMs });
      const healthy = reply.status >= 200 && reply.status < 300;
      return { name: target.name, url, reachable: true, healthy, status: reply.status, latency_ms: latency() };
    } catch (error) {
      return { name: target.name, url, reachable: false, healthy: false, status: null, latency_ms: latency(), error: describeError(error) };
    }
  };

  return {
    check() {
      if (last !== null && performance.now() - last.at < maxAgeMs) return Promise.resolve(last.statuses);
      // Concurrent health requests share one round of probes.
      running ??= Promise.all(targets.map(probe)).then((statuses) => {
        last = { at: performance.now(), statuses };
        running = null;
        return statuses;
      });
      return running;
    },
  };
}
