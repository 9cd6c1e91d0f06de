// The live TUI in a real terminal: tmux (a private server) runs
// `node --max-semi-space-size=2 bin/evident.js console` at 80×24 (the flag `npm start`
// uses) on the running demo fleet. CPU % of one core and RSS over 60 s after a 10 s
// warm-up, and the first frame: from spawning the command in tmux until capture-pane
// shows the services table header (NAME and PID), polling every 10 ms. Nothing is
// subtracted: the figure includes tmux's own latency (new-session, the shell, the pane
// update, capture-pane), which is printed beside it for a command that prints the same
// header at once, and so is the first frame without --max-semi-space-size=2 (Node's
// default young generation) to show what the flag costs at start-up.
//
//   node bench/tui-cost.ts [--quick]
import { fileURLToPath } from 'node:url';
import { BenchFleet, BIN, isMain, NODE, portRange, quickFlag } from './lib/demo-fleet.ts';
import { descendants, isAlive } from './lib/processes.ts';
import { markdownTable, mbRow, measuredRow, missingRow, note, section, type Row } from './lib/report.ts';
import { sampleProcess } from './lib/sampler.ts';
import { fmt, summarize } from './lib/stats.ts';
import { shellQuote, Tmux, tmuxAvailable } from './lib/tmux.ts';

const BENCH = 'tui-cost';
const PORT_SHIFT = 24200; // 31200–31250
const HEADER = /NAME\s+PID/;
const INK_FLOOR = fileURLToPath(new URL('./lib/ink-floor.ts', import.meta.url));
const FIRST_FRAME_TARGET = { max: 250, label: '≤ 250 ms' };
const CPU_TARGET = { max: 2, label: '≤ 2 %' };
const RSS_TARGET = { max: 80, label: '≤ 80 MB' };

