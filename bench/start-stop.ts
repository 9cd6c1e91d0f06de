// Start → all six healthy, and stop → all ports closed and no process left: evident
// (`evident up --json` / `evident down --json`) against the services' own boot and exit
// time (a plain spawn-and-poll launcher, bench/lib/baseline.ts). Runs are interleaved
// (evident first on even runs, the baseline first on odd ones) so drift on a shared
// machine hits both alike; one untimed warm-up of each comes first (it also creates the
// memory engine's database).
//
//   node bench/start-stop.ts [--quick]
import { join } from 'node:path';
import { bootBaseline, killBaseline, probeOnce, stopBaseline, type BaselineService } from './lib/baseline.ts';
import { BenchFleet, isMain, NODE, portRange, quickFlag, runTimed } from './lib/demo-fleet.ts';
import { isAlive, openPorts } from './lib/processes.ts';
import { markdownTable, measuredRow, note, section, type Row } from './lib/report.ts';
import { fmt, summarize } from './lib/stats.ts';

const BENCH = 'start-stop';
const PORT_SHIFT = 24000; // 31000–31050

interface RunFigures {
  upTotalMs: number;
  upWallMs: number;
  baselineBootMs: number;
  downTotalMs: number;
  downWallMs: number;
  baselineStopMs: number;
}

