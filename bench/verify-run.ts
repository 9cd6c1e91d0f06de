// The whole `evident verify <run-dir>` command (spawned as a user runs it, wall time from
// spawn to exit) on a realistic signed Gate 1 run folder, against `sha256sum -c SHA256SUMS`
// in the same folder: the standard-tools equivalent of its hash part (and `openssl
// pkeyutl -verify` of the manifest's signature, for context). verify does more than hash:
// it walks the journal's hash chain record by record and recomputes the verdict with the
// judge, so the ratio says what that costs. The breakdown times the parts in this process
// (`hashFiles` over the manifest's files, `readJournal`'s chain check, the judge,
// `verifyRun` as a whole) and `evident verify --help` as the floor of starting the command.
//
// The run folder is written by RunWriter as `evident gate gate1` writes it, with the records
// gates/start-stop-cycles/run.ts and the supervisor produce for a FULL Gate 1: 10 cycles of
// 30 min, probes every 5 s (360 rounds) of 6 services, a probe and a sample per service per
// round (21,600 of each, ≈ 43,500 records in all), the supervisor's start/ready/stop/stopped
// per service and a leftover check per cycle (judged over a ~300-process host table, of
// which it records the processes that concern the fleet and counts the rest). --quick: 2 cycles. Payloads are deterministic; times a plausible timeline ending now.
//
//   node bench/verify-run.ts [--quick]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { arch, release, tmpdir } from 'node:os';
import { join } from 'node:path';
import { hashFiles } from '../src/evidence/hash-files.ts';
import { judgeFor } from '../src/evidence/judge-registry.ts';
import { parseManifest } from '../src/evidence/manifest.ts';
import { readJournal } from '../src/evidence/read-journal.ts';
import type { RunWriter } from '../src/evidence/run-writer.ts';
import { JOURNAL_FILE, MANIFEST_PATTERN, PUBLIC_KEY_FILE, SHA256SUMS_FILE, SIGNATURE_SUFFIX } from '../src/evidence/run-layout.ts';
import { supervisorRecord } from '../src/evidence/supervisor-record.ts';
import { readTrustedKeyFile } from '../src/evidence/trusted-keys.ts';
import { verifyRun } from '../src/evidence/verify-run.ts';
import type { ProcessInfo } from '../src/platform/platform.ts';
import { leftoverEvidenceToJson, type LeftoverEvidenceJson } from '../src/supervisor/leftover-evidence-json.ts';
import type { SupervisorEvent } from '../src/supervisor/supervisor-event.ts';
import { BIN, isMain, NODE, quickFlag, runTimed } from './lib/demo-fleet.ts';
import { onInterrupt } from './lib/processes.ts';
import { markdownTable, measuredRow, missingRow, note, section, type Row } from './lib/report.ts';
import { fmt, summarize } from './lib/stats.ts';

const BENCH = 'verify-run';
const MB = 2 ** 20;
/** The demo fleet's services and ports, with the health probe each one has. */
const SERVICES = [
  { name: 'memory-engine', port: 7020, probe: 'http' },
  { name: 'model-router', port: 7010, probe: 'http' },
  { name: 'openclaw', port: 7040, probe: 'tcp' },
  { name: 'pipecat', port: 7030, probe: 'http' },
  { name: 'eva-os', port: 7050, probe: 'exec' },
  { name: 'api-gateway', port: 7000, probe: 'http' },
] as const;
/** Gate 1 as DESIGN.md sets it: 30 min cycles, a probe round every 5 s. */
const DURATION_S = 1800;
const INTERVAL_S = 5;
const ROUNDS = DURATION_S / INTERVAL_S;
/** Processes in each leftover check's table: a busy host's worth. */
const TABLE_PROCESSES = 300;
/** A long ceiling: a full verify takes seconds, never this. */
const TIMEOUT_MS = 600_000;

interface BuiltRun {
  dir: string;
  records: number;
  files: number;
  bytes: number;
  journalBytes: number;
  leftoverCheckBytes: number;
  buildMs: number;
}

