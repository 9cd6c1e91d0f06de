// PM2 side by side, where PM2 can do the same thing. PM2 7 is installed on demand into
// bench/.cache (git-ignored) and runs with its own PM2_HOME in a temp folder. It starts
// the same six services from an ecosystem file generated from the contract (script,
// args, cwd, env; fork mode, interpreter none, no wait_ready): PM2 has no dependency
// order, so all six start at once and the services' own retry logic copes. Measured:
// start → all probes pass (polled here every 5 ms, the way the baseline does), stop
// (`pm2 delete all` → ports closed and processes gone), `pm2 jlist` latency, the
// daemon's idle cost, and `pm2 monit` in tmux (CPU and RSS of monit plus the daemon).
// `pm2 kill` at the end.
//
//   node bench/pm2-compare.ts [--quick]
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ResolvedService } from '../src/contract/contract.ts';
import { resolveStatePaths } from '../src/paths/state-paths.ts';
import { serviceEnvironment } from '../src/supervisor/spawn-service.ts';
import { POLL_MS, probeOnce } from './lib/baseline.ts';
import { benchEnv, isMain, NODE, portRange, quickFlag, ROOT, runTimed, writeBenchContract, type BenchContract } from './lib/demo-fleet.ts';
import { commandLine, descendants, isAlive, killQuietly, onInterrupt, openPorts, pidsWithEnvPrefix, sleep, waitUntil } from './lib/processes.ts';
import { markdownTable, mbRow, measuredRow, missingRow, note, section, type Row } from './lib/report.ts';
import { sampleProcess } from './lib/sampler.ts';
import { fmt, summarize } from './lib/stats.ts';
import { shellQuote, Tmux, tmuxAvailable } from './lib/tmux.ts';

const BENCH = 'pm2';
const PORT_SHIFT = 24400; // 31400–31450
const CACHE = join(ROOT, 'bench/.cache');
const PM2_BIN = join(CACHE, 'node_modules/pm2/bin/pm2');

