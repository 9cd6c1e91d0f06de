// `evident status --json` wall time with the fleet up (spawn → exit), N=20, median and
// p90; beside it the floors: `node -e 0` (Node's own start-up) and `evident --version`
// (the CLI entry without a command), and, to show where the time goes, `status --help`
// (the status command's modules loaded, no work) and status on the same fleet with
// eva-os's exec probe replaced by an http probe of the same URL; and `node -e
// "await import('execa')"`, what loading execa alone costs (why execa is a development
// dependency only: the README's Dependencies section).
//
//   node bench/status-latency.ts [--quick]
import { BenchFleet, BIN, isMain, NODE, portRange, quickFlag, runTimed, writeBenchContract } from './lib/demo-fleet.ts';
import { markdownTable, measuredRow, note, section, type Row } from './lib/report.ts';
import { fmt, summarize, type Summary } from './lib/stats.ts';

const BENCH = 'status-latency';
const PORT_SHIFT = 24300; // 31300–31350

export async function run(options: { quick: boolean }): Promise<Row[]> {
  const n = options.quick ? 8 : 20;
  section(`status-latency: command wall time, spawn → exit, N=${n} each (1 warm-up each, interleaved)`);
  const fleet = await BenchFleet.create(BENCH, PORT_SHIFT);
  note(`contract moved to ports ${portRange(fleet.ports)}`);
  // The same fleet, state and ports; only eva-os's probe differs (http GET of the URL its exec probe checks).
  const httpOnly = await writeBenchContract(fleet.dir, PORT_SHIFT, 'contract-http-probes.json', (json) => {
    for (const service of json.services) {
      if (service.health.kind !== 'exec') continue;
      const url = new URL(String((service.health.args as string[]).find((a) => a.startsWith('http'))));
      service.health = { kind: 'http', path: url.pathname, expect_status: 200, timeout_ms: 2000 };
    }
  });
  const variants: { key: string; label: string; command: string; args: string[]; expectExit: number }[] = [
    { key: 'node', label: '`node -e 0` (floor: Node start-up)', command: NODE, args: ['-e', '0'], expectExit: 0 },
    { key: 'version', label: '`evident --version` (floor: the CLI entry)', command: NODE, args: [BIN, '--version'], expectExit: 0 },
    {
      key: 'execa',
      label: "`node -e \"await import('execa')\"` (Node start-up + execa's modules)",
      command: NODE,
      args: ['--input-type=module', '-e', "await import('execa')"],
      expectExit: 0,
    },
    { key: 'help', label: '`evident status --help` (status modules loaded, no work)', command: NODE, args: [BIN, 'status', '--help'], expectExit: 0 },
    { key: 'status', label: '`evident status --json`, fleet up', command: NODE, args: [BIN, 'status', '--json', ...fleet.args], expectExit: 0 },
    {
      key: 'status-http',
      label: '`evident status --json`, eva-os probed over http instead of exec',
      command: NODE,
      args: [BIN, 'status', '--json', '--contract', httpOnly.path, '--state-dir', fleet.stateDir],
      expectExit: 0,
    },
  ];
  const times = new Map<string, number[]>(variants.map((v) => [v.key, []]));
  let rows: Row[] = [];
  try {
    await fleet.up();
    for (let i = -1; i < n; i++) {
      for (const v of variants) {
        const result = await runTimed(v.command, v.args);
        if (result.exitCode !== v.expectExit) throw new Error(`${v.label} exited ${result.exitCode}: ${result.stdout}${result.stderr}`);
        if (v.key === 'status' && i === -1) {
          const parsed = JSON.parse(result.stdout) as { healthy: boolean; services: { name: string; health: { latency_ms: number } | null }[] };
          note(`status says healthy=${parsed.healthy}; probe latencies: ${parsed.services.map((s) => `${s.name} ${s.health?.latency_ms ?? '-'} ms`).join(', ')}`);
        }
        if (i >= 0) times.get(v.key)?.push(result.wallMs);
      }
    }
  } finally {
    await fleet.teardown();
  }
  const s = (key: string): Summary => summarize(times.get(key) ?? []);
  for (const v of variants) {
    const sum = s(v.key);
    note(`${v.label}: median ${fmt(sum.median)} ms, p90 ${fmt(sum.p90)} ms (min ${fmt(sum.min)}, max ${fmt(sum.max)})`);
  }
  const status = s('status');
  rows = [
    measuredRow(BENCH, '`evident status --json` (fleet up): median', status, ' ms', { max: 120, label: '≤ 120 ms' }),
    { ...measuredRow(BENCH, '`evident status --json` (fleet up): p90', { ...status, median: status.p90 }, ' ms'), range: '' },
    measuredRow(BENCH, '`node -e 0` (floor: Node start-up)', s('node'), ' ms'),
    measuredRow(BENCH, '`evident --version` (floor: CLI entry)', s('version'), ' ms'),
    measuredRow(BENCH, '`evident status --help` (modules only)', s('help'), ' ms'),
    measuredRow(BENCH, "`import('execa')` alone, Node start-up included", s('execa'), ' ms'),
    measuredRow(BENCH, '`status --json`, eva-os over http, not exec', s('status-http'), ' ms'),
  ];
  console.log(`\n${markdownTable(rows)}`);
  return rows;
}

if (isMain(import.meta)) await run({ quick: quickFlag() });