export async function run(options: { quick: boolean }): Promise<Row[]> {
  const n = options.quick ? 3 : 5;
  const cycles = options.quick ? 2 : 10;
  section(`verify-run: \`evident verify\` on a signed Gate 1 run folder (${cycles} cycles × ${ROUNDS} rounds × ${SERVICES.length} services) vs \`sha256sum -c\`, N=${n} each (1 warm-up, interleaved)`);
  const root = mkdtempSync(join(tmpdir(), 'evident-bench-verify-run-'));
  const removeInterrupt = onInterrupt(async () => rmSync(root, { recursive: true, force: true }));
  try {
    const built = await buildGate1Run(root, cycles);
    note(
      `run folder: ${built.files} files, ${fmt(built.bytes / MB)} MB (journal ${fmt(built.journalBytes / MB)} MB, ${built.records} records; ` +
        `a leftover check ${fmt(built.leftoverCheckBytes / 1024)} KB); written in ${fmt(built.buildMs / 1000)} s`,
    );
    return await measure(built, n);
  } finally {
    removeInterrupt();
    rmSync(root, { recursive: true, force: true });
  }
}

async function measure(built: BuiltRun, n: number): Promise<Row[]> {
  const { dir } = built;
  // The bench installation's own public key, as a reviewer would be given it.
  const trustedKeyFile = join(dir, '..', '..', 'state', 'keys', 'evident-ed25519.pub');
  const names = readdirSync(dir);
  const manifestFile = names.find((name) => MANIFEST_PATTERN.test(name));
  if (manifestFile === undefined) throw new Error(`no manifest in ${dir}: ${names.join(', ')}`);
  const listed = parseManifest(readFileSync(join(dir, manifestFile), 'utf8')).entries.map((e) => e.name);
  const hasSha256sum = spawnSync('sha256sum', ['--version']).status === 0;
  const hasOpenssl = spawnSync('openssl', ['version']).status === 0;
  const judge = judgeFor('start-stop-cycles');
  if (!judge) throw new Error('the start-stop-cycles judge is not registered');

  const evident: number[] = [];
  const floor: number[] = [];
  const sha256sum: number[] = [];
  const openssl: number[] = [];
  const hashing: number[] = [];
  const chain: number[] = [];
  const judging: number[] = [];
  const whole: number[] = [];
  for (let i = -1; i < n; i++) {
    const verified = await runTimed(NODE, [BIN, 'verify', dir, '--trusted-key', trustedKeyFile], { timeoutMs: TIMEOUT_MS });
    // The warm-up pass is the check: a bench of a verify that fails measures nothing.
    if (verified.exitCode !== 0) throw new Error(`evident verify exited ${verified.exitCode} on the bench's run folder:\n${verified.stdout}${verified.stderr}`);
    if (i === -1) for (const line of verified.stdout.trimEnd().split('\n')) note(`| ${line}`);
    const help = await runTimed(NODE, [BIN, 'verify', '--help'], { timeoutMs: TIMEOUT_MS });
    if (help.exitCode !== 0) throw new Error(`evident verify --help exited ${help.exitCode}: ${help.stderr}`);
    if (hasSha256sum) {
      const result = await runTimed('sha256sum', ['--quiet', '-c', SHA256SUMS_FILE], { cwd: dir, timeoutMs: TIMEOUT_MS });
      if (result.exitCode !== 0) throw new Error(`sha256sum -c exited ${result.exitCode} on the bench's run folder:\n${result.stdout}${result.stderr}`);
      if (i >= 0) sha256sum.push(result.wallMs);
    }
    if (hasOpenssl) {
      const args = ['pkeyutl', '-verify', '-pubin', '-inkey', PUBLIC_KEY_FILE, '-rawin', '-in', manifestFile, '-sigfile', `${manifestFile}${SIGNATURE_SUFFIX}`];
      const result = await runTimed('openssl', args, { cwd: dir, timeoutMs: TIMEOUT_MS });
      if (result.exitCode !== 0) throw new Error(`openssl pkeyutl -verify exited ${result.exitCode}:\n${result.stdout}${result.stderr}`);
      if (i >= 0) openssl.push(result.wallMs);
    }
    // The parts, in this process (warm: the bench wrote the run with the same code).
    let started = performance.now();
    await hashFiles(dir, listed);
    const hashMs = performance.now() - started;
    started = performance.now();
    const reading = readJournal(join(dir, JOURNAL_FILE));
    const chainMs = performance.now() - started;
    if (reading.problems.length > 0 || reading.records.length !== built.records) throw new Error(`readJournal: ${reading.records.length} records, problems: ${reading.problems.map((p) => p.message).join('; ')}`);
    started = performance.now();
    const records = reading.records;
    const end = records.findIndex((r) => r.type === 'run.end');
    judge.judge(records.slice(0, end + 1), { max_failed_health_checks: 0, max_leftovers: 0 });
    const judgeMs = performance.now() - started;
    started = performance.now();
    const results = await verifyRun(dir, { trustedKeys: [readTrustedKeyFile(trustedKeyFile)] });
    const wholeMs = performance.now() - started;
    if (results.some((r) => !r.ok)) throw new Error(`verifyRun: ${results.filter((r) => !r.ok).map((r) => `${r.check}: ${r.detail}`).join('; ')}`);
    if (i < 0) continue;
    evident.push(verified.wallMs);
    floor.push(help.wallMs);
    hashing.push(hashMs);
    chain.push(chainMs);
    judging.push(judgeMs);
    whole.push(wholeMs);
  }

  const e = summarize(evident);
  const rows: Row[] = [measuredRow(BENCH, `\`evident verify\`, Gate 1 run (${built.records} records, ${fmt(built.bytes / MB)} MB), wall`, e, ' ms')];
  if (hasSha256sum) {
    // Per pass, so a noisy moment affects both sides of the same ratio.
    const ratio = summarize(evident.map((t, i) => t / (sha256sum[i] as number)));
    rows.push(measuredRow(BENCH, '`sha256sum -c SHA256SUMS`, same folder, wall', summarize(sha256sum), ' ms'));
    rows.push(measuredRow(BENCH, '`evident verify` ÷ `sha256sum -c`', ratio, '×'));
    note(`evident verify: ${fmt(e.median)} ms median; sha256sum -c: ${fmt(summarize(sha256sum).median)} ms; evident takes ${fmt(ratio.median)}× its time`);
  } else {
    rows.push(missingRow(BENCH, '`sha256sum -c SHA256SUMS`, same folder, wall', 'sha256sum not installed'));
  }
  if (hasOpenssl) rows.push(measuredRow(BENCH, '`openssl pkeyutl -verify` of the manifest (context)', summarize(openssl), ' ms'));
  else rows.push(missingRow(BENCH, '`openssl pkeyutl -verify` of the manifest (context)', 'openssl not installed'));

  // Where verify's time goes: each part as a share of the command's wall time, per pass.
  const share = (part: number[]) => summarize(part.map((ms, i) => (100 * ms) / (evident[i] as number)));
  const rest = evident.map((ms, i) => ms - (whole[i] as number) - (floor[i] as number));
  rows.push(
    measuredRow(BENCH, 'part: `evident verify --help` (start-up floor)', summarize(floor), ' ms'),
    measuredRow(BENCH, 'part: `verifyRun` in-process (all checks)', summarize(whole), ' ms'),
    measuredRow(BENCH, 'part: `hashFiles` over the manifest (hashing)', summarize(hashing), ' ms'),
    measuredRow(BENCH, 'part: `readJournal` (read, parse, hash chain)', summarize(chain), ' ms'),
    measuredRow(BENCH, 'part: Gate 1 judge recompute', summarize(judging), ' ms'),
    measuredRow(BENCH, 'share of verify: start-up floor', share(floor), ' %'),
    measuredRow(BENCH, 'share of verify: hashing', share(hashing), ' %'),
    measuredRow(BENCH, 'share of verify: journal chain', share(chain), ' %'),
    measuredRow(BENCH, 'share of verify: judge recompute', share(judging), ' %'),
    measuredRow(BENCH, 'share of verify: the rest (cold code, GC, other checks)', share(rest), ' %'),
  );
  const m = (values: number[]) => fmt(summarize(values).median);
  note(
    `medians: start-up ${m(floor)} ms + verifyRun ${m(whole)} ms (in-process: hashing ${m(hashing)}, chain ${m(chain)}, judge ${m(judging)}) ` +
      `vs ${fmt(e.median)} ms for the command; the rest is cold code and GC in the child`,
  );
  console.log(`\n${markdownTable(rows)}`);
  return rows;
}

