// Journal appends per second on the disk under the system temp folder: with an fsync per
// record (`append`, each awaited before the next), and with group commit (`appendGrouped`,
// 2000 issued at once, written in a few batches with one fsync each). Median of 5 runs
// (plus min–max), each on a fresh journal after one warm-up run, and the ratio.
//
//   node bench/journal-append.ts [--quick]
import { mkdtempSync, rmSync, statfsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Journal } from '../src/evidence/journal.ts';
import { isMain, quickFlag } from './lib/demo-fleet.ts';
import { markdownTable, measuredRow, note, section, type Row } from './lib/report.ts';
import { fmt, summarize } from './lib/stats.ts';

const BENCH = 'journal-append';
const OPTIONS = { contract: { version: '1.0.0', hash: 'c'.repeat(64) }, actor: 'bench' };
/** A payload the size of a typical observation (a health probe with its timings). */
const PAYLOAD = { service: 'model-router', kind: 'http', url: 'http://127.0.0.1:7003/healthz', status: 200, ok: true, latency_ms: 3.2, body_bytes: 57 };

export async function run(options: { quick: boolean }): Promise<Row[]> {
  const runs = options.quick ? 3 : 5;
  const durableCount = options.quick ? 200 : 500;
  const groupedCount = 2000;
  const dir = mkdtempSync(join(tmpdir(), 'evident-bench-journal-'));
  section(`journal-append: ${durableCount} awaited appends, then ${groupedCount} grouped appends issued at once, ${runs} runs each (1 warm-up)`);
  note(`journal folder ${dir} (file system type 0x${statfsSync(dir).type.toString(16)})`);
  const durable: number[] = [];
  const grouped: number[] = [];
  try {
    for (let i = -1; i < runs; i++) {
      const perSecondDurable = await appendsPerSecond(join(dir, `durable-${i + 1}.jsonl`), durableCount, (journal, n) => journal.append({ type: 'probe.health', payload: { ...PAYLOAD, n } }));
      const perSecondGrouped = await groupedPerSecond(join(dir, `grouped-${i + 1}.jsonl`), groupedCount);
      if (i < 0) continue;
      durable.push(perSecondDurable);
      grouped.push(perSecondGrouped);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const d = summarize(durable);
  const g = summarize(grouped);
  // Ratio per run pair, so one slow moment of the disk does not skew it alone.
  const ratio = summarize(grouped.map((value, i) => value / (durable[i] ?? Number.NaN)));
  note(`append (fsync per record): median ${fmt(d.median)}/s (min ${fmt(d.min)}, max ${fmt(d.max)})`);
  note(`appendGrouped (group commit): median ${fmt(g.median)}/s (min ${fmt(g.min)}, max ${fmt(g.max)})`);
  note(`group commit / fsync per record: ${fmt(ratio.median)}×`);
  const rows = [
    measuredRow(BENCH, '`append`, fsync per record (records/s)', d, '/s'),
    measuredRow(BENCH, `\`appendGrouped\`, ${groupedCount} at once (records/s)`, g, '/s'),
    measuredRow(BENCH, 'group commit ÷ fsync per record', ratio, '×'),
  ];
  console.log(`\n${markdownTable(rows)}`);
  return rows;
}

async function appendsPerSecond(path: string, count: number, append: (journal: Journal, n: number) => Promise<unknown>): Promise<number> {
  const journal = await Journal.open(path, OPTIONS);
  try {
    const started = performance.now();
    for (let n = 0; n < count; n++) await append(journal, n);
    return count / ((performance.now() - started) / 1000);
  } finally {
    await journal.close();
  }
}

async function groupedPerSecond(path: string, count: number): Promise<number> {
  const journal = await Journal.open(path, OPTIONS);
  try {
    const started = performance.now();
    await Promise.all(Array.from({ length: count }, (_, n) => journal.appendGrouped({ type: 'probe.health', payload: { ...PAYLOAD, n } })));
    return count / ((performance.now() - started) / 1000);
  } finally {
    await journal.close();
  }
}

if (isMain(import.meta)) await run({ quick: quickFlag() });
