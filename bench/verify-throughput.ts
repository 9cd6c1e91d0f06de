// How fast evidence is hashed: `hashFiles` (what the manifest and `evident verify` use)
// against `sha256sum` spawned once over the same files, median of N passes each. The
// files are a run folder's mix: many small records and summaries, some logs of a few
// hundred KB, a few large journals; random bytes, written fresh, so both read from the page
// cache (this measures hashing, not the disk). Node hashes with OpenSSL, which uses the
// CPU's SHA extensions where it has them; GNU sha256sum has its own portable code unless
// coreutils was built with OpenSSL, so evident coming out ahead is expected.
//
//   node bench/verify-throughput.ts [--quick]
import { spawnSync } from 'node:child_process';
import { randomFillSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hashFiles } from '../src/evidence/hash-files.ts';
import { isMain, quickFlag, runTimed } from './lib/demo-fleet.ts';
import { markdownTable, measuredRow, missingRow, note, section, type Row } from './lib/report.ts';
import { fmt, summarize } from './lib/stats.ts';

const BENCH = 'verify-throughput';
const MB = 2 ** 20;

export async function run(options: { quick: boolean }): Promise<Row[]> {
  const n = options.quick ? 3 : 5;
  const sizes = fileSizes(options.quick ? 50 : 200, options.quick ? 20 * MB : 100 * MB);
  const totalBytes = sizes.reduce((a, b) => a + b, 0);
  section(`verify-throughput: SHA-256 of ${sizes.length} files, ${fmt(totalBytes / MB)} MB in all, N=${n} each (1 warm-up each, interleaved)`);
  const dir = mkdtempSync(join(tmpdir(), 'evident-bench-hash-'));
  try {
    const names = writeFiles(dir, sizes);
    const hasSha256sum = spawnSync('sha256sum', ['--version']).status === 0;
    const ours: number[] = [];
    const serial: number[] = [];
    const theirs: number[] = [];
    for (let i = -1; i < n; i++) {
      let started = performance.now();
      const hashed = await hashFiles(dir, names);
      const oursMs = performance.now() - started;
      started = performance.now();
      await hashFiles(dir, names, 1);
      const serialMs = performance.now() - started;
      if (hasSha256sum) {
        const result = await runTimed('sha256sum', ['--', ...names], { cwd: dir });
        if (result.exitCode !== 0) throw new Error(`sha256sum exited ${result.exitCode}: ${result.stderr}`);
        // The warm-up pass doubles as a cross-check: the same hash for every file.
        if (i === -1) crossCheck(hashed, result.stdout);
        if (i >= 0) theirs.push(result.wallMs);
      }
      if (i >= 0) {
        ours.push(oursMs);
        serial.push(serialMs);
      }
    }
    const rate = (ms: number[]) => summarize(ms.map((t) => totalBytes / MB / (t / 1000)));
    const oursRate = rate(ours);
    note(`hashFiles (4 at a time): ${fmt(oursRate.median)} MB/s median; one at a time: ${fmt(rate(serial).median)} MB/s`);
    const rows: Row[] = [
      measuredRow(BENCH, '`hashFiles` (4 files at a time), MB/s', oursRate, ' MB/s'),
      measuredRow(BENCH, '`hashFiles`, one file at a time, MB/s', rate(serial), ' MB/s'),
    ];
    if (hasSha256sum) {
      const theirsRate = rate(theirs);
      // Per pass, so a noisy moment affects both sides of the same ratio.
      const ratio = summarize(ours.map((t, i) => t / (theirs[i] as number)));
      note(`sha256sum (one process, all names): ${fmt(theirsRate.median)} MB/s median; hashFiles takes ${fmt(ratio.median)}× its time`);
      rows.push(measuredRow(BENCH, '`sha256sum` over the same files, MB/s', theirsRate, ' MB/s'));
      rows.push(measuredRow(BENCH, '`hashFiles` time ÷ `sha256sum` time', ratio, '×'));
    } else {
      rows.push(missingRow(BENCH, '`sha256sum` over the same files, MB/s', 'sha256sum not installed'));
    }
    console.log(`\n${markdownTable(rows)}`);
    return rows;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * `count` sizes adding up to about `total`: 70 % small (1–64 KiB: summaries, snapshots),
 * 25 % medium, and 5 % large files that hold most of the bytes (journals). Deterministic,
 * so every run hashes the same layout.
 */
function fileSizes(count: number, total: number): number[] {
  const small = Math.round(count * 0.7);
  const large = Math.max(1, Math.round(count * 0.05));
  const medium = count - small - large;
  const sizes: number[] = [];
  for (let i = 0; i < small; i++) sizes.push(1024 + ((i * 7919) % 64) * 1024);
  for (let i = 0; i < medium; i++) sizes.push(256 * 1024 + ((i * 104729) % 16) * 64 * 1024);
  const rest = total - sizes.reduce((a, b) => a + b, 0);
  for (let i = 0; i < large; i++) sizes.push(Math.max(MB, Math.floor(rest / large) + (i % 2 === 0 ? 12345 : -12345)));
  return sizes;
}

function writeFiles(dir: string, sizes: readonly number[]): string[] {
  const buffer = Buffer.allocUnsafe(Math.max(...sizes));
  return sizes.map((size, i) => {
    const name = `file-${String(i).padStart(3, '0')}.bin`;
    writeFileSync(join(dir, name), randomFillSync(buffer, 0, size).subarray(0, size));
    return name;
  });
}

function crossCheck(hashed: readonly { name: string; sha256: string }[], sha256sumOutput: string): void {
  const theirs = new Map(sha256sumOutput.trimEnd().split('\n').map((line) => [line.slice(66), line.slice(0, 64)]));
  const differing = hashed.filter((h) => theirs.get(h.name) !== h.sha256);
  if (differing.length > 0) throw new Error(`hashFiles and sha256sum disagree on ${differing.map((h) => h.name).join(', ')}`);
}

if (isMain(import.meta)) await run({ quick: quickFlag() });
