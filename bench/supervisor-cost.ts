// The background supervisor (`evident supervise`, started by `evident up`) idle with six
// services, and how fast it brings a crashed service back.
//
// 1. Idle cost: CPU % of one core of the supervisor over a window after a warm-up (from
//    /proc/<pid>/stat), then, in the same run, of `evident console --plain` over the same
//    window (it takes the fleet from the supervisor and hands it back when it ends): the
//    ratio compares the two on the machine as it is today. Target ≤ 0.5 % of a core.
// 2. Restart latency: each service in turn (the demo contract restarts "on-failure",
//    delay_s 1) is killed with SIGKILL; the time until its pid file names a new process
//    and its /healthz answers 200. The policy's own 1 s wait is printed apart, so what is
//    left is evident's part: seeing the exit, spawning, and the service's boot.
//
//   node bench/supervisor-cost.ts [--quick]
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BenchFleet, benchEnv, BIN, isMain, NODE, portRange, quickFlag, ROOT } from './lib/demo-fleet.ts';
import { isAlive, killQuietly, onInterrupt, waitUntil } from './lib/processes.ts';
import { markdownTable, mbRow, measuredRow, note, section, type Row } from './lib/report.ts';
import { sampleProcess } from './lib/sampler.ts';
import { fmt, summarize } from './lib/stats.ts';

const BENCH = 'supervisor';
const PORT_SHIFT = 24600; // 31600–31650

export async function run(options: { quick: boolean }): Promise<Row[]> {
  const warmupS = options.quick ? 5 : 10;
  const seconds = options.quick ? 20 : 60;
  const subWindowS = options.quick ? 5 : 10;
  section(`supervisor: \`evident supervise\` idle with six services (${seconds} s after ${warmupS} s), beside \`evident console --plain\`; restart latency after SIGKILL`);
  const fleet = await BenchFleet.create(BENCH, PORT_SHIFT);
  note(`contract moved to ports ${portRange(fleet.ports)}; state ${fleet.stateDir}`);
  let consolePid = 0;
  const stopConsole = async () => {
    if (consolePid === 0 || !isAlive(consolePid)) return;
    killQuietly(consolePid, 'SIGTERM');
    if (!(await waitUntil(() => !isAlive(consolePid), 10_000, 20))) killQuietly(consolePid, 'SIGKILL');
  };
  const removeInterrupt = onInterrupt(stopConsole);
  const rows: Row[] = [];
  try {
    await fleet.up();
    const supervisor = await supervisorPid(fleet.stateDir);
    const idle = await sampleProcess(supervisor, { warmupS, seconds, subWindowS, label: 'evident supervise' });
    note(`supervisor pid ${supervisor}: ${fmt(idle.cpuPercent)} % of a core over ${fmt(idle.seconds)} s; per ${subWindowS} s window median ${fmt(idle.perWindow.median)} % (min ${fmt(idle.perWindow.min)}, max ${fmt(idle.perWindow.max)}); exec probe children ${fmt(idle.childrenCpuPercent)} %`);

    const child = spawn(NODE, [BIN, 'console', '--plain', ...fleet.args], { cwd: ROOT, env: benchEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    consolePid = child.pid as number;
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    if (!(await waitUntil(() => /adopted/.test(output), 15_000, 20))) throw new Error(`console did not take the fleet:\n${output}`);
    const peer = await sampleProcess(consolePid, { warmupS, seconds, subWindowS, label: 'evident console --plain' });
    await stopConsole();
    note(`console pid ${consolePid} (same window, same fleet): ${fmt(peer.cpuPercent)} % of a core; ratio supervisor / console ${fmt(idle.cpuPercent / peer.cpuPercent)}`);
    rows.push(
      measuredRow(BENCH, `CPU of the supervisor, idle, six services (% of one core, ${seconds} s)`, summarize([idle.cpuPercent]), ' %', { max: 0.5, label: '≤ 0.5 %' }),
      measuredRow(BENCH, `CPU per ${subWindowS} s window (% of one core)`, idle.perWindow, ' %'),
      mbRow(BENCH, 'RSS of the supervisor (1 s samples)', idle.rss),
      measuredRow(BENCH, `CPU of console --plain, same fleet, next ${seconds} s (% of one core)`, summarize([peer.cpuPercent]), ' %'),
      measuredRow(BENCH, 'ratio supervisor / console --plain', summarize([idle.cpuPercent / peer.cpuPercent]), '×'),
    );

    // The console handed the fleet back: restarts are the new supervisor's.
    await supervisorPid(fleet.stateDir);
    const services = fleet.contract.contract.services.slice(0, options.quick ? 3 : 6);
    const latencies: number[] = [];
    for (const service of services) {
      const before = pidOf(fleet.stateDir, service.name);
      if (before === null) throw new Error(`${service.name} has no pid file`);
      const killedAt = performance.now();
      killQuietly(before, 'SIGKILL');
      const back = await waitUntil(async () => {
        const now = pidOf(fleet.stateDir, service.name);
        return now !== null && now !== before && (await healthy(service.port));
      }, 30_000, 5);
      if (!back) throw new Error(`${service.name} was not restarted within 30 s`);
      latencies.push(performance.now() - killedAt);
    }
    const total = summarize(latencies);
    const delayMs = services[0]?.restart.delay_s === undefined ? 1000 : services[0].restart.delay_s * 1000;
    note(`crash → healthy: ${latencies.map((l) => `${fmt(l)} ms`).join(', ')} (${services.map((s) => s.name).join(', ')}); the policy waits ${delayMs} ms of each`);
    rows.push(
      measuredRow(BENCH, 'restart latency: SIGKILL → healthy again (ms)', total, ' ms'),
      measuredRow(BENCH, "restart latency less the policy's delay_s (ms)", summarize(latencies.map((l) => l - delayMs)), ' ms'),
    );
  } finally {
    await stopConsole();
    removeInterrupt();
    await fleet.teardown();
  }
  console.log(`\n${markdownTable(rows)}`);
  return rows;
}

async function supervisorPid(stateDir: string): Promise<number> {
  let pid = 0;
  const found = await waitUntil(() => {
    try {
      const holder = JSON.parse(readFileSync(join(stateDir, 'fleet.lock'), 'utf8')) as { pid: number; purpose: string };
      pid = holder.purpose === 'evident supervisor' && isAlive(holder.pid) ? holder.pid : 0;
    } catch {
      pid = 0;
    }
    return pid !== 0;
  }, 15_000, 20);
  if (!found) throw new Error('no background supervisor holds the fleet');
  return pid;
}

function pidOf(stateDir: string, service: string): number | null {
  try {
    return (JSON.parse(readFileSync(join(stateDir, 'pids', `${service}.json`), 'utf8')) as { pid: number }).pid;
  } catch {
    return null;
  }
}

async function healthy(port: number): Promise<boolean> {
  try {
    const response = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(500) });
    return response.status === 200;
  } catch {
    return false;
  }
}

if (isMain(import.meta)) await run({ quick: quickFlag() });