export async function run(options: { quick: boolean }): Promise<Row[]> {
  const n = options.quick ? 3 : 5;
  const jlistN = options.quick ? 8 : 20;
  const warmupS = options.quick ? 5 : 10;
  const seconds = options.quick ? 20 : 60;
  const subWindowS = options.quick ? 5 : 10;
  section(`pm2: the same six services under PM2 (start/stop N=${n}, jlist N=${jlistN}, idle and monit ${seconds} s after ${warmupS} s)`);
  const unavailable = await ensurePm2();
  if (unavailable) {
    note(`PM2 not measured: ${unavailable}`);
    const rows = [missingRow(BENCH, 'PM2', unavailable)];
    console.log(`\n${markdownTable(rows)}`);
    return rows;
  }
  const dir = mkdtempSync(join(tmpdir(), 'evident-bench-pm2-'));
  const pm2Home = join(dir, 'pm2-home');
  mkdirSync(pm2Home);
  const env = benchEnv({ PM2_HOME: pm2Home });
  const pm2 = (...args: string[]) => runTimed(NODE, [PM2_BIN, ...args], { env, timeoutMs: 60_000 });
  const contract = await writeBenchContract(dir, PORT_SHIFT);
  const busy = await openPorts(contract.ports);
  if (busy.length > 0) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`ports ${busy.join(', ')} are already in use`);
  }
  const ecosystem = join(dir, 'ecosystem.json');
  writeFileSync(ecosystem, JSON.stringify(ecosystemFor(contract, join(dir, 'state')), null, 2));
  note(`PM2 ${pm2Version()}, PM2_HOME ${pm2Home}; contract moved to ports ${portRange(contract.ports)}`);
  const version = tmuxAvailable();
  const tmux = version ? new Tmux(BENCH, env) : null;
  let monitPid = 0;
  const cleanup = async () => {
    if (tmux) {
      await tmux.killSession('monit', monitPid);
      tmux.killServer();
    }
    await pm2KillAndVerify(pm2, pm2Home, dir, contract);
  };
  const removeInterrupt = onInterrupt(cleanup);

  const starts: { totalMs: number; cliMs: number }[] = [];
  const stops: { totalMs: number; cliMs: number }[] = [];
  const jlist: number[] = [];
  const rows: Row[] = [];
  try {
    const ping = await pm2('ping');
    if (ping.exitCode !== 0) throw new Error(`pm2 ping failed: ${ping.stdout}${ping.stderr}`);
    note(`daemon started by \`pm2 ping\` in ${fmt(ping.wallMs)} ms (not counted below: the daemon stays up, as PM2 is used)`);
    note('warm-up: one start/delete (not counted)');
    await startAndWait(pm2, ecosystem, contract);
    await deleteAndWait(pm2, pm2Home, contract);
    for (let i = 0; i < n; i++) {
      starts.push(await startAndWait(pm2, ecosystem, contract));
      stops.push(await deleteAndWait(pm2, pm2Home, contract));
      note(`run ${i + 1}/${n}: start → all probes pass ${fmt(starts.at(-1)?.totalMs ?? NaN)} ms (pm2 start CLI ${fmt(starts.at(-1)?.cliMs ?? NaN)} ms); delete → all gone ${fmt(stops.at(-1)?.totalMs ?? NaN)} ms (CLI ${fmt(stops.at(-1)?.cliMs ?? NaN)} ms)`);
    }
    await startAndWait(pm2, ecosystem, contract);
    for (let i = -1; i < jlistN; i++) {
      const result = await pm2('jlist');
      if (result.exitCode !== 0 || jlistCount(result.stdout) !== contract.ports.length) throw new Error(`pm2 jlist failed: ${result.stdout.slice(0, 500)}${result.stderr}`);
      if (i >= 0) jlist.push(result.wallMs);
    }
    const daemonPid = Number(readFileSync(join(pm2Home, 'pm2.pid'), 'utf8').trim());
    const idle = await sampleProcess(daemonPid, { warmupS, seconds, subWindowS, label: 'PM2 daemon' });
    note(`PM2 daemon pid ${daemonPid} idle (no client): CPU ${fmt(idle.cpuPercent)} % of a core, per ${subWindowS} s window median ${fmt(idle.perWindow.median)} %; RSS median ${fmt(idle.rss.median / 2 ** 20)} MB`);
    rows.push(
      measuredRow(BENCH, 'pm2 start → all six probes pass (all at once, no order)', summarize(starts.map((s) => s.totalMs)), ' ms'),
      measuredRow(BENCH, '`pm2 start ecosystem.json` CLI wall time', summarize(starts.map((s) => s.cliMs)), ' ms'),
      measuredRow(BENCH, '`pm2 delete all` → ports closed, processes gone', summarize(stops.map((s) => s.totalMs)), ' ms'),
      measuredRow(BENCH, '`pm2 delete all` CLI wall time', summarize(stops.map((s) => s.cliMs)), ' ms'),
      measuredRow(BENCH, '`pm2 jlist` wall time (fleet up): median', summarize(jlist), ' ms'),
      { ...measuredRow(BENCH, '`pm2 jlist` wall time (fleet up): p90', { ...summarize(jlist), median: summarize(jlist).p90 }, ' ms'), range: '' },
      measuredRow(BENCH, `PM2 daemon idle CPU, no client (% of one core, ${seconds} s)`, summarize([idle.cpuPercent]), ' %'),
      mbRow(BENCH, 'PM2 daemon RSS (idle)', idle.rss),
    );
    if (tmux) {
      tmux.newSession('keeper', 'exec sleep 3600');
      monitPid = tmux.newSession('monit', `exec ${[NODE, PM2_BIN, 'monit'].map(shellQuote).join(' ')}`);
      const shown = await tmux.waitForScreen('monit', /memory-engine/, performance.now(), 20_000, 50);
      if (shown === null) throw new Error(`pm2 monit showed nothing:\n${tmux.capture('monit')}`);
      const [monit, daemon] = await Promise.all([
        sampleProcess(monitPid, { warmupS, seconds, subWindowS, label: 'pm2 monit' }),
        sampleProcess(daemonPid, { warmupS, seconds, subWindowS, label: 'PM2 daemon' }),
      ]);
      note(`pm2 monit pid ${monitPid}: CPU ${fmt(monit.cpuPercent)} % of a core, RSS median ${fmt(monit.rss.median / 2 ** 20)} MB; daemon meanwhile ${fmt(daemon.cpuPercent)} %, RSS ${fmt(daemon.rss.median / 2 ** 20)} MB`);
      rows.push(
        measuredRow(BENCH, `pm2 monit CPU in tmux 80×24 (% of one core, ${seconds} s)`, summarize([monit.cpuPercent]), ' %'),
        measuredRow(BENCH, 'PM2 daemon CPU while monit runs (% of one core)', summarize([daemon.cpuPercent]), ' %'),
        measuredRow(BENCH, 'pm2 monit + daemon CPU (% of one core)', summarize([monit.cpuPercent + daemon.cpuPercent]), ' %'),
        mbRow(BENCH, 'pm2 monit RSS', monit.rss),
        mbRow(BENCH, 'pm2 monit + daemon RSS (medians added)', { ...monit.rss, median: monit.rss.median + daemon.rss.median, min: monit.rss.min + daemon.rss.min, max: monit.rss.max + daemon.rss.max }),
      );
    } else {
      rows.push(missingRow(BENCH, 'pm2 monit CPU and RSS', 'tmux missing'));
    }
  } catch (error) {
    note(`PM2 run failed: ${(error as Error).message}`);
    rows.push(missingRow(BENCH, 'PM2 (remaining figures)', `failed: ${(error as Error).message.split('\n')[0]?.slice(0, 80) ?? ''}`));
  } finally {
    removeInterrupt();
    await cleanup();
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(`\n${markdownTable(rows)}`);
  return rows;
}