/**
 * Writes a signed Gate 1 run under `root` as cli/run-gate.ts and the start-stop runner
 * do: RunWriter, the start checkpoint, then per cycle the records in the order they land.
 */
async function buildGate1Run(root: string, cycles: number): Promise<BuiltRun> {
  const started = performance.now();
  await import('../gates/registered-judges.ts');
  const { RunWriter } = await import('../src/evidence/run-writer.ts');
  const names = SERVICES.map((s) => s.name);
  const run: RunWriter = await RunWriter.create({
    artifactsDir: join(root, 'artifacts'),
    keysDir: join(root, 'state', 'keys'),
    kind: 'start-stop-cycles',
    label: 'gate1',
    contract: { name: 'evident demo fleet', version: '1.0.0', hash: 'b7'.repeat(32), path: join(root, 'contract.json') },
    actor: 'bench',
    criteria: { max_failed_health_checks: 0, max_leftovers: 0 },
    parameters: { cycles, duration_s: DURATION_S, interval_s: INTERVAL_S },
    start: { gate: 'gate1', services: names },
    snapshot: {
      config: {},
      flags: {},
      env: {},
      serviceEnvNames: [],
      evidentVersion: 'bench',
      platform: { os: process.platform, arch: arch(), release: release() },
      runtime: process.version,
    },
  });
  await run.checkpoint('gate1 started');

  const random = seeded(20261201);
  // A timeline that ends now: each cycle is its duration plus ~20 s to start and stop.
  let clock = Date.now() - cycles * (DURATION_S + 20) * 1000;
  const at = (ms: number) => new Date(ms).toISOString();
  const event = (e: SupervisorEvent, ms: number) => run.record(supervisorRecord({ ...e, at: ms }));
  let nextPid = 41_000;
  const ticksBase = 1_234_567;
  let leftoverCheckBytes = 0;

  for (let cycle = 1; cycle <= cycles; cycle++) {
    await run.record({ type: 'gate.cycle.start', event_time: at(clock), payload: { cycle, of: cycles, rounds: ROUNDS, services: names } });
    const pids = new Map<string, number[]>();
    for (const service of SERVICES) {
      const pid = nextPid++;
      const children = service.name === 'pipecat' ? [nextPid++, nextPid++] : [];
      pids.set(service.name, [pid, ...children]);
      clock += 15 + Math.floor(random() * 30);
      await event({ type: 'start', service: service.name, pid, command: `node ${service.name}.ts` }, clock);
      const bootMs = 180 + Math.floor(random() * 400);
      clock += bootMs;
      await event({ type: 'ready', service: service.name, pid, bootMs, probe: probeDetail(service) }, clock);
    }
    // The rounds as the runner makes them; issued a cycle at a time so the bench does not
    // wait the journal's 100 ms group-commit window 360 times (the file is the same).
    const t0 = clock;
    const observations: Promise<unknown>[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      const roundAt = t0 + (round - 1) * INTERVAL_S * 1000;
      const sampledAt = roundAt + 6 + Math.floor(random() * 8);
      for (const service of SERVICES) {
        const latency = service.probe === 'exec' ? 35 + Math.floor(random() * 25) : 1 + Math.floor(random() * 4);
        observations.push(
          run.observe({
            type: 'probe.health',
            event_time: at(roundAt + latency),
            payload: { cycle, round, service: service.name, ok: true, code: service.probe === 'tcp' ? null : service.probe === 'exec' ? 0 : 200, latency_ms: latency, detail: probeDetail(service) },
          }),
        );
      }
      for (const service of SERVICES) {
        const tree = pids.get(service.name) as number[];
        observations.push(
          run.observe({
            type: 'sample.service',
            event_time: at(sampledAt),
            payload: {
              cycle,
              round,
              service: service.name,
              state: 'running',
              pid: tree[0],
              cpu_percent: Math.round(random() * 300) / 100,
              rss_bytes: 48_000_000 + Math.floor(random() * 16_000_000),
              pids: tree,
            },
          }),
        );
      }
    }
    await Promise.all(observations);
    clock = t0 + DURATION_S * 1000;
    // The stop, in reverse dependency order, then the leftover check over the process table.
    for (const service of [...SERVICES].reverse()) {
      const tree = pids.get(service.name) as number[];
      await event({ type: 'stop', service: service.name, pid: tree[0] as number, signalled: tree }, clock);
      const durationMs = 40 + Math.floor(random() * 200);
      clock += durationMs;
      const root = tree[0] as number;
      await event({ type: 'stopped', service: service.name, graceful: true, durationMs, exit_code: 0, exit_signal: null, exit_observed: true, group: { pgid: root, sid: root }, escaped: [] }, clock);
    }
    clock += 120;
    const evidence = leftoverEvidence(pids, random, ticksBase + cycle * 200_000);
    leftoverCheckBytes = JSON.stringify(evidence).length;
    await event({ type: 'leftover-check', found: 0, evidence }, clock);
    clock += 5;
    await run.record({ type: 'gate.cycle.end', event_time: at(clock), payload: { cycle, leftovers: 0 } });
    clock += 20_000 - 2000;
  }
  const finished = await run.finish({ stopped_early: null });
  if (finished.verdict.status !== 'PASSED') throw new Error(`the bench's Gate 1 run was judged ${finished.verdict.status}: ${JSON.stringify(finished.verdict.reasons)}`);

  const files = readdirSync(finished.dir);
  const bytes = files.reduce((sum, name) => sum + statSync(join(finished.dir, name)).size, 0);
  const reading = readJournal(join(finished.dir, JOURNAL_FILE));
  return {
    dir: finished.dir,
    records: reading.records.length,
    files: files.length,
    bytes,
    journalBytes: reading.size,
    leftoverCheckBytes,
    buildMs: performance.now() - started,
  };
}