export async function run(options: { quick: boolean }): Promise<Row[]> {
  const n = options.quick ? 3 : 5;
  const warmupS = options.quick ? 5 : 10;
  const seconds = options.quick ? 20 : 60;
  const subWindowS = options.quick ? 5 : 10;
  section(`tui-cost: the Ink console in tmux 80×24, first frame N=${n}, cost ${seconds} s after ${warmupS} s warm-up`);
  const version = tmuxAvailable();
  if (!version) {
    note('tmux is not installed: the TUI cannot be measured in a real terminal here');
    const rows = [
      missingRow(BENCH, 'first frame (spawn in tmux → header on screen)', 'tmux missing', FIRST_FRAME_TARGET),
      missingRow(BENCH, 'CPU of the TUI process', 'tmux missing', CPU_TARGET),
      missingRow(BENCH, 'RSS of the TUI process', 'tmux missing', RSS_TARGET),
    ];
    console.log(`\n${markdownTable(rows)}`);
    return rows;
  }
  const fleet = await BenchFleet.create(BENCH, PORT_SHIFT);
  const tmux = new Tmux(BENCH);
  note(`${version}, private socket ${tmux.socket}; contract moved to ports ${portRange(fleet.ports)}`);
  const consoleCommand = `exec ${[NODE, '--max-semi-space-size=2', BIN, 'console', ...fleet.args].map(shellQuote).join(' ')}`;
  const defaultGcCommand = `exec ${[NODE, BIN, 'console', ...fleet.args].map(shellQuote).join(' ')}`;
  const floorCommand = `printf '%s\\n' 'NAME    PID'; exec sleep 600`;
  const inkFloorCommand = `exec ${[NODE, '--max-semi-space-size=2', INK_FLOOR].map(shellQuote).join(' ')}`;
  const firstFrames: number[] = [];
  const firstFramesDefaultGc: number[] = [];
  const floors: number[] = [];
  let rows: Row[] = [];
  let livePid = 0;
  try {
    await fleet.up();
    // A warm tmux server, as a user's would be: the sessions below only add a session.
    tmux.newSession('keeper', 'exec sleep 3600');
    for (let i = 0; i < n; i++) {
      floors.push(await timeToHeader(tmux, `floor-${i}`, floorCommand, 10_000));
      firstFrames.push(await timeToHeader(tmux, `first-${i}`, consoleCommand, 30_000));
      firstFramesDefaultGc.push(await timeToHeader(tmux, `default-gc-${i}`, defaultGcCommand, 30_000));
      note(
        `run ${i + 1}/${n}: first frame ${fmt(firstFrames.at(-1) as number)} ms; without --max-semi-space-size=2 ${fmt(firstFramesDefaultGc.at(-1) as number)} ms; ` +
          `tmux floor (printf of the same header) ${fmt(floors.at(-1) as number)} ms`,
      );
    }
    livePid = tmux.newSession('live', consoleCommand);
    const ready = await tmux.waitForScreen('live', /6\/6 healthy/, performance.now(), 30_000, 50);
    if (ready === null) throw new Error(`the console never showed 6/6 healthy:\n${tmux.capture('live')}`);
    const extra = descendants(livePid);
    const window = await sampleProcess(livePid, { warmupS, seconds, subWindowS, label: 'evident console (TUI)' });
    const screen = tmux.capture('live');
    // The same measurement of a one-line Ink app: what any Ink console costs here.
    const floorPid = tmux.newSession('ink-floor', inkFloorCommand);
    if ((await tmux.waitForScreen('ink-floor', HEADER, performance.now(), 30_000, 50)) === null) throw new Error(`the Ink floor app never drew:\n${safeCapture(tmux, 'ink-floor')}`);
    const floorWindow = await sampleProcess(floorPid, { warmupS: 3, seconds: subWindowS, subWindowS, label: 'one-line Ink app' });
    await tmux.killSession('ink-floor', floorPid);
    note(`one-line Ink app (bench/lib/ink-floor.ts) pid ${floorPid}: RSS median ${fmt(floorWindow.rss.median / 2 ** 20)} MB, CPU ${fmt(floorWindow.cpuPercent)} %`);
    note(`TUI pid ${livePid}: CPU ${fmt(window.cpuPercent)} % of a core over ${fmt(window.seconds)} s; per ${subWindowS} s window median ${fmt(window.perWindow.median)} % (min ${fmt(window.perWindow.min)}, max ${fmt(window.perWindow.max)})`);
    note(`waited-for children (exec probes): ${fmt(window.childrenCpuPercent)} % of a core; RSS median ${fmt(window.rss.median / 2 ** 20)} MB (max ${fmt(window.rss.max / 2 ** 20)}); children at start: ${extra.length}`);
    note(`last screen:\n${screen.replace(/^/gm, '    | ')}`);
    rows = [
      measuredRow(BENCH, 'first frame: spawn in tmux → NAME/PID header (incl. tmux latency)', summarize(firstFrames), ' ms', FIRST_FRAME_TARGET),
      measuredRow(BENCH, 'first frame without --max-semi-space-size=2 (context)', summarize(firstFramesDefaultGc), ' ms'),
      measuredRow(BENCH, "tmux's own latency: printf of the header (not subtracted)", summarize(floors), ' ms'),
      measuredRow(BENCH, `CPU of the TUI process (% of one core, ${seconds} s)`, summarize([window.cpuPercent]), ' %', CPU_TARGET),
      measuredRow(BENCH, `TUI CPU per ${subWindowS} s window (% of one core)`, window.perWindow, ' %'),
      measuredRow(BENCH, 'CPU of waited-for children: exec probes (% of one core)', summarize([window.childrenCpuPercent]), ' %'),
      mbRow(BENCH, 'RSS of the TUI process (1 s samples)', window.rss, RSS_TARGET),
      mbRow(BENCH, 'floor: RSS of a one-line Ink app (Node + production React + Ink, no evident)', floorWindow.rss),
    ];
  } finally {
    await tmux.killSession('live', livePid);
    tmux.killServer();
    await fleet.teardown();
  }
  console.log(`\n${markdownTable(rows)}`);
  return rows;
}

/** Spawns `command` in a new session and times it until the header is on screen; then ends it. */
async function timeToHeader(tmux: Tmux, session: string, command: string, timeoutMs: number): Promise<number> {
  const started = performance.now();
  const pid = tmux.newSession(session, command);
  const ms = await tmux.waitForScreen(session, HEADER, started, timeoutMs, 10);
  const screen = ms === null ? safeCapture(tmux, session) : '';
  await tmux.killSession(session, pid);
  if (isAlive(pid)) throw new Error(`${session}: pid ${pid} survived the end of its session`);
  if (ms === null) throw new Error(`${session}: no NAME/PID header within ${timeoutMs} ms; screen:\n${screen}`);
  return ms;
}

function safeCapture(tmux: Tmux, session: string): string {
  try {
    return tmux.capture(session);
  } catch (error) {
    return `(capture failed: ${(error as Error).message})`;
  }
}

if (isMain(import.meta)) await run({ quick: quickFlag() });