/** Installs PM2 7 into bench/.cache when it is not there; returns why it cannot be used, or null. */
async function ensurePm2(): Promise<string | null> {
  if (!existsSync(PM2_BIN)) {
    note('installing pm2@7 into bench/.cache (npm install --prefix bench/.cache pm2@7 --no-save --no-audit --no-fund)');
    mkdirSync(CACHE, { recursive: true });
    let result;
    try {
      result = await runTimed('npm', ['install', '--prefix', CACHE, 'pm2@7', '--no-save', '--no-audit', '--no-fund'], { timeoutMs: 300_000 });
    } catch (error) {
      return `npm could not be run: ${(error as Error).message}`;
    }
    if (result.exitCode !== 0 || !existsSync(PM2_BIN)) return `npm install pm2@7 failed (exit ${result.exitCode}): ${(result.stderr || result.stdout).trim().split('\n').slice(-3).join(' ')}`;
  }
  const major = Number(pm2Version().split('.')[0]);
  if (major !== 7) return `bench/.cache holds pm2 ${pm2Version()}, not 7: remove bench/.cache/node_modules/pm2 to reinstall`;
  return null;
}

function pm2Version(): string {
  try {
    return (JSON.parse(readFileSync(join(CACHE, 'node_modules/pm2/package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

/** The contract as a PM2 ecosystem: the same command, args, cwd and environment evident gives. */
function ecosystemFor(contract: BenchContract, stateDir: string) {
  const paths = resolveStatePaths(stateDir);
  mkdirSync(paths.root, { recursive: true });
  return {
    apps: contract.contract.services.map((s: ResolvedService) => ({
      name: s.name,
      script: s.command === 'node' ? NODE : s.command,
      args: s.args,
      interpreter: 'none',
      exec_mode: 'fork',
      cwd: s.cwd,
      // Only what evident adds to the inherited environment; the daemon's own (PATH…) is merged in by PM2.
      env: serviceEnvironment(s, paths, {}),
      kill_timeout: s.stop_timeout_s * 1000,
      autorestart: true,
    })),
  };
}

async function startAndWait(pm2: (...args: string[]) => ReturnType<typeof runTimed>, ecosystem: string, contract: BenchContract): Promise<{ totalMs: number; cliMs: number }> {
  const t0 = performance.now();
  const cli = pm2('start', ecosystem);
  const deadline = t0 + 90_000;
  const healthyAt = await Promise.all(
    contract.contract.services.map(async (spec) => {
      while (!(await probeOnce(spec))) {
        if (performance.now() > deadline) throw new Error(`pm2: ${spec.name} not healthy within 90 s`);
        await sleep(POLL_MS);
      }
      return performance.now();
    }),
  );
  const result = await cli;
  if (result.exitCode !== 0) throw new Error(`pm2 start failed: ${result.stdout}${result.stderr}`);
  return { totalMs: Math.max(...healthyAt) - t0, cliMs: result.wallMs };
}

async function deleteAndWait(pm2: (...args: string[]) => ReturnType<typeof runTimed>, pm2Home: string, contract: BenchContract): Promise<{ totalMs: number; cliMs: number }> {
  const pids = appPids(pm2Home);
  const t0 = performance.now();
  const cli = pm2('delete', 'all');
  const gone = await waitUntil(async () => !pids.some(isAlive) && (await openPorts(contract.ports)).length === 0, 60_000, POLL_MS);
  const totalMs = performance.now() - t0;
  const result = await cli;
  if (!gone) throw new Error(`pm2 delete all: still alive ${pids.filter(isAlive).join(', ')}, ports ${(await openPorts(contract.ports)).join(', ')}`);
  if (result.exitCode !== 0) throw new Error(`pm2 delete all failed: ${result.stdout}${result.stderr}`);
  return { totalMs, cliMs: result.wallMs };
}

/** The apps' pids and all their descendants (openclaw's worker), from PM2's pid files. */
function appPids(pm2Home: string): number[] {
  const pidDir = join(pm2Home, 'pids');
  const pids: number[] = [];
  for (const file of existsSync(pidDir) ? readdirNames(pidDir) : []) {
    const pid = Number(readFileSync(join(pidDir, file), 'utf8').trim());
    if (Number.isInteger(pid) && pid > 0 && isAlive(pid)) pids.push(pid, ...descendants(pid));
  }
  return pids;
}

function readdirNames(dir: string): string[] {
  try {
    return readdirSync(dir).filter((f) => f.endsWith('.pid'));
  } catch {
    return [];
  }
}

/** How many apps `pm2 jlist` listed, or -1 when its output is not a JSON array. */
function jlistCount(stdout: string): number {
  try {
    const list = JSON.parse(stdout.slice(stdout.indexOf('['))) as unknown;
    return Array.isArray(list) ? list.length : -1;
  } catch {
    return -1;
  }
}

/** `pm2 kill`, then proves the daemon and every app are gone (kills what is left, proven ours by its environment). */
async function pm2KillAndVerify(pm2: (...args: string[]) => ReturnType<typeof runTimed>, pm2Home: string, dir: string, contract: BenchContract): Promise<void> {
  let daemonPid = 0;
  try {
    daemonPid = Number(readFileSync(join(pm2Home, 'pm2.pid'), 'utf8').trim());
  } catch {
    // no daemon was started
  }
  const result = await pm2('kill').catch((error: Error) => ({ exitCode: -1, stdout: '', stderr: error.message, wallMs: 0 }));
  if (result.exitCode !== 0) note(`cleanup: pm2 kill exited ${result.exitCode}: ${result.stderr.trim().slice(0, 300)}`);
  const ours = () => [...pidsWithEnvPrefix('EVIDENT_STATE_DIR', dir), ...pidsWithEnvPrefix('PM2_HOME', dir)];
  const clean = await waitUntil(async () => ours().length === 0 && !(daemonPid > 0 && isAlive(daemonPid)) && (await openPorts(contract.ports)).length === 0, 10_000, 50);
  if (!clean) {
    for (const pid of ours()) {
      note(`cleanup: left behind: pid ${pid} ${commandLine(pid)} (killed)`);
      killQuietly(pid);
    }
    if (daemonPid > 0) killQuietly(daemonPid);
  }
  const verified = ours().length === 0 && (await openPorts(contract.ports)).length === 0;
  note(`cleanup: ${verified ? `verified: PM2 daemon and apps gone, ports ${portRange(contract.ports)} closed` : 'WARNING: something is still running'}`);
}

if (isMain(import.meta)) await run({ quick: quickFlag() });