function probeDetail(service: (typeof SERVICES)[number]): string {
  if (service.probe === 'tcp') return `port ${service.port} accepts connections`;
  if (service.probe === 'exec') return 'exit 0';
  return '200 OK';
}

/**
 * What the leftover check records after a clean stop, from the host's process table (kernel
 * threads, system daemons, a desktop's worth of user processes, the runner itself), the
 * identities of the service processes just stopped (no longer in the table), no tagged
 * process and no listener on a contract port.
 */
function leftoverEvidence(pids: Map<string, number[]>, random: () => number, ticks: number): LeftoverEvidenceJson {
  const bootId = 'efe539c5-639a-40a7-94ec-0e6b3fdd65df';
  const bootedAt = Date.now() - 9 * 86_400_000;
  const table: ProcessInfo[] = [];
  const add = (pid: number, ppid: number, argv: string[], rss: number) =>
    table.push({
      pid,
      ppid,
      pgid: argv.length === 0 ? 0 : pid,
      sid: argv.length === 0 ? 0 : pid,
      state: random() < 0.04 ? 'R' : 'S',
      startToken: `${bootId}:${pid < 1000 ? 20 + pid : ticks - 50_000 + pid}`,
      startedAtMs: bootedAt + (pid < 1000 ? pid * 10 : pid * 1000),
      argv,
      cpuTimeMs: Math.floor(random() * 200_000),
      rssBytes: rss,
    });
  add(1, 0, ['/sbin/init', 'splash'], 13_000_000);
  add(2, 0, [], 0);
  // Kernel threads: no command line, as /proc reports them.
  for (let i = 0; i < 110; i++) add(3 + i, 2, [], 0);
  const daemons = [
    ['/lib/systemd/systemd-journald'],
    ['/lib/systemd/systemd-udevd'],
    ['/lib/systemd/systemd-resolved'],
    ['/lib/systemd/systemd-timesyncd'],
    ['/usr/sbin/cron', '-f', '-P'],
    ['@dbus-daemon', '--system', '--address=systemd:', '--nofork', '--nopidfile', '--systemd-activation', '--syslog-only'],
    ['/usr/sbin/rsyslogd', '-n', '-iNONE'],
    ['/lib/systemd/systemd-logind'],
    ['/usr/sbin/sshd', '-D'],
    ['/usr/bin/containerd'],
    ['/usr/sbin/NetworkManager', '--no-daemon'],
    ['/usr/libexec/polkitd', '--no-debug'],
    ['/usr/sbin/ModemManager'],
    ['/usr/libexec/udisks2/udisksd'],
    ['/usr/bin/dockerd', '-H', 'fd://', '--containerd=/run/containerd/containerd.sock'],
  ];
  let pid = 400;
  for (const argv of daemons) add(pid++, 1, argv, 4_000_000 + Math.floor(random() * 40_000_000));
  const user = [
    ['/lib/systemd/systemd', '--user'],
    ['-bash'],
    ['tmux', 'new-session', '-s', 'ops'],
    ['/usr/bin/python3', '/usr/bin/some-agent', '--config', '/etc/some-agent/agent.yaml'],
    ['/usr/lib/code/code', '--type=utility', '--utility-sub-type=node.mojom.NodeService', '--lang=en-US', '--service-sandbox-type=none'],
    ['node', '/home/ops/.vscode-server/extensions/dbaeumer.vscode-eslint-3.0.10/server/out/eslintServer.js', '--node-ipc', '--clientProcessId=2211'],
    ['/usr/bin/postgres', '-D', '/var/lib/postgresql/16/main', '-c', 'config_file=/etc/postgresql/16/main/postgresql.conf'],
    ['postgres: 16/main: checkpointer'],
    ['postgres: 16/main: background writer'],
    ['/usr/bin/redis-server', '127.0.0.1:6379'],
    ['sleep', '300'],
    ['ssh-agent', '-s'],
  ];
  while (table.length < TABLE_PROCESSES - 1) {
    const argv = user[table.length % user.length] as string[];
    add(pid, 1000 + (pid % 7), argv, 2_000_000 + Math.floor(random() * 200_000_000));
    pid += 1 + Math.floor(random() * 40);
  }
  // The runner itself, whose own unreaped children would be defunct leftovers.
  add(process.pid, 1500, [NODE, BIN, 'gate', 'gate1', '--json'], 95_000_000);
  const known = SERVICES.flatMap((service) =>
    (pids.get(service.name) as number[]).map((p) => ({ service: service.name, known: { pid: p, start_token: `${bootId}:${ticks + p}`, argv: ['node', `${service.name}.ts`] } })),
  );
  return leftoverEvidenceToJson({
    table,
    tagged: new Map(),
    known,
    groups: [],
    listeners: [],
    ports: new Map(SERVICES.map((s) => [s.port, s.name] as [number, string])),
    runningRoots: [],
    runningServices: [],
    consolePid: process.pid,
  });
}

/** A small deterministic generator (mulberry32), so every run writes the same payloads. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

if (isMain(import.meta)) await run({ quick: quickFlag() });