export async function run(options: { quick: boolean }): Promise<Row[]> {
  const n = options.quick ? 3 : 5;
  section(`start-stop: start → six healthy, stop → nothing left (N=${n}, after 1 warm-up each)`);
  const fleet = await BenchFleet.create(BENCH, PORT_SHIFT);
  const contract = fleet.contract.contract;
  const baselineState = join(fleet.dir, 'baseline-state');
  note(`contract moved to ports ${portRange(fleet.ports)}; state ${fleet.stateDir}`);
  let baseline: BaselineService[] = [];
  const runs: RunFigures[] = [];
  const perServiceBoot = new Map<string, number[]>();
  const execProbeMs: number[] = [];

  const evidentRound = async () => {
    const up = await fleet.up();
    const probes = await Promise.all(contract.services.map((s) => probeOnce(s)));
    if (!probes.every(Boolean)) throw new Error(`after evident up, probes failed: ${contract.services.filter((_, i) => !probes[i]).map((s) => s.name).join(', ')}`);
    const down = await fleet.down();
    if (!down.ok) throw new Error(`evident down was not clean: ${down.raw}`);
    await verifyGone(up.pids, fleet);
    return { upTotalMs: up.totalMs, upWallMs: up.wallMs, downTotalMs: down.totalMs, downWallMs: down.wallMs };
  };
  const baselineRound = async (measureExecProbe: boolean) => {
    const booted = await bootBaseline(contract, baselineState);
    baseline = booted.services;
    for (const s of booted.services) perServiceBoot.set(s.name, [...(perServiceBoot.get(s.name) ?? []), s.bootMs]);
    if (measureExecProbe) execProbeMs.push(...(await timeExecProbes(contract, 5)));
    const stopMs = await stopBaseline(contract, booted.services);
    await verifyGone(booted.services.map((s) => s.pid), fleet);
    baseline = [];
    return { baselineBootMs: booted.totalMs, baselineStopMs: stopMs };
  };

  try {
    note('warm-up: one evident up/down and one baseline boot/stop (not counted)');
    await evidentRound();
    await baselineRound(false);
    perServiceBoot.clear();
    for (let i = 0; i < n; i++) {
      let e: Awaited<ReturnType<typeof evidentRound>>;
      let b: Awaited<ReturnType<typeof baselineRound>>;
      if (i % 2 === 0) {
        e = await evidentRound();
        b = await baselineRound(i === 0);
      } else {
        b = await baselineRound(false);
        e = await evidentRound();
      }
      const figures = { ...e, ...b };
      runs.push(figures);
      note(
        `run ${i + 1}/${n}: evident up ${figures.upTotalMs} ms (wall ${fmt(figures.upWallMs)} ms), baseline boot ${fmt(figures.baselineBootMs)} ms, ` +
          `ratio ${fmt(figures.upTotalMs / figures.baselineBootMs)}×; evident down ${figures.downTotalMs} ms (wall ${fmt(figures.downWallMs)} ms), baseline stop ${fmt(figures.baselineStopMs)} ms`,
      );
    }
  } finally {
    killBaseline(baseline);
    await fleet.teardown();
  }

  const rows: Row[] = [
    measuredRow(BENCH, 'evident up: total_ms (own report)', summarize(runs.map((r) => r.upTotalMs)), ' ms'),
    measuredRow(BENCH, 'evident up: command wall time', summarize(runs.map((r) => r.upWallMs)), ' ms'),
    measuredRow(BENCH, "services' own boot (spawn-and-poll baseline)", summarize(runs.map((r) => r.baselineBootMs)), ' ms'),
    measuredRow(BENCH, 'start ratio evident total_ms / baseline (paired)', summarize(runs.map((r) => r.upTotalMs / r.baselineBootMs)), '×', { max: 1.3, label: '≤ 1.3×' }),
    measuredRow(BENCH, 'start ratio evident wall / baseline (paired)', summarize(runs.map((r) => r.upWallMs / r.baselineBootMs)), '×'),
    measuredRow(BENCH, 'evident down: total_ms (own report)', summarize(runs.map((r) => r.downTotalMs)), ' ms'),
    measuredRow(BENCH, 'evident down: command wall time', summarize(runs.map((r) => r.downWallMs)), ' ms'),
    measuredRow(BENCH, "services' own exit (SIGTERM, wait)", summarize(runs.map((r) => r.baselineStopMs)), ' ms'),
    measuredRow(BENCH, 'stop: evident total_ms − own exit (paired)', summarize(runs.map((r) => r.downTotalMs - r.baselineStopMs)), ' ms', { max: 50, label: '≤ 50 ms' }),
  ];
  section('start-stop: context');
  for (const spec of contract.services) {
    const s = summarize(perServiceBoot.get(spec.name) ?? []);
    note(`baseline boot of ${spec.name.padEnd(13)} (spawn → probe passes, ${spec.health.kind} probe): median ${fmt(s.median)} ms (min ${fmt(s.min)}, max ${fmt(s.max)}, N=${s.n})`);
  }
  const exec = summarize(execProbeMs);
  note(`eva-os's exec probe as declared (\`node healthcheck.mjs <url>\`), one run: median ${fmt(exec.median)} ms (min ${fmt(exec.min)}, max ${fmt(exec.max)}, N=${exec.n});`);
  note('evident pays it at least once on the path to api-gateway (and pauses 100 ms between exec probes); the baseline GETs the same URL directly.');
  note('baseline stop is in reverse dependency order like evident\'s (a service is signalled once its dependents have exited).');
  console.log(`\n${markdownTable(rows)}`);
  return rows;
}

/** The processes are gone and every port is closed, or throws saying what is left. */
async function verifyGone(pids: number[], fleet: BenchFleet): Promise<void> {
  const alive = pids.filter(isAlive);
  const open = await openPorts(fleet.ports);
  const ours = fleet.ours();
  if (alive.length > 0 || open.length > 0 || ours.length > 0) {
    throw new Error(`after stop: alive ${alive.join(', ') || '-'}; ports open ${open.join(', ') || '-'}; tagged processes ${ours.join(', ') || '-'}`);
  }
}

/** Wall time of the exec probe as the contract declares it, run `n` times. */
async function timeExecProbes(contract: BenchFleet['contract']['contract'], n: number): Promise<number[]> {
  const times: number[] = [];
  for (const spec of contract.services) {
    if (spec.health.kind !== 'exec') continue;
    const command = spec.health.command === 'node' ? NODE : spec.health.command;
    for (let i = 0; i < n; i++) {
      const result = await runTimed(command, spec.health.args, { cwd: spec.cwd });
      if (result.exitCode === 0) times.push(result.wallMs);
    }
  }
  return times;
}

if (isMain(import.meta)) await run({ quick: quickFlag() });
