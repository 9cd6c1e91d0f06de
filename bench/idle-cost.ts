// The headless core idle-supervising six services: `evident console --plain` (not a
// terminal: plain lines, 1 Hz telemetry and probes) over a 60 s window after a 10 s
// warm-up. CPU % of one core from /proc/<pid>/stat utime+stime deltas, and its RSS.
// Children it waits for (eva-os's exec probe, `node healthcheck.mjs`, every 5 s) are
// counted apart (cutime+cstime): they are processes of their own.
//
//   node bench/idle-cost.ts [--quick] [--profile] [--port-shift N]
//
// --profile runs the console under --cpu-prof and prints where its CPU time goes.
// --port-shift moves the demo ports by N instead of 24100 (31100–31150), so a second copy
// (another tree's, in a git worktree) can run at the same moment: two trees compared side
// by side see the same machine, which alternating runs on a shared machine do not.
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { BenchFleet, benchEnv, BIN, isMain, NODE, portRange, quickFlag, ROOT } from './lib/demo-fleet.ts';
import { isAlive, killQuietly, onInterrupt, waitUntil } from './lib/processes.ts';
import { printProfile } from './lib/profile.ts';
import { markdownTable, mbRow, measuredRow, note, section, type Row } from './lib/report.ts';
import { sampleProcess } from './lib/sampler.ts';
import { fmt, summarize } from './lib/stats.ts';

const BENCH = 'idle-cost';
const PORT_SHIFT = 24100; // 31100–31150

export async function run(options: { quick: boolean; profile?: boolean; portShift?: number }): Promise<Row[]> {
  const warmupS = options.quick ? 5 : 10;
  const seconds = options.quick ? 20 : 60;
  const subWindowS = options.quick ? 5 : 10;
  section(`idle-cost: \`evident console --plain\` supervising six services, ${seconds} s after ${warmupS} s warm-up`);
  const fleet = await BenchFleet.create(BENCH, options.portShift ?? PORT_SHIFT);
  note(`contract moved to ports ${portRange(fleet.ports)}; state ${fleet.stateDir}`);
  const profileDir = join(ROOT, 'bench/.cache/profiles');
  let pid = 0;
  const stopConsole = async () => {
    if (pid === 0 || !isAlive(pid)) return;
    killQuietly(pid, 'SIGTERM');
    if (!(await waitUntil(() => !isAlive(pid), 10_000, 20))) killQuietly(pid, 'SIGKILL');
  };
  const removeInterrupt = onInterrupt(stopConsole);
  let rows: Row[] = [];
  try {
    await fleet.up();
    const nodeFlags = options.profile ? ['--cpu-prof', '--cpu-prof-dir', profileDir, '--cpu-prof-name', `idle-console-${process.pid}.cpuprofile`] : [];
    if (options.profile) mkdirSync(profileDir, { recursive: true });
    const child = spawn(NODE, [...nodeFlags, BIN, 'console', '--plain', ...fleet.args], { cwd: ROOT, env: benchEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    pid = child.pid as number;
    let lines = 0;
    let output = '';
    const collect = (d: Buffer) => {
      const text = d.toString();
      lines += text.split('\n').length - 1;
      if (output.length < 20_000) output += text;
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    if (!(await waitUntil(() => /adopt/.test(output) || /SERVICE/.test(output), 15_000, 20))) throw new Error(`console did not start:\n${output}`);
    const window = await sampleProcess(pid, { warmupS, seconds, subWindowS, label: 'evident console --plain' });
    const ticksSeen = /skipped/.test(output);
    await stopConsole();
    const code = await exited;
    if (code !== 0) note(`console exited with code ${code}:\n${output.slice(-2000)}`);
    note(`console pid ${pid}: ${lines} lines printed in total; CPU over the window ${fmt(window.cpuPercent)} % of a core; per ${subWindowS} s window median ${fmt(window.perWindow.median)} % (min ${fmt(window.perWindow.min)}, max ${fmt(window.perWindow.max)})`);
    note(`waited-for children (exec probes): ${fmt(window.childrenCpuPercent)} % of a core; RSS median ${fmt(window.rss.median / 2 ** 20)} MB (min ${fmt(window.rss.min / 2 ** 20)}, max ${fmt(window.rss.max / 2 ** 20)})${ticksSeen ? '; it reported skipped ticks' : ''}`);
    rows = [
      measuredRow(BENCH, `CPU of the console process (% of one core, ${seconds} s)`, summarize([window.cpuPercent]), ' %', { max: 0.5, label: '≤ 0.5 %' }),
      measuredRow(BENCH, `CPU per ${subWindowS} s window (% of one core)`, window.perWindow, ' %'),
      measuredRow(BENCH, 'CPU of waited-for children: exec probes (% of one core)', summarize([window.childrenCpuPercent]), ' %'),
      measuredRow(BENCH, 'CPU console + its probe children (% of one core)', summarize([window.cpuPercent + window.childrenCpuPercent]), ' %'),
      mbRow(BENCH, 'RSS of the console (1 s samples)', window.rss),
    ];
    if (options.profile) printProfile(join(profileDir, `idle-console-${process.pid}.cpuprofile`), 25, warmupS * 1000);
  } finally {
    await stopConsole();
    removeInterrupt();
    await fleet.teardown();
  }
  console.log(`\n${markdownTable(rows)}`);
  return rows;
}

/** `--port-shift N`: a whole number that keeps the ports between 1024 and 65535. */
function portShiftFlag(): number | undefined {
  const at = process.argv.indexOf('--port-shift');
  if (at === -1) return undefined;
  const shift = Number(process.argv[at + 1]);
  if (!Number.isInteger(shift) || shift < 1024 - 7000 || shift > 65_535 - 7050) throw new Error(`--port-shift: expected a whole number that keeps ports 7000–7050 within 1024–65535, got "${process.argv[at + 1]}"`);
  return shift;
}

if (isMain(import.meta)) await run({ quick: quickFlag(), profile: process.argv.includes('--profile'), portShift: portShiftFlag() });
