// Runs every benchmark in sequence and prints one Markdown summary table at the end (to
// paste into the README). Figures are medians over N runs with min and max; targets are
// printed beside them and nothing fails on a missed target.
//
//   node bench/run-all.ts [--quick]
//
// --quick: fewer runs and shorter windows (N=3, 20 s after 5 s), for a smoke run.
import { execFileSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { cpus, loadavg, totalmem } from 'node:os';
import { run as idleCost } from './idle-cost.ts';
import { run as journalAppend } from './journal-append.ts';
import { quickFlag, ROOT } from './lib/demo-fleet.ts';
import { run as loadGenerator } from './load-generator.ts';
import { markdownTable, missingRow, type Row } from './lib/report.ts';
import { run as pm2Compare } from './pm2-compare.ts';
import { run as redact } from './redact.ts';
import { run as startStop } from './start-stop.ts';
import { run as statusLatency } from './status-latency.ts';
import { run as supervisorCost } from './supervisor-cost.ts';
import { run as tuiCost } from './tui-cost.ts';
import { run as verifyRun } from './verify-run.ts';
import { run as verifyThroughput } from './verify-throughput.ts';

const quick = quickFlag();
const benches: [string, (options: { quick: boolean }) => Promise<Row[]>][] = [
  ['start-stop', startStop],
  ['idle-cost', idleCost],
  ['supervisor', supervisorCost],
  ['tui-cost', tuiCost],
  ['status-latency', statusLatency],
  ['pm2', pm2Compare],
  ['journal-append', journalAppend],
  ['redact', redact],
  ['verify-throughput', verifyThroughput],
  ['verify-run', verifyRun],
  ['load-generator', loadGenerator],
];

const started = Date.now();
const loadBefore = loadavg();
console.log(`evident benchmarks${quick ? ' (--quick)' : ''}: ${new Date(started).toISOString()}`);
console.log(`node ${process.version} on ${process.platform}/${process.arch}; ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}; ${(totalmem() / 2 ** 30).toFixed(1)} GB RAM`);
console.log(`load average before: ${loadBefore.map((l) => l.toFixed(2)).join(' ')}`);
console.log(`evident ${gitState()}; measured from dist/ (built ${builtAt()})`);

const rows: Row[] = [];
for (const [name, run] of benches) {
  try {
    rows.push(...(await run({ quick })));
  } catch (error) {
    console.log(`\n${name} failed: ${(error as Error).stack ?? String(error)}`);
    rows.push(missingRow(name, '(whole benchmark)', `failed: ${(error as Error).message.split('\n')[0]?.slice(0, 100) ?? ''}`));
  }
}

const minutes = ((Date.now() - started) / 60_000).toFixed(1);
console.log(`\n=== summary (${minutes} min; load average after: ${loadavg().map((l) => l.toFixed(2)).join(' ')}) ===\n`);
console.log(`Measured ${new Date(started).toISOString().slice(0, 10)}, node ${process.version}, ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown CPU'}), shared machine: medians over N runs.${quick ? ' Quick mode: fewer runs, shorter windows.' : ''}\n`);
console.log(markdownTable(rows));

/** The commit measured, and whether the work tree had changes on top of it. */
function gitState(): string {
  try {
    const head = execFileSync('git', ['-C', ROOT, 'rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['-C', ROOT, 'status', '--porcelain', '--', 'cli', 'src', 'components', 'fleet', 'contracts'], { encoding: 'utf8' }).trim();
    return `at ${head}${dirty ? ` with uncommitted changes in ${dirty.split('\n').length} file(s) of cli/src/components/fleet/contracts` : ''}`;
  } catch {
    return 'at an unknown commit';
  }
}

function builtAt(): string {
  try {
    return statSync(join(ROOT, 'dist/cli/main.js')).mtime.toISOString();
  } catch {
    return 'never: run `npm run build`';
  }
}
