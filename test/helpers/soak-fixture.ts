// A Gate 2 soak on the real demo fleet, moved to its own ports with the faults control on:
// a pipeline of that one gate (traffic and criteria as the test needs), its own state and
// artifacts folders, the runner started through the real CLI, and the means to inject a
// fault into a service mid-run and wait for a minute's file to appear.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { minuteMetricsFileName } from '../../gates/soak/minute-document.ts';
import { ROOT, runCli, startCli } from './run-cli.ts';
import { writeShiftedDemoContract } from './shifted-demo-contract.ts';

export interface SoakTestOptions {
  /** Added to every demo port (7000 + shift, …); one per test file. */
  shift: number;
  /** Replaces the demo profile's endpoints. */
  endpoints?: Record<string, unknown>[];
  /** Merged over the pipeline's criteria. */
  criteria?: Record<string, unknown>;
  /** Keep the pipeline's 5-minute session cycle (off by default: runs here are seconds long). */
  sessions?: boolean;
  /** Another traffic target than the pipeline's api-gateway. */
  target?: string;
}

/**
 * For a soak that must pass on a busy test machine: p95 over a few dozen requests a
 * 3-second "minute", and the RSS of services seconds after their start, are noise there.
 * Those criteria are judged by the judge's tests and by the fault tests.
 */
export const PASSABLE = { p95_stability_factor: 10, max_memory_growth: 0.5 };

/** The criteria a fault test does not examine, loosened so only the one it names can fail first. */
export const LOOSE = { max_error_rate: 0.9, max_memory_growth: 100, max_restarts: 1000, p95_stability_factor: 1000, sustained: [] };

export function soakFixture(options: SoakTestOptions) {
  const dir = mkdtempSync(join(tmpdir(), 'evident-soak-'));
  const contract = writeShiftedDemoContract(dir, { shift: options.shift, env: { EVIDENT_FAULTS: '1' } });
  const declared = JSON.parse(readFileSync(resolve(ROOT, 'contracts/pipeline.phase3.json'), 'utf8')) as { $schema?: string; gates: Record<string, any>[] };
  delete declared.$schema;
  const soak = declared.gates.find((g) => g.id === 'gate2') as Record<string, any>;
  if (options.endpoints) soak.parameters.traffic.endpoints = options.endpoints;
  if (!options.sessions) delete soak.parameters.traffic.session_cycle;
  if (options.target !== undefined) soak.parameters.target = options.target;
  soak.criteria = { ...soak.criteria, ...options.criteria };
  const pipeline = join(dir, 'pipeline.json');
  writeFileSync(pipeline, JSON.stringify({ ...declared, gates: [soak] }, null, 2));
  const env = { EVIDENT_STATE_DIR: join(dir, 'state'), EVIDENT_ARTIFACTS_DIR: join(dir, 'artifacts'), EVIDENT_CONTRACT: contract.path, EVIDENT_PIPELINE: pipeline };
  const portOf = (service: string) => 7000 + options.shift + ({ 'api-gateway': 0, 'model-router': 10, 'memory-engine': 20, pipecat: 30, openclaw: 40, 'eva-os': 50 } as Record<string, number>)[service]!;

  return {
    dir,
    env,
    ports: contract.ports,
    portOf,
    cli: (...args: string[]) => runCli(args, { env }),
    /** The runner in the foreground of a child process, as `evident gate gate2 …`. */
    start: (...args: string[]) => startCli(['gate', 'gate2', ...args], { env }),
    /** The only run folder, once the runner made it. */
    runDir(): string | null {
      const artifacts = join(dir, 'artifacts');
      if (!existsSync(artifacts)) return null;
      const runs = readdirSync(artifacts).filter((name) => /^[0-9A-Z]{26}$/.test(name));
      return runs.length === 1 ? join(artifacts, runs[0] as string) : null;
    },
    async waitForMinute(minute: number, timeoutMs = 60_000): Promise<string> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const run = this.runDir();
        if (run && existsSync(join(run, minuteMetricsFileName(minute)))) return run;
        if (Date.now() > deadline) throw new Error(`minute ${minute} never closed in ${run ?? 'a run folder'}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    /** POST /__faults to a service: the demo fleet's control for tests. */
    async fault(service: string, body: Record<string, unknown>): Promise<number> {
      const response = await fetch(`http://127.0.0.1:${portOf(service)}/__faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }).catch(() => null);
      return response?.status ?? 0;
    },
    summary(runDir: string): Record<string, any> {
      const name = readdirSync(runDir).find((f) => /^gate2-summary-.*\.json$/.test(f));
      if (!name) throw new Error(`no summary in ${runDir}: ${readdirSync(runDir).join(', ')}`);
      return JSON.parse(readFileSync(join(runDir, name), 'utf8')) as Record<string, any>;
    },
    /** Stops whatever a failed test left: the runner (which stops its fleet), then the fleet. */
    async cleanUp(): Promise<void> {
      await runCli(['gate', 'gate2', '--abort'], { env });
      await runCli(['down'], { env });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Cheap traffic at a high rate, for statistics within seconds: sessions created through the gateway. */
export function sessionTraffic(ratePerS: number, timeoutMs = 2000): Record<string, unknown>[] {
  return [{ name: 'sessions', method: 'POST', path: '/v1/sessions', body: {}, rate_per_s: ratePerS, timeout_ms: timeoutMs }];
}
