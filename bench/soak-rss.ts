// Does evident itself leak over a soak? A shortened Gate 2 runs detached on the demo fleet
// (the demo traffic profile × --rate-scale, minutes of --minute), while the console (its
// soak view open) and `evident watch` follow it in tmux at 80×24. The RSS of the runner,
// the console and watch is read every 5 s; after the warm-up (the first quarter of the
// run) the growth of each is (median of the last fifth − median of the first fifth) ÷ the
// first, against the same < 5 % the gate demands of services. Nothing is asserted: the
// figures are printed, with the RSS series per process.
//
//   node bench/soak-rss.ts [--quick] [--duration 20m] [--minute 10s] [--rate-scale 10]
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { BenchFleet, BIN, isMain, NODE, parseJson, portRange, ROOT, runEvident } from './lib/demo-fleet.ts';
import { isAlive, readRssBytes, sleep, waitUntil } from './lib/processes.ts';
import { markdownTable, measuredRow, missingRow, note, section, type Row } from './lib/report.ts';
import { fmt, summarize } from './lib/stats.ts';
import { shellQuote, Tmux, tmuxAvailable } from './lib/tmux.ts';
import { parseDuration } from '../src/time/parse-duration.ts';

const BENCH = 'soak-rss';
const PORT_SHIFT = 24500; // 31500–31550
const SAMPLE_EVERY_MS = 5000;
const GROWTH_TARGET = { max: 5, label: '< 5 %' };

interface Options {
  durationS: number;
  minuteS: number;
  rateScale: number;
}

export async function run(options: Options): Promise<Row[]> {
  section(`soak-rss: evident's own RSS over a ${fmt(options.durationS / 60)}-minute soak (minutes of ${options.minuteS} s, demo traffic × ${options.rateScale})`);
  const fleet = await BenchFleet.create(BENCH, PORT_SHIFT);
  const artifacts = mkdtempSync(join(fleet.dir, 'artifacts-'));
  const pipeline = writeSoakPipeline(fleet.dir, options.rateScale);
  const args = [...fleet.args, '--artifacts-dir', artifacts, '--pipeline', pipeline];
  const tmux = tmuxAvailable() ? new Tmux(BENCH) : null;
  note(`contract moved to ports ${portRange(fleet.ports)}; ${tmux ? 'tmux for the console and watch' : 'tmux missing: the runner only'}`);
  const series = new Map<string, number[]>();
  let runnerPid = 0;
  try {
    const warmup = Math.max(options.minuteS, Math.floor(options.durationS / 4 / options.minuteS) * options.minuteS);
    const started = await runEvident(['gate', 'gate2', '--detach', '--json', '--duration', `${options.durationS}s`, '--minute', `${options.minuteS}s`, '--warmup', `${warmup}s`, ...args]);
    const detached = parseJson<{ run_id: string; runner_pid: number }>(started.stdout);
    if (started.exitCode !== 0 || !detached) throw new Error(`the soak did not start (exit ${started.exitCode}): ${started.stdout}${started.stderr}`);
    runnerPid = detached.runner_pid;
    note(`run ${detached.run_id}, runner pid ${runnerPid}, warm-up ${warmup} s`);
    const watched = new Map<string, number>([['runner', runnerPid]]);
    if (tmux) {
      const consolePid = tmux.newSession('console', `exec ${[NODE, '--max-semi-space-size=2', BIN, 'console', ...args].map(shellQuote).join(' ')}`);
      await sleep(3000);
      tmux.run('send-keys', '-t', 'console', 'S');
      const watchPid = tmux.newSession('watch', `exec ${[NODE, '--max-semi-space-size=2', BIN, 'watch', ...args].map(shellQuote).join(' ')}`);
      watched.set('console (soak view)', consolePid);
      watched.set('watch', watchPid);
    }
    for (const name of watched.keys()) series.set(name, []);
    const t0 = performance.now();
    while (isAlive(runnerPid)) {
      for (const [name, pid] of watched) {
        const rss = readRssBytes(pid);
        if (rss !== null) series.get(name)?.push(rss);
      }
      await sleep(Math.max(0, t0 + (series.get('runner')?.length ?? 0) * SAMPLE_EVERY_MS - performance.now()));
    }
    if (tmux) note(`console at the end:\n${tmux.capture('console')}`);
  } finally {
    tmux?.killServer();
    if (runnerPid > 0) await waitUntil(() => !isAlive(runnerPid), 30_000, 100);
    await fleet.teardown();
  }

  const rows: Row[] = [];
  for (const [name, values] of series) {
    const afterWarmup = values.slice(Math.floor(values.length / 4));
    const fifth = Math.max(1, Math.floor(afterWarmup.length / 5));
    const first = summarize(afterWarmup.slice(0, fifth));
    const last = summarize(afterWarmup.slice(-fifth));
    if (afterWarmup.length < 4) {
      rows.push(missingRow(BENCH, `${name}: RSS growth after warm-up`, `${values.length} samples: too short`, GROWTH_TARGET));
      continue;
    }
    const growth = ((last.median - first.median) / first.median) * 100;
    note(`${name}: RSS every ${SAMPLE_EVERY_MS / 1000} s (MB): ${values.map((b) => (b / 2 ** 20).toFixed(1)).join(' ')}`);
    rows.push(measuredRow(BENCH, `${name}: RSS after warm-up, first fifth (MB)`, { ...first, median: first.median / 2 ** 20, min: first.min / 2 ** 20, max: first.max / 2 ** 20, p90: first.p90 / 2 ** 20 }, ' MB'));
    rows.push(measuredRow(BENCH, `${name}: RSS after warm-up, last fifth (MB)`, { ...last, median: last.median / 2 ** 20, min: last.min / 2 ** 20, max: last.max / 2 ** 20, p90: last.p90 / 2 ** 20 }, ' MB'));
    rows.push(measuredRow(BENCH, `${name}: RSS growth after warm-up`, { n: afterWarmup.length, median: growth, p90: growth, min: growth, max: growth }, ' %', GROWTH_TARGET));
  }
  console.log(`\n${markdownTable(rows)}`);
  return rows;
}

/** The demo pipeline's Gate 2 alone, its traffic rates multiplied, its criteria as declared. */
function writeSoakPipeline(dir: string, scale: number): string {
  const declared = JSON.parse(readFileSync(join(ROOT, 'contracts/pipeline.phase3.json'), 'utf8')) as { $schema?: string; gates: { id: string; parameters: { traffic: { endpoints: { rate_per_s: number }[] } } }[] };
  delete declared.$schema;
  const soak = declared.gates.find((g) => g.id === 'gate2');
  if (!soak) throw new Error('the demo pipeline has no gate2');
  for (const endpoint of soak.parameters.traffic.endpoints) endpoint.rate_per_s *= scale;
  const path = join(dir, 'pipeline.json');
  writeFileSync(path, JSON.stringify({ ...declared, gates: [soak] }, null, 2));
  return path;
}

if (isMain(import.meta)) {
  const { values } = parseArgs({ options: { quick: { type: 'boolean' }, duration: { type: 'string' }, minute: { type: 'string' }, 'rate-scale': { type: 'string' } } });
  const seconds = (text: string | undefined, fallback: number) => {
    if (text === undefined) return fallback;
    const parsed = parseDuration(text);
    if (!parsed.ok) throw new Error(parsed.message);
    return parsed.seconds;
  };
  const durationS = seconds(values.duration, values.quick ? 180 : 1200);
  const minuteS = seconds(values.minute, 10);
  await run({ durationS, minuteS, rateScale: Number(values['rate-scale'] ?? 10) });
}
